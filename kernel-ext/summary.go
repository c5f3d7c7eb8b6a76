package kernelext

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/godltrigger/godltrigger/pkg/evaluate"
	"github.com/godltrigger/godltrigger/pkg/ingest"
	"github.com/godltrigger/godltrigger/pkg/prep"
	"github.com/godltrigger/godltrigger/pkg/spec"
	"github.com/godltrigger/godltrigger/pkg/tune"
)

// IngestSummary shows what an ingestion run did: files, events read and selected per class.
func (nb *Notebook) IngestSummary(s *ingest.Summary) {
	t := &Table{Caption: "Ingestion summary", Header: []string{"class", "label", "selected events"}}
	var sel int64
	for _, l := range sortedKeys(s.Selected) {
		name := s.Names[l]
		if name == "" && l >= 0 && int(l) < len(spec.Classes) {
			name = spec.Classes[l]
		}
		t.Add(name, strconv.FormatInt(l, 10), strconv.FormatInt(s.Selected[l], 10))
		sel += s.Selected[l]
	}
	t.Add("total", "", strconv.FormatInt(sel, 10))
	t.Note = fmt.Sprintf("%d input files (%d ingested now, %d already complete, %d unreadable); %d events read in %s (%.0f events/s) with %d workers; output %s",
		s.Files, s.FilesDone, s.FilesSkipped, len(s.Bad), s.Events, s.Elapsed.Round(10*time.Millisecond), s.Rate(), s.Workers, s.Out)
	nb.Table(t)
}

// PrepSummary shows what the preparation step did: rows in, kept fraction, train and test
// rows per class.
func (nb *Notebook) PrepSummary(s *prep.Summary) {
	t := &Table{Caption: "Feature preparation summary", Header: []string{"class", "input rows", "kept fraction", "train rows", "test rows"}}
	for _, l := range sortedKeys(s.In) {
		name := strconv.FormatInt(l, 10)
		if l >= 0 && int(l) < len(spec.Classes) {
			name = spec.Classes[l]
		}
		t.Add(name, strconv.FormatInt(s.In[l], 10), fmt.Sprintf("%.4f", s.Fraction[l]),
			strconv.FormatInt(s.Train[l], 10), strconv.FormatInt(s.Test[l], 10))
	}
	t.Note = fmt.Sprintf("%d shuffle buckets; %s (%.0f rows/s)", s.Buckets, s.Elapsed.Round(10*time.Millisecond), s.RowsPerS)
	nb.Table(t)
}

// Metrics shows an evaluation report: AUC per class, accuracy and the trigger figures of
// each selector (signal efficiency at fixed background efficiency).
func (nb *Notebook) Metrics(r *evaluate.Report) {
	caption := "Evaluation"
	if r.Model != "" {
		caption = r.Model + ": evaluation"
	}
	t := &Table{Caption: caption, Header: []string{"class", "test events", "ROC AUC"}}
	for _, c := range r.Classes {
		t.Add(c, strconv.Itoa(r.EventsPerClass[c]), fmt.Sprintf("%.4f", r.AUC[c]))
	}
	t.Note = fmt.Sprintf("accuracy %.4f on %d events", r.Accuracy, r.Events)
	nb.Table(t)
	names := make([]string, 0, len(r.Trigger))
	for n := range r.Trigger {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		m := r.Trigger[n]
		tt := &Table{Caption: fmt.Sprintf("%s selector (signal %d, background %d events)", n, m.Signal, m.Background),
			Header: []string{"background efficiency", "signal efficiency", "68% interval"}}
		for _, e := range m.AtFPR {
			ci := ""
			if e.SignalEfficiency.HasCI() {
				ci = fmt.Sprintf("%.4f – %.4f", e.SignalEfficiency.CI68[0], e.SignalEfficiency.CI68[1])
			}
			tt.Add(fmt.Sprintf("%g", e.FPR), fmt.Sprintf("%.4f", e.SignalEfficiency.Value), ci)
		}
		tt.Note = fmt.Sprintf("AUC %.4f", m.AUC.Value)
		nb.Table(tt)
	}
}

// TuneResults shows ranked tuning results, best first (at most limit rows; <= 0: all).
func (nb *Notebook) TuneResults(ranked []tune.Result, limit int) {
	t := &Table{Caption: "Hyperparameter search (cross-validated ttbar AUC)",
		Header: []string{"rank", "batch size", "epochs", "hidden", "mean AUC", "std AUC", "mean accuracy", "folds", "seconds"}}
	for i, r := range ranked {
		if limit > 0 && i == limit {
			t.Note = fmt.Sprintf("%d more points not shown", len(ranked)-limit)
			break
		}
		t.Add(strconv.Itoa(i+1), strconv.Itoa(r.Point.BatchSize), strconv.Itoa(r.Point.Epochs),
			fmt.Sprintf("%d-%d-%d", r.Point.Hidden[0], r.Point.Hidden[1], r.Point.Hidden[2]),
			fmt.Sprintf("%.4f", r.MeanAUC), fmt.Sprintf("%.4f", r.StdAUC), fmt.Sprintf("%.4f", r.MeanAccuracy),
			strconv.Itoa(len(r.AUC)), fmt.Sprintf("%.1f", r.Seconds))
	}
	nb.Table(t)
}

func sortedKeys[V any](m map[int64]V) []int64 {
	ks := make([]int64, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i] < ks[j] })
	return ks
}
