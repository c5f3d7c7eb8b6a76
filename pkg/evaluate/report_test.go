package evaluate

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestReportRoundTrip(t *testing.T) {
	probs, labels := synthetic(3000, 2.5, 4)
	r, err := NewReport(probs, 3, labels, ReportConfig{
		Model:   "HLF classifier",
		Trigger: TriggerConfig{Bootstrap: Bootstrap{Resamples: 30, Seed: 1}},
	})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	if err := WriteReport(dir, r); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != ReportFile {
		t.Fatalf("folder holds %v, want only %s", entries, ReportFile)
	}
	path := filepath.Join(dir, ReportFile)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var generic map[string]any
	if err := json.Unmarshal(raw, &generic); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"accuracy", "auc", "confusion", "confusion_counts", "trigger", "n_events", "classes"} {
		if _, ok := generic[k]; !ok {
			t.Errorf("metrics.json lacks %q", k)
		}
	}
	auc := generic["auc"].(map[string]any)
	for _, k := range []string{"qcd", "ttbar", "wjets"} {
		if _, ok := auc[k]; !ok {
			t.Errorf("auc lacks %q", k)
		}
	}
	trig := generic["trigger"].(map[string]any)
	if _, ok := trig["ttbar"]; !ok || len(trig) != 2 {
		t.Errorf("trigger keys: %v, want ttbar and wjets", trig)
	}

	back, err := ReadReport(path)
	if err != nil {
		t.Fatal(err)
	}
	again, err := json.MarshalIndent(back, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if string(append(again, '\n')) != string(raw) {
		t.Errorf("round trip changed the report:\n%s\nvs\n%s", again, raw)
	}
	acc, _ := Accuracy(probs, 3, labels)
	roc, _ := OneVsRest(probs, 3, labels, TTbar)
	if back.Accuracy != acc || back.AUC["ttbar"] != roc.AUC() || back.Events != 3000 || back.EventsPerClass["wjets"] != 1000 {
		t.Errorf("read back accuracy %v, ttbar AUC %v, %d events, %d wjets; want %v, %v, 3000, 1000",
			back.Accuracy, back.AUC["ttbar"], back.Events, back.EventsPerClass["wjets"], acc, roc.AUC())
	}
	if !slices.Equal(back.Classes, ClassNames()) || back.Trigger["wjets"].AtFPR[0].SignalEfficiency.CI68 != r.Trigger["wjets"].AtFPR[0].SignalEfficiency.CI68 {
		t.Errorf("read back classes %v, wjets trigger %+v", back.Classes, back.Trigger["wjets"])
	}
	for i, row := range back.Confusion {
		if row[i] < 0.5 {
			t.Errorf("confusion diagonal %d = %v, want > 0.5 for a separation of 2.5", i, row[i])
		}
	}
}

func TestReportErrors(t *testing.T) {
	probs, labels := synthetic(30, 1, 1)
	if _, err := NewReport(probs, 3, labels, ReportConfig{Classes: []string{"a", "b"}}); err == nil {
		t.Error("two names for three classes: no error")
	}
	if _, err := NewReport(probs, 3, labels, ReportConfig{Selectors: []int{3}}); err == nil {
		t.Error("selector 3 of 3 classes: no error")
	}
	if _, err := ReadReport(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("missing file: no error")
	}
	// An unwritable destination leaves nothing behind.
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteReport(filepath.Join(blocker, "sub"), &Report{}); err == nil {
		t.Error("report under a regular file: no error")
	}
}
