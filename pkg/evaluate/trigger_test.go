package evaluate

import (
	"encoding/json"
	"math"
	"testing"
)

func TestQuantile(t *testing.T) {
	v := []float64{1, 2, 3, 4, 5}
	for _, tc := range []struct{ q, want float64 }{{0, 1}, {0.1, 1.4}, {0.25, 2}, {0.5, 3}, {0.975, 4.9}, {1, 5}} {
		if got := quantile(v, tc.q); !approxEqual(got, tc.want, 1e-12) {
			t.Errorf("quantile(%v) = %v, want %v", tc.q, got, tc.want)
		}
	}
	if got := quantile([]float64{1, math.Inf(1)}, 0); got != 1 {
		t.Errorf("quantile with +Inf at q=0 = %v, want 1", got)
	}
}

func selectorData(n int, seed uint64) ([]float64, []bool) {
	probs, labels := synthetic(n, 2.5, seed)
	scores := make([]float64, len(labels))
	positive := make([]bool, len(labels))
	for i, l := range labels {
		scores[i], positive[i] = probs[3*i+TTbar], l == TTbar
	}
	return scores, positive
}

func TestTriggerMetricsBootstrap(t *testing.T) {
	scores, positive := selectorData(6000, 1)
	cfg := TriggerConfig{Bootstrap: Bootstrap{Resamples: 60, Seed: 9}}
	m, err := NewTriggerMetrics("ttbar", scores, positive, cfg)
	if err != nil {
		t.Fatal(err)
	}
	again, err := NewTriggerMetrics("ttbar", scores, positive, cfg)
	if err != nil {
		t.Fatal(err)
	}
	b1, _ := json.Marshal(m)
	b2, _ := json.Marshal(again)
	if string(b1) != string(b2) {
		t.Fatalf("same seed, different results:\n%s\n%s", b1, b2)
	}
	cfg.Bootstrap.Seed = 10
	other, err := NewTriggerMetrics("ttbar", scores, positive, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if other.AUC.CI95 == m.AUC.CI95 {
		t.Errorf("seeds 9 and 10 give the same AUC interval %v", m.AUC.CI95)
	}

	r, _ := NewROC(scores, positive)
	if m.AUC.Value != r.AUC() || m.Signal != 2000 || m.Background != 4000 {
		t.Errorf("AUC %v on %d/%d events, want %v on 2000/4000", m.AUC.Value, m.Signal, m.Background, r.AUC())
	}
	var all []Estimate
	all = append(all, m.AUC)
	if len(m.AtFPR) != 2 || m.AtFPR[0].FPR != 0.01 || m.AtFPR[1].FPR != 0.001 {
		t.Fatalf("AtFPR = %+v, want working points 0.01 and 0.001", m.AtFPR)
	}
	for _, w := range m.AtFPR {
		if w.SignalEfficiency.Value != r.TPRAtFPR(w.FPR) {
			t.Errorf("signal efficiency at %v = %v, want %v", w.FPR, w.SignalEfficiency.Value, r.TPRAtFPR(w.FPR))
		}
		all = append(all, w.SignalEfficiency)
	}
	if len(m.AtTPR) != 2 || m.AtTPR[0].SignalEfficiency != 0.95 || m.AtTPR[1].SignalEfficiency != 0.99 {
		t.Fatalf("AtTPR = %+v, want working points 0.95 and 0.99", m.AtTPR)
	}
	for _, w := range m.AtTPR {
		eb := r.FPRAtTPR(w.SignalEfficiency)
		if w.BackgroundEfficiency.Value != eb || w.Rejection.Value != 1/eb || w.Specificity.Value != 1-eb {
			t.Errorf("at eps_S %v: eps_B %v, rejection %v, specificity %v; want %v, %v, %v",
				w.SignalEfficiency, w.BackgroundEfficiency.Value, w.Rejection.Value, w.Specificity.Value, eb, 1/eb, 1-eb)
		}
		// Rejection is a decreasing function of eps_B: the interval flips
		// (up to the interpolation between order statistics).
		if lo := 1 / w.BackgroundEfficiency.CI95[1]; math.Abs(w.Rejection.CI95[0]/lo-1) > 0.01 {
			t.Errorf("rejection CI95 %v does not match 1/eps_B CI95 %v", w.Rejection.CI95, w.BackgroundEfficiency.CI95)
		}
		all = append(all, w.BackgroundEfficiency, w.Rejection, w.Specificity)
	}
	for i, e := range all {
		if !e.HasCI() {
			t.Fatalf("estimate %d: no interval", i)
		}
		if !(e.CI95[0] <= e.CI68[0] && e.CI68[0] <= e.Value && e.Value <= e.CI68[1] && e.CI68[1] <= e.CI95[1]) {
			t.Errorf("estimate %d: want CI95 %v ⊇ CI68 %v ∋ %v", i, e.CI95, e.CI68, e.Value)
		}
		if !(e.CI95[1] > e.CI95[0]) {
			t.Errorf("estimate %d: empty interval %v", i, e.CI95)
		}
	}
	// The AUC interval is about ± 2 standard errors; the standard error of
	// an AUC ~0.95 on 2000/4000 events is ~0.003.
	if w := m.AUC.CI95[1] - m.AUC.CI95[0]; w < 0.002 || w > 0.03 {
		t.Errorf("AUC CI95 width %v, want 0.002 to 0.03", w)
	}

	none, err := NewTriggerMetrics("ttbar", scores, positive, TriggerConfig{Bootstrap: Bootstrap{Resamples: -1}})
	if err != nil {
		t.Fatal(err)
	}
	if none.AUC.HasCI() || none.AUC.Value != m.AUC.Value {
		t.Errorf("without bootstrap: %+v", none.AUC)
	}
}

func TestTriggerConfigErrors(t *testing.T) {
	scores, positive := selectorData(30, 1)
	for _, cfg := range []TriggerConfig{{FPRs: []float64{1.5}}, {TPRs: []float64{-0.1}}, {FPRs: []float64{math.NaN()}}} {
		cfg.Bootstrap.Resamples = -1
		if _, err := NewTriggerMetrics("ttbar", scores, positive, cfg); err == nil {
			t.Errorf("%+v: no error", cfg)
		}
	}
}

// A perfect selector lets no background through at 95% signal efficiency:
// rejection is +Inf, and survives JSON.
func TestInfiniteRejectionJSON(t *testing.T) {
	scores := []float64{0.9, 0.8, 0.7, 0.2, 0.1}
	positive := []bool{true, true, true, false, false}
	m, err := NewTriggerMetrics("ttbar", scores, positive, TriggerConfig{Bootstrap: Bootstrap{Resamples: 20, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsInf(m.AtTPR[0].Rejection.Value, 1) || m.AtTPR[0].Specificity.Value != 1 {
		t.Fatalf("perfect selector: rejection %v, specificity %v", m.AtTPR[0].Rejection.Value, m.AtTPR[0].Specificity.Value)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var back TriggerMetrics
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !math.IsInf(back.AtTPR[0].Rejection.Value, 1) || back.AtTPR[0].Rejection.CI95 != m.AtTPR[0].Rejection.CI95 {
		t.Errorf("round trip: %+v, want %+v", back.AtTPR[0].Rejection, m.AtTPR[0].Rejection)
	}
}
