package tune

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
)

// Stream numbers of the random generators, so that the sample and the fold split draw from
// independent streams of one seed.
const (
	streamSample = 1
	streamFolds  = 2
)

// Sample returns the sorted indices of a stratified random sample of the rows with the given
// labels: round(fraction x n) rows of each class of n rows, drawn with seed.
func Sample(labels []int, fraction float64, seed int64) []int {
	if fraction >= 1 {
		all := make([]int, len(labels))
		for i := range all {
			all[i] = i
		}
		return all
	}
	rng := rand.New(rand.NewPCG(uint64(seed), streamSample))
	var out []int
	for _, idx := range byClass(labels) {
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		out = append(out, idx[:int(math.Round(fraction*float64(len(idx))))]...)
	}
	slices.Sort(out)
	return out
}

// Folds splits the rows with the given labels into k stratified folds and returns, for each
// fold, the sorted indices of its rows (its test rows; the other folds are its training
// rows). Each class is shuffled with seed and dealt round-robin, continuing from class to
// class, so fold sizes differ by at most one row and class shares by at most one row.
func Folds(labels []int, k int, seed int64) [][]int {
	rng := rand.New(rand.NewPCG(uint64(seed), streamFolds))
	folds := make([][]int, k)
	next := 0
	for _, idx := range byClass(labels) {
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		for _, i := range idx {
			folds[next] = append(folds[next], i)
			next = (next + 1) % k
		}
	}
	for _, f := range folds {
		slices.Sort(f)
	}
	return folds
}

// byClass groups the row indices by label, classes in increasing order.
func byClass(labels []int) [][]int {
	var groups [][]int
	for i, l := range labels {
		for len(groups) <= l {
			groups = append(groups, nil)
		}
		groups[l] = append(groups[l], i)
	}
	return groups
}

// subset copies the high-level features and labels of rows idx of d.
func subset(d modeldir.Data, idx []int) modeldir.Data {
	const f = models.NumHLF
	out := modeldir.Data{HLF: make([]float32, 0, len(idx)*f), Labels: make([]int, 0, len(idx))}
	for _, i := range idx {
		out.HLF = append(out.HLF, d.HLF[i*f:(i+1)*f]...)
		out.Labels = append(out.Labels, d.Labels[i])
	}
	return out
}

// complement returns the sorted indices in [0, n) that are not in the sorted slice idx.
func complement(n int, idx []int) []int {
	out := make([]int, 0, n-len(idx))
	j := 0
	for i := 0; i < n; i++ {
		if j < len(idx) && idx[j] == i {
			j++
			continue
		}
		out = append(out, i)
	}
	return out
}

// checkFolds makes sure every test fold can score the ttbar selector: it needs rows of the
// class and rows of other classes.
func checkFolds(labels []int, folds [][]int) error {
	for f, idx := range folds {
		var pos int
		for _, i := range idx {
			if labels[i] == ttbarClass {
				pos++
			}
		}
		if pos == 0 || pos == len(idx) {
			return fmt.Errorf("tune: fold %d of %d has %d rows, %d of them ttbar: too few rows to score (sample more with a larger fraction)",
				f+1, len(folds), len(idx), pos)
		}
	}
	return nil
}
