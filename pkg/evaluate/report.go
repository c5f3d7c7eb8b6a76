package evaluate

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// ReportFile is the name of the file WriteReport writes.
const ReportFile = "metrics.json"

// Report gathers the evaluation of a classifier on a test set; it is
// serialised as metrics.json. Per-class maps are keyed by class name
// ("qcd", "ttbar", "wjets"); matrices have rows = true class.
type Report struct {
	Model           string                     `json:"model,omitempty"`
	Classes         []string                   `json:"classes"`
	Events          int                        `json:"n_events"`
	EventsPerClass  map[string]int             `json:"n_events_per_class"`
	Accuracy        float64                    `json:"accuracy"`
	AUC             map[string]float64         `json:"auc"`
	Confusion       [][]float64                `json:"confusion"`
	ConfusionCounts [][]int                    `json:"confusion_counts"`
	Trigger         map[string]*TriggerMetrics `json:"trigger"`
	// Curves are the one-vs-rest ROC curves by class index, when the evaluation kept them
	// (EvaluateModel does); not in metrics.json.
	Curves []*ROC `json:"-"`
}

// ReportConfig tunes NewReport. Zero values take the defaults: ClassNames
// for three classes, selectors ttbar and wjets, TriggerConfig's defaults.
type ReportConfig struct {
	Model     string
	Classes   []string
	Selectors []int
	Trigger   TriggerConfig
}

// NewReport evaluates the flat row-major softmax outputs probs (nClasses
// per event) against labels: accuracy, one-vs-rest AUC of every class,
// confusion matrix, and trigger metrics of the selector classes.
func NewReport(probs []float64, nClasses int, labels []int, cfg ReportConfig) (*Report, error) {
	names, err := classNamesFor(cfg.Classes, nClasses)
	if err != nil {
		return nil, err
	}
	sel := cfg.Selectors
	if sel == nil && nClasses == NumClasses {
		sel = []int{TTbar, WJets}
	}
	acc, err := Accuracy(probs, nClasses, labels)
	if err != nil {
		return nil, err
	}
	conf, err := NewConfusion(probs, nClasses, labels)
	if err != nil {
		return nil, err
	}
	r := &Report{
		Model:           cfg.Model,
		Classes:         names,
		Events:          len(labels),
		EventsPerClass:  map[string]int{},
		Accuracy:        acc,
		AUC:             map[string]float64{},
		Confusion:       conf.Normalized(),
		ConfusionCounts: conf.Counts,
		Trigger:         map[string]*TriggerMetrics{},
	}
	for c, row := range conf.Counts {
		for _, v := range row {
			r.EventsPerClass[names[c]] += v
		}
	}
	for c, name := range names {
		roc, err := OneVsRest(probs, nClasses, labels, c)
		if err != nil {
			return nil, fmt.Errorf("evaluate: class %s: %w", name, err)
		}
		r.AUC[name] = roc.AUC()
	}
	for _, c := range sel {
		if c < 0 || c >= nClasses {
			return nil, fmt.Errorf("evaluate: selector class %d outside [0, %d)", c, nClasses)
		}
		m, err := SelectorMetrics(probs, nClasses, labels, c, names[c], cfg.Trigger)
		if err != nil {
			return nil, err
		}
		r.Trigger[names[c]] = m
	}
	return r, nil
}

// WriteReport writes r as indented JSON to dir/metrics.json, atomically
// (temporary file, then rename). It creates dir when missing.
func WriteReport(dir string, r *Report) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("evaluate: create %s: %w", dir, err)
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("evaluate: encode %s: %w", ReportFile, err)
	}
	b = append(b, '\n')
	return writeAtomic(filepath.Join(dir, ReportFile), func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// ReadReport reads a metrics.json written by WriteReport.
func ReadReport(path string) (*Report, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("evaluate: %w", err)
	}
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("evaluate: read %s: %w", path, err)
	}
	return &r, nil
}
