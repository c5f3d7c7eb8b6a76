package evaluate

import (
	"fmt"
	"math"
	"slices"
	"sort"
)

// ROC is a receiver operating characteristic curve of a binary selector
// that accepts an event when its score is at or above a threshold.
//
// The curve has one point per distinct score value, in order of decreasing
// threshold, preceded by (0, 0) at threshold +Inf: point i is the
// (false positive rate, true positive rate) of the cut score >= Thresholds[i].
// Events with equal scores are accepted or rejected together, so ties give a
// diagonal segment, never an arbitrary staircase. The last point is (1, 1).
// FPR is the background efficiency eps_B, TPR the signal efficiency eps_S.
type ROC struct {
	FPR        []float64
	TPR        []float64
	Thresholds []float64

	// Positives and Negatives count the signal and background events.
	Positives, Negatives int
}

// NewROC builds the ROC curve of scores, where positive[i] tells whether
// event i is signal. It needs at least one signal and one background event
// and no NaN score.
func NewROC(scores []float64, positive []bool) (*ROC, error) {
	rk, err := newRanked(scores, positive)
	if err != nil {
		return nil, err
	}
	r := &ROC{}
	rk.curve(nil, r)
	return r, nil
}

// OneVsRest returns the ROC curve of class against all others, the score of
// an event being its probability of that class (one column of the flat,
// row-major probs).
func OneVsRest(probs []float64, nClasses int, labels []int, class int) (*ROC, error) {
	scores, positive, err := selector(probs, nClasses, labels, class)
	if err != nil {
		return nil, err
	}
	return NewROC(scores, positive)
}

// OneVsRestAll returns OneVsRest for every class, indexed by class.
func OneVsRestAll(probs []float64, nClasses int, labels []int) ([]*ROC, error) {
	out := make([]*ROC, nClasses)
	for c := range out {
		r, err := OneVsRest(probs, nClasses, labels, c)
		if err != nil {
			return nil, err
		}
		out[c] = r
	}
	return out, nil
}

// selector extracts the scores of class and the signal flags (label == class).
func selector(probs []float64, nClasses int, labels []int, class int) ([]float64, []bool, error) {
	if err := checkPredictions(probs, nClasses, labels); err != nil {
		return nil, nil, err
	}
	if class < 0 || class >= nClasses {
		return nil, nil, fmt.Errorf("evaluate: class %d outside [0, %d)", class, nClasses)
	}
	scores := make([]float64, len(labels))
	positive := make([]bool, len(labels))
	for i, l := range labels {
		scores[i] = probs[i*nClasses+class]
		positive[i] = l == class
	}
	return scores, positive, nil
}

// AUC returns the area under the curve by the trapezoid rule. With the
// curve's tie handling it equals the Mann-Whitney U statistic divided by
// Positives*Negatives (see MannWhitneyAUC).
func (r *ROC) AUC() float64 {
	a := 0.0
	for i := 1; i < len(r.FPR); i++ {
		a += (r.FPR[i] - r.FPR[i-1]) * (r.TPR[i] + r.TPR[i-1])
	}
	return a / 2
}

// TPRAtFPR returns the signal efficiency at background efficiency fpr,
// interpolating linearly between the curve's points. Where the curve is
// vertical at fpr, the highest TPR is returned. NaN when fpr is outside
// [0, 1].
func (r *ROC) TPRAtFPR(fpr float64) float64 {
	if !(fpr >= 0 && fpr <= 1) || len(r.FPR) == 0 {
		return math.NaN()
	}
	i := sort.Search(len(r.FPR), func(k int) bool { return r.FPR[k] > fpr }) - 1
	if i < 0 {
		return math.NaN()
	}
	if r.FPR[i] == fpr || i == len(r.FPR)-1 {
		return r.TPR[i]
	}
	f := (fpr - r.FPR[i]) / (r.FPR[i+1] - r.FPR[i])
	return r.TPR[i] + f*(r.TPR[i+1]-r.TPR[i])
}

