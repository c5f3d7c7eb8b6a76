package evaluate

import (
	"strings"
	"testing"
)

func TestAccuracy(t *testing.T) {
	cases := []struct {
		name    string
		probs   []float64
		classes int
		labels  []int
		want    float64
		wantErr string
	}{
		{"perfect", []float64{.8, .1, .1, .2, .7, .1, .1, .1, .8}, 3, []int{0, 1, 2}, 1, ""},
		{"all wrong", []float64{.1, .8, .1, .7, .2, .1}, 3, []int{0, 1}, 0, ""},
		{"two of four", []float64{.9, .1, .4, .6, .3, .7, .55, .45}, 2, []int{0, 0, 1, 1}, 0.5, ""},
		{"tie goes to first class", []float64{.4, .4, .2}, 3, []int{0}, 1, ""},
		{"length mismatch", []float64{.5, .5, .5}, 2, []int{0, 1}, 0, "3 probabilities for 2 events"},
		{"label out of range", []float64{.5, .5}, 2, []int{2}, 0, "label 2 outside [0, 2)"},
		{"NaN", []float64{.5, .5, 0, 0}, 2, []int{0, 1}, 0, ""},
		{"no events", nil, 3, nil, 0, "no events"},
	}
	cases[6].probs[2] = nanValue()
	cases[6].wantErr = "event 1 class 0: probability is NaN"
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Accuracy(tc.probs, tc.classes, tc.labels)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.HasPrefix(err.Error(), "evaluate: ") {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("Accuracy = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestConfusion(t *testing.T) {
	// True class 0: predicted 0, 0, 1. True class 1: predicted 1. Class 2: no events.
	probs := []float64{
		.7, .2, .1,
		.5, .4, .1,
		.3, .6, .1,
		.1, .8, .1,
	}
	labels := []int{0, 0, 0, 1}
	c, err := NewConfusion(probs, 3, labels)
	if err != nil {
		t.Fatal(err)
	}
	wantCounts := [][]int{{2, 1, 0}, {0, 1, 0}, {0, 0, 0}}
	wantNorm := [][]float64{{2.0 / 3, 1.0 / 3, 0}, {0, 1, 0}, {0, 0, 0}}
	norm := c.Normalized()
	for i := range 3 {
		for j := range 3 {
			if c.Counts[i][j] != wantCounts[i][j] {
				t.Errorf("Counts[%d][%d] = %d, want %d", i, j, c.Counts[i][j], wantCounts[i][j])
			}
			if !approxEqual(norm[i][j], wantNorm[i][j], 1e-15) {
				t.Errorf("Normalized[%d][%d] = %v, want %v", i, j, norm[i][j], wantNorm[i][j])
			}
		}
	}
	// Rows of a populated matrix sum to one.
	p, l := synthetic(3000, 1, 3)
	c, err = NewConfusion(p, 3, l)
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range c.Normalized() {
		s := 0.0
		for _, v := range row {
			s += v
		}
		if !approxEqual(s, 1, 1e-12) {
			t.Errorf("row %d sums to %v", i, s)
		}
	}
	if _, err := NewConfusion(probs, 3, labels[:3]); err == nil {
		t.Error("no error for 4 rows of probabilities and 3 labels")
	}
}
