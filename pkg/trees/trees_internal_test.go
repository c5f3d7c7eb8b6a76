package trees

import (
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/models"
)

// earlyStop follows Python's EarlyStopping: strict improvement, stop after n rounds without.
func TestEarlyStop(t *testing.T) {
	for _, tc := range []struct {
		name   string
		rounds int
		scores []float64
		stopAt int // index of the round that stops, -1: none
		best   int
	}{
		{"improving", 2, []float64{0.9, 0.8, 0.7, 0.6}, -1, 3},
		{"plateau counts as no improvement", 2, []float64{0.9, 0.8, 0.8, 0.8}, 3, 1},
		{"worse then better resets", 2, []float64{0.9, 1.0, 0.85, 0.9, 0.95}, 4, 2},
		{"off", 0, []float64{0.9, 1.0, 1.1, 1.2}, -1, 0},
		{"one round", 1, []float64{0.5, 0.6}, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := earlyStop{rounds: tc.rounds}
			stop := -1
			for i, s := range tc.scores {
				if e.observe(i, s) {
					stop = i
					break
				}
			}
			if stop != tc.stopAt || e.best != tc.best {
				t.Errorf("stopped at %d with best %d, want %d and %d", stop, e.best, tc.stopAt, tc.best)
			}
		})
	}
}

func TestParams(t *testing.T) {
	rf := Params(*models.DefaultTreeConfig(models.KindRF), 42, 0)
	var b strings.Builder
	for _, p := range rf {
		b.WriteString(p.Name + "=" + p.Value + " ")
	}
	want := "objective=multi:softprob num_class=3 tree_method=hist max_depth=10 eta=1 subsample=0.8 colsample_bynode=0.8 " +
		"num_parallel_tree=100 seed=42 nthread=0 eval_metric=merror eval_metric=mlogloss "
	if b.String() != want {
		t.Errorf("random forest parameters\n%s\nwant\n%s", b.String(), want)
	}
	if last := rf[len(rf)-1]; last.Name != "eval_metric" || last.Value != StopMetric {
		t.Errorf("the last parameter is %v: early stopping follows the last metric, want %s", last, StopMetric)
	}
}