// FPRAtTPR returns the background efficiency at signal efficiency tpr,
// interpolating linearly between the curve's points. Where the curve is
// horizontal at tpr, the lowest FPR is returned. NaN when tpr is outside
// [0, 1].
func (r *ROC) FPRAtTPR(tpr float64) float64 {
	if !(tpr >= 0 && tpr <= 1) || len(r.TPR) == 0 {
		return math.NaN()
	}
	j := sort.Search(len(r.TPR), func(k int) bool { return r.TPR[k] >= tpr })
	if j == len(r.TPR) {
		return math.NaN()
	}
	if r.TPR[j] == tpr || j == 0 {
		return r.FPR[j]
	}
	f := (tpr - r.TPR[j-1]) / (r.TPR[j] - r.TPR[j-1])
	return r.FPR[j-1] + f*(r.FPR[j]-r.FPR[j-1])
}

// Len, XY implement gonum/plot's plotter.XYer: x is FPR, y is TPR.
func (r *ROC) Len() int { return len(r.FPR) }

// XY returns point i as (FPR, TPR).
func (r *ROC) XY(i int) (x, y float64) { return r.FPR[i], r.TPR[i] }

// ranked holds the events of a selector sorted by decreasing score.
type ranked struct {
	score    []float64
	positive []bool
	nPos     int
}

// newRanked sorts the events by decreasing score. The signal and background
// scores are sorted separately (fast float sorts) and merged.
func newRanked(scores []float64, positive []bool) (*ranked, error) {
	if len(scores) != len(positive) {
		return nil, fmt.Errorf("evaluate: %d scores for %d labels", len(scores), len(positive))
	}
	var pos, neg []float64
	for i, s := range scores {
		if math.IsNaN(s) {
			return nil, fmt.Errorf("evaluate: event %d: score is NaN", i)
		}
		if positive[i] {
			pos = append(pos, s)
		} else {
			neg = append(neg, s)
		}
	}
	if len(pos) == 0 || len(neg) == 0 {
		return nil, fmt.Errorf("evaluate: ROC needs signal and background events, have %d and %d", len(pos), len(neg))
	}
	slices.Sort(pos)
	slices.Sort(neg)
	n := len(scores)
	rk := &ranked{score: make([]float64, n), positive: make([]bool, n), nPos: len(pos)}
	i, j := len(pos)-1, len(neg)-1
	for k := range n {
		if j < 0 || (i >= 0 && pos[i] >= neg[j]) {
			rk.score[k], rk.positive[k] = pos[i], true
			i--
		} else {
			rk.score[k] = neg[j]
			j--
		}
	}
	return rk, nil
}

// curve fills r with the ROC curve of the ranked events, event k counted
// weight[k] times (once each when weight is nil). r's slices are reused.
// Thresholds whose events all have weight 0 give no point. It leaves r
// empty when the weighted signal or background is zero.
func (rk *ranked) curve(weight []int32, r *ROC) {
	r.FPR, r.TPR, r.Thresholds = r.FPR[:0], r.TPR[:0], r.Thresholds[:0]
	var nPos, nNeg int
	if weight == nil {
		nPos, nNeg = rk.nPos, len(rk.score)-rk.nPos
	} else {
		for k, w := range weight {
			if rk.positive[k] {
				nPos += int(w)
			} else {
				nNeg += int(w)
			}
		}
	}
	r.Positives, r.Negatives = nPos, nNeg
	if nPos == 0 || nNeg == 0 {
		return
	}
	fp, tp := float64(nNeg), float64(nPos)
	r.FPR, r.TPR, r.Thresholds = append(r.FPR, 0), append(r.TPR, 0), append(r.Thresholds, math.Inf(1))
	var cp, cn int
	n := len(rk.score)
	for k := 0; k < n; {
		s := rk.score[k]
		moved := false
		for ; k < n && rk.score[k] == s; k++ {
			w := 1
			if weight != nil {
				w = int(weight[k])
			}
			if w == 0 {
				continue
			}
			moved = true
			if rk.positive[k] {
				cp += w
			} else {
				cn += w
			}
		}
		if moved {
			r.FPR = append(r.FPR, float64(cn)/fp)
			r.TPR = append(r.TPR, float64(cp)/tp)
			r.Thresholds = append(r.Thresholds, s)
		}
	}
}
