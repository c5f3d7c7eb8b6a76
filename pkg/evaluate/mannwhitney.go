package evaluate

import (
	"fmt"
	"math"
	"slices"
)

// MannWhitneyAUC returns U / (nPos nNeg), the Mann-Whitney statistic of the
// signal scores against the background scores: the probability that a
// random signal event scores above a random background event, ties counting
// one half. It is computed from mid-ranks, independently of ROC, and equals
// ROC.AUC.
func MannWhitneyAUC(scores []float64, positive []bool) (float64, error) {
	if len(scores) != len(positive) {
		return 0, fmt.Errorf("evaluate: %d scores for %d labels", len(scores), len(positive))
	}
	idx := make([]int, len(scores))
	nPos := 0
	for i, s := range scores {
		if math.IsNaN(s) {
			return 0, fmt.Errorf("evaluate: event %d: score is NaN", i)
		}
		idx[i] = i
		if positive[i] {
			nPos++
		}
	}
	nNeg := len(scores) - nPos
	if nPos == 0 || nNeg == 0 {
		return 0, fmt.Errorf("evaluate: Mann-Whitney needs signal and background events, have %d and %d", nPos, nNeg)
	}
	slices.SortFunc(idx, func(a, b int) int {
		switch {
		case scores[a] < scores[b]:
			return -1
		case scores[a] > scores[b]:
			return 1
		}
		return 0
	})
	// Sum of the (1-based, mid-) ranks of the signal events.
	rankSum := 0.0
	for k := 0; k < len(idx); {
		e := k
		for e < len(idx) && scores[idx[e]] == scores[idx[k]] {
			e++
		}
		mid := float64(k+1+e) / 2 // mean of ranks k+1 .. e
		for ; k < e; k++ {
			if positive[idx[k]] {
				rankSum += mid
			}
		}
	}
	u := rankSum - float64(nPos)*float64(nPos+1)/2
	return u / (float64(nPos) * float64(nNeg)), nil
}
