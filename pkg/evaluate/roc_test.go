package evaluate

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestROCHandComputed(t *testing.T) {
	inf := math.Inf(1)
	cases := []struct {
		name     string
		scores   []float64
		positive []bool
		fpr, tpr []float64
		thr      []float64
		auc      float64
	}{
		{
			name:     "perfect",
			scores:   []float64{0.9, 0.8, 0.7, 0.6},
			positive: []bool{true, true, false, false},
			fpr:      []float64{0, 0, 0, 0.5, 1},
			tpr:      []float64{0, 0.5, 1, 1, 1},
			thr:      []float64{inf, 0.9, 0.8, 0.7, 0.6},
			auc:      1,
		},
		{
			name:     "inverted",
			scores:   []float64{0.1, 0.2, 0.7, 0.6},
			positive: []bool{true, true, false, false},
			fpr:      []float64{0, 0.5, 1, 1, 1},
			tpr:      []float64{0, 0, 0, 0.5, 1},
			thr:      []float64{inf, 0.7, 0.6, 0.2, 0.1},
			auc:      0,
		},
		{
			name:     "all tied",
			scores:   []float64{0.5, 0.5, 0.5},
			positive: []bool{true, false, false},
			fpr:      []float64{0, 1},
			tpr:      []float64{0, 1},
			thr:      []float64{inf, 0.5},
			auc:      0.5,
		},
		{
			// Pairs: 0.8>0.5, 0.8>0.2, 0.5=0.5 (one half), 0.5>0.2: 3.5/4.
			name:     "tie across classes",
			scores:   []float64{0.5, 0.2, 0.8, 0.5},
			positive: []bool{true, false, true, false},
			fpr:      []float64{0, 0, 0.5, 1},
			tpr:      []float64{0, 0.5, 1, 1},
			thr:      []float64{inf, 0.8, 0.5, 0.2},
			auc:      0.875,
		},
		{
			// Signal 3, 1; background 2, 2, 0: pairs won 3>2, 3>2, 3>0, 1>0 = 4 of 6.
			name:     "tie within background",
			scores:   []float64{3, 2, 1, 2, 0},
			positive: []bool{true, false, true, false, false},
			fpr:      []float64{0, 0, 2.0 / 3, 2.0 / 3, 1},
			tpr:      []float64{0, 0.5, 0.5, 1, 1},
			thr:      []float64{inf, 3, 2, 1, 0},
			auc:      4.0 / 6,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewROC(tc.scores, tc.positive)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(r.Thresholds, tc.thr) {
				t.Errorf("Thresholds = %v, want %v", r.Thresholds, tc.thr)
			}
			for i := range tc.fpr {
				if i >= r.Len() || !approxEqual(r.FPR[i], tc.fpr[i], 1e-15) || !approxEqual(r.TPR[i], tc.tpr[i], 1e-15) {
					t.Fatalf("curve = %v / %v, want %v / %v", r.FPR, r.TPR, tc.fpr, tc.tpr)
				}
			}
			if r.Len() != len(tc.fpr) {
				t.Fatalf("%d points, want %d", r.Len(), len(tc.fpr))
			}
			if got := r.AUC(); !approxEqual(got, tc.auc, 1e-15) {
				t.Errorf("AUC = %v, want %v", got, tc.auc)
			}
			mw, err := MannWhitneyAUC(tc.scores, tc.positive)
			if err != nil {
				t.Fatal(err)
			}
			if !approxEqual(mw, tc.auc, 1e-15) {
				t.Errorf("MannWhitneyAUC = %v, want %v", mw, tc.auc)
			}
		})
	}
}

// The trapezoid AUC equals the Mann-Whitney statistic, ties included.
func TestAUCEqualsMannWhitney(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		name   string
		n      int
		levels float64 // scores rounded to 1/levels: many ties when small
	}{
		{"heavy ties", 400, 5}, {"some ties", 700, 100}, {"no ties", 500, 0}, {"tiny", 3, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for trial := range 20 {
				scores := make([]float64, tc.n)
				positive := make([]bool, tc.n)
				for i := range scores {
					positive[i] = rng.IntN(3) == 0
					s := rng.Float64()
					if positive[i] {
						s = math.Min(1, s+0.2*rng.Float64())
					}
					if tc.levels > 0 {
						s = math.Round(s*tc.levels) / tc.levels
					}
					scores[i] = s
				}
				positive[0], positive[1] = true, false
				r, err := NewROC(scores, positive)
				if err != nil {
					t.Fatal(err)
				}
				mw, err := MannWhitneyAUC(scores, positive)
				if err != nil {
					t.Fatal(err)
				}
				brute := bruteAUC(scores, positive)
				if !approxEqual(r.AUC(), mw, 1e-12) || !approxEqual(mw, brute, 1e-12) {
					t.Fatalf("trial %d: trapezoid %v, Mann-Whitney %v, pair count %v", trial, r.AUC(), mw, brute)
				}
				distinct := slices.Compact(slices.Sorted(slices.Values(scores)))
				if r.Len() != len(distinct)+1 {
					t.Fatalf("trial %d: %d points for %d distinct scores, want one more", trial, r.Len(), len(distinct))
				}
			}
		})
	}
}

