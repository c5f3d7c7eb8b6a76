package evaluate

import "fmt"

// TriggerConfig chooses the working points of a trigger selector. Zero
// values take the defaults: FPRs 1% and 0.1%, TPRs 95% and 99%, and
// DefaultBootstrap (set Bootstrap.Resamples < 0 for no intervals).
type TriggerConfig struct {
	FPRs      []float64
	TPRs      []float64
	Bootstrap Bootstrap
}

func (c TriggerConfig) withDefaults() TriggerConfig {
	if c.FPRs == nil {
		c.FPRs = []float64{0.01, 0.001}
	}
	if c.TPRs == nil {
		c.TPRs = []float64{0.95, 0.99}
	}
	switch {
	case c.Bootstrap == Bootstrap{}:
		c.Bootstrap = DefaultBootstrap()
	case c.Bootstrap.Resamples < 0:
		c.Bootstrap.Resamples = 0
	}
	return c
}

// TriggerMetrics describes one class used as a trigger selector (signal =
// that class, background = the others, score = its probability).
//
// Vocabulary: signal efficiency eps_S = TPR; background efficiency
// eps_B = FPR; background rejection = 1/eps_B, as physicists quote it (+Inf
// when no background passes); specificity = 1 - eps_B, the fraction of
// background removed.
type TriggerMetrics struct {
	Class      string            `json:"class"`
	Signal     int               `json:"n_signal"`
	Background int               `json:"n_background"`
	AUC        Estimate          `json:"auc"`
	AtFPR      []EfficiencyAtFPR `json:"at_fpr"`
	AtTPR      []RejectionAtTPR  `json:"at_tpr"`
	Bootstrap  Bootstrap         `json:"bootstrap"`
}

// EfficiencyAtFPR is the signal efficiency of the cut whose background
// efficiency is FPR (interpolated on the ROC curve).
type EfficiencyAtFPR struct {
	FPR              float64  `json:"fpr"`
	SignalEfficiency Estimate `json:"signal_efficiency"`
}

// RejectionAtTPR is the background seen by the cut whose signal efficiency
// is SignalEfficiency (interpolated on the ROC curve).
type RejectionAtTPR struct {
	SignalEfficiency     float64  `json:"signal_efficiency"`
	BackgroundEfficiency Estimate `json:"background_efficiency"`
	Rejection            Estimate `json:"rejection"`
	Specificity          Estimate `json:"specificity"`
}

// NewTriggerMetrics computes the selector metrics of scores, positive[i]
// telling whether event i is signal, with bootstrap confidence intervals.
// name labels the selector.
func NewTriggerMetrics(name string, scores []float64, positive []bool, cfg TriggerConfig) (*TriggerMetrics, error) {
	cfg = cfg.withDefaults()
	for _, f := range cfg.FPRs {
		if !(f >= 0 && f <= 1) {
			return nil, fmt.Errorf("evaluate: selector %s: false positive rate %g outside [0, 1]", name, f)
		}
	}
	for _, t := range cfg.TPRs {
		if !(t >= 0 && t <= 1) {
			return nil, fmt.Errorf("evaluate: selector %s: signal efficiency %g outside [0, 1]", name, t)
		}
	}
	rk, err := newRanked(scores, positive)
	if err != nil {
		return nil, fmt.Errorf("evaluate: selector %s: %w", name, err)
	}
	// Statistics, in order: AUC; eps_S at each FPR; per TPR: eps_B, 1/eps_B, 1-eps_B.
	nStats := 1 + len(cfg.FPRs) + 3*len(cfg.TPRs)
	stat := func(r *ROC, out []float64) {
		out[0] = r.AUC()
		k := 1
		for _, f := range cfg.FPRs {
			out[k] = r.TPRAtFPR(f)
			k++
		}
		for _, t := range cfg.TPRs {
			eb := r.FPRAtTPR(t)
			out[k], out[k+1], out[k+2] = eb, 1/eb, 1-eb
			k += 3
		}
	}
	r := &ROC{}
	rk.curve(nil, r)
	point := make([]float64, nStats)
	stat(r, point)
	samples := make([][]float64, nStats)
	if cfg.Bootstrap.Resamples > 0 {
		samples = rk.resample(cfg.Bootstrap, nStats, stat)
	}
	est := func(k int) Estimate { return withCI(point[k], samples[k]) }

	m := &TriggerMetrics{
		Class:      name,
		Signal:     r.Positives,
		Background: r.Negatives,
		AUC:        est(0),
		Bootstrap:  cfg.Bootstrap,
	}
	k := 1
	for _, f := range cfg.FPRs {
		m.AtFPR = append(m.AtFPR, EfficiencyAtFPR{FPR: f, SignalEfficiency: est(k)})
		k++
	}
	for _, t := range cfg.TPRs {
		m.AtTPR = append(m.AtTPR, RejectionAtTPR{
			SignalEfficiency:     t,
			BackgroundEfficiency: est(k),
			Rejection:            est(k + 1),
			Specificity:          est(k + 2),
		})
		k += 3
	}
	return m, nil
}

// SelectorMetrics is NewTriggerMetrics for class against the others, from
// flat row-major softmax outputs.
func SelectorMetrics(probs []float64, nClasses int, labels []int, class int, name string, cfg TriggerConfig) (*TriggerMetrics, error) {
	scores, positive, err := selector(probs, nClasses, labels, class)
	if err != nil {
		return nil, err
	}
	return NewTriggerMetrics(name, scores, positive, cfg)
}
