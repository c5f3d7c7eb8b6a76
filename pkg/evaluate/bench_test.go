package evaluate

import (
	"slices"
	"testing"
	"time"
)

// sortBaseline times sorting n float64 values, the floor any exact ROC
// construction pays.
func sortBaseline(scores []float64) time.Duration {
	best := time.Duration(1 << 62)
	buf := make([]float64, len(scores))
	for range 3 {
		copy(buf, scores)
		t0 := time.Now()
		slices.Sort(buf)
		best = min(best, time.Since(t0))
	}
	return best
}

// BenchmarkROCAUC1M builds the exact ROC curve of 1 M events and its AUC.
// It reports the time per build relative to sorting the same 1 M scores
// (x-sort), measured in the same run.
func BenchmarkROCAUC1M(b *testing.B) {
	scores, positive := selectorData(1_000_000, 3)
	base := sortBaseline(scores)
	b.ResetTimer()
	for b.Loop() {
		r, err := NewROC(scores, positive)
		if err != nil {
			b.Fatal(err)
		}
		_ = r.AUC()
	}
	b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(base), "x-sort")
}

// BenchmarkMannWhitney1M is the rank-sum AUC of 1 M events, for comparison.
func BenchmarkMannWhitney1M(b *testing.B) {
	scores, positive := selectorData(1_000_000, 3)
	base := sortBaseline(scores)
	b.ResetTimer()
	for b.Loop() {
		if _, err := MannWhitneyAUC(scores, positive); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(base), "x-sort")
}

// BenchmarkBootstrap1M runs 20 bootstrap resamples of the trigger metrics
// on 1 M events; x-roc is the time per resample relative to one NewROC.
func BenchmarkBootstrap1M(b *testing.B) {
	scores, positive := selectorData(1_000_000, 3)
	t0 := time.Now()
	if _, err := NewROC(scores, positive); err != nil {
		b.Fatal(err)
	}
	roc := time.Since(t0)
	cfg := TriggerConfig{Bootstrap: Bootstrap{Resamples: 20, Seed: 1}}
	b.ResetTimer()
	for b.Loop() {
		if _, err := NewTriggerMetrics("ttbar", scores, positive, cfg); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed())/float64(b.N)/20/float64(roc), "x-roc")
}