func TestRandomClassifierAUC(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	n := 20000
	scores := make([]float64, n)
	positive := make([]bool, n)
	for i := range scores {
		scores[i] = rng.Float64()
		positive[i] = rng.IntN(2) == 0
	}
	r, err := NewROC(scores, positive)
	if err != nil {
		t.Fatal(err)
	}
	// Standard deviation of the AUC of a random classifier ~ sqrt((n+1)/(12 n+ n-)) ~ 0.004.
	if a := r.AUC(); math.Abs(a-0.5) > 0.02 {
		t.Errorf("AUC of random scores = %v, want about 0.5", a)
	}
}

func TestROCInterpolation(t *testing.T) {
	// Curve (0,0) (0,0.5) (0.5,1) (1,1).
	r, err := NewROC([]float64{0.5, 0.2, 0.8, 0.5}, []bool{true, false, true, false})
	if err != nil {
		t.Fatal(err)
	}
	nan := math.NaN()
	for _, tc := range []struct {
		fpr, tpr float64
	}{{0, 0.5}, {0.25, 0.75}, {0.5, 1}, {0.75, 1}, {1, 1}, {-0.1, nan}, {1.1, nan}} {
		if got := r.TPRAtFPR(tc.fpr); !(approxEqual(got, tc.tpr, 1e-15) || math.IsNaN(got) && math.IsNaN(tc.tpr)) {
			t.Errorf("TPRAtFPR(%v) = %v, want %v", tc.fpr, got, tc.tpr)
		}
	}
	for _, tc := range []struct {
		tpr, fpr float64
	}{{0, 0}, {0.25, 0}, {0.5, 0}, {0.75, 0.25}, {0.95, 0.45}, {1, 0.5}, {1.5, nan}} {
		if got := r.FPRAtTPR(tc.tpr); !(approxEqual(got, tc.fpr, 1e-15) || math.IsNaN(got) && math.IsNaN(tc.fpr)) {
			t.Errorf("FPRAtTPR(%v) = %v, want %v", tc.tpr, got, tc.fpr)
		}
	}
}

func TestROCErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		scores   []float64
		positive []bool
		want     string
	}{
		{"no signal", []float64{1, 2}, []bool{false, false}, "have 0 and 2"},
		{"no background", []float64{1}, []bool{true}, "have 1 and 0"},
		{"NaN score", []float64{1, math.NaN()}, []bool{true, false}, "event 1: score is NaN"},
		{"length mismatch", []float64{1, 2}, []bool{true}, "2 scores for 1 labels"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewROC(tc.scores, tc.positive); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("NewROC: err = %v, want %q", err, tc.want)
			}
			if _, err := MannWhitneyAUC(tc.scores, tc.positive); err == nil {
				t.Error("MannWhitneyAUC: no error")
			}
		})
	}
	if _, err := OneVsRest([]float64{.5, .5}, 2, []int{0}, 2); err == nil || !strings.Contains(err.Error(), "class 2 outside") {
		t.Errorf("OneVsRest with class 2 of 2: err = %v", err)
	}
}

func TestOneVsRest(t *testing.T) {
	probs, labels := synthetic(3000, 2, 11)
	curves, err := OneVsRestAll(probs, 3, labels)
	if err != nil {
		t.Fatal(err)
	}
	for c, r := range curves {
		scores := make([]float64, len(labels))
		positive := make([]bool, len(labels))
		for i, l := range labels {
			scores[i], positive[i] = probs[3*i+c], l == c
		}
		mw, _ := MannWhitneyAUC(scores, positive)
		if !approxEqual(r.AUC(), mw, 1e-12) {
			t.Errorf("class %d: AUC %v, Mann-Whitney %v", c, r.AUC(), mw)
		}
		if r.AUC() < 0.8 || r.Positives != 1000 || r.Negatives != 2000 {
			t.Errorf("class %d: AUC %v with %d/%d events; want > 0.8 with 1000/2000", c, r.AUC(), r.Positives, r.Negatives)
		}
	}
}
