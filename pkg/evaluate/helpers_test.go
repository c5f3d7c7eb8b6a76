package evaluate

import (
	"math"
	"math/rand/v2"
)

// synthetic returns n events of three classes (labels in turn) with
// softmax outputs of Gaussian logits, the true class's logit shifted by sep.
func synthetic(n int, sep float64, seed uint64) (probs []float64, labels []int) {
	return syntheticSeps(n, [NumClasses]float64{sep, sep, sep}, seed)
}

// syntheticSeps is synthetic with a separation per class.
func syntheticSeps(n int, sep [NumClasses]float64, seed uint64) (probs []float64, labels []int) {
	rng := rand.New(rand.NewPCG(seed, 7))
	probs = make([]float64, 0, n*NumClasses)
	labels = make([]int, n)
	for i := range n {
		l := i % NumClasses
		labels[i] = l
		var z [NumClasses]float64
		sum := 0.0
		for c := range z {
			z[c] = rng.NormFloat64()
			if c == l {
				z[c] += sep[c]
			}
			z[c] = math.Exp(z[c])
			sum += z[c]
		}
		for c := range z {
			probs = append(probs, z[c]/sum)
		}
	}
	return probs, labels
}

// bruteAUC counts pairs: P(signal > background) + P(tie)/2, in O(n^2).
func bruteAUC(scores []float64, positive []bool) float64 {
	var num, den float64
	for i, si := range scores {
		if !positive[i] {
			continue
		}
		for j, sj := range scores {
			if positive[j] {
				continue
			}
			den++
			switch {
			case si > sj:
				num++
			case si == sj:
				num += 0.5
			}
		}
	}
	return num / den
}

func approxEqual(a, b, tol float64) bool {
	if math.IsInf(a, 0) || math.IsInf(b, 0) {
		return a == b
	}
	return math.Abs(a-b) <= tol
}

func nanValue() float64 { return math.NaN() }
