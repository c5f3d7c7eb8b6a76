package evaluate

// Confusion is a confusion matrix: Counts[t][p] is the number of events of
// true class t predicted (argmax) as class p. Rows are true classes.
type Confusion struct {
	Counts [][]int
}

// NewConfusion counts predictions (argmax of the flat row-major probs)
// against labels.
func NewConfusion(probs []float64, nClasses int, labels []int) (*Confusion, error) {
	if err := checkPredictions(probs, nClasses, labels); err != nil {
		return nil, err
	}
	pred, err := Argmax(probs, nClasses)
	if err != nil {
		return nil, err
	}
	c := &Confusion{Counts: make([][]int, nClasses)}
	for i := range c.Counts {
		c.Counts[i] = make([]int, nClasses)
	}
	for i, p := range pred {
		c.Counts[labels[i]][p]++
	}
	return c, nil
}

// Classes returns the number of classes.
func (c *Confusion) Classes() int { return len(c.Counts) }

// Normalized returns the matrix normalised per true class: each row divided
// by the number of events of that class, so a row sums to 1 and the diagonal
// holds the per-class efficiency (recall). A class without events gives a
// row of zeros.
func (c *Confusion) Normalized() [][]float64 {
	out := make([][]float64, len(c.Counts))
	for t, row := range c.Counts {
		out[t] = make([]float64, len(row))
		total := 0
		for _, v := range row {
			total += v
		}
		if total == 0 {
			continue
		}
		for p, v := range row {
			out[t][p] = float64(v) / float64(total)
		}
	}
	return out
}
