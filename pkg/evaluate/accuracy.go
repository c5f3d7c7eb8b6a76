package evaluate

import "fmt"

// Argmax returns the predicted class of every event: the index of the
// largest probability in its row of probs (flat, row-major, nClasses per
// row); the first one wins a tie. It returns an error when len(probs) is not
// a multiple of nClasses.
func Argmax(probs []float64, nClasses int) ([]int, error) {
	if nClasses < 1 || len(probs)%nClasses != 0 {
		return nil, fmt.Errorf("evaluate: %d probabilities is not a multiple of %d classes", len(probs), nClasses)
	}
	n := len(probs) / nClasses
	out := make([]int, n)
	for i := range n {
		row := probs[i*nClasses : (i+1)*nClasses]
		best := 0
		for c := 1; c < nClasses; c++ {
			if row[c] > row[best] {
				best = c
			}
		}
		out[i] = best
	}
	return out, nil
}

// Accuracy returns the fraction of events whose predicted class (argmax of
// the probabilities, see Argmax) equals the label. probs is flat and
// row-major: event i's probability of class c is probs[i*nClasses+c].
func Accuracy(probs []float64, nClasses int, labels []int) (float64, error) {
	if err := checkPredictions(probs, nClasses, labels); err != nil {
		return 0, err
	}
	pred, err := Argmax(probs, nClasses)
	if err != nil {
		return 0, err
	}
	good := 0
	for i, p := range pred {
		if p == labels[i] {
			good++
		}
	}
	return float64(good) / float64(len(labels)), nil
}
