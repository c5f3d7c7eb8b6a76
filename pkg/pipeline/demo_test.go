package pipeline

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestQuickDemoRunsAndResumes runs the README's first command (the quick demo) end to end,
// then again: the second run must reuse every step's output.
func TestQuickDemoRunsAndResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("the quick demo takes about a minute")
	}
	out := t.TempDir()
	var log bytes.Buffer
	d, err := RunDemo(context.Background(), DemoOptions{Out: out, Quick: true, Log: &log})
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	if want := len(DemoOptions{Quick: true}.Plans()); len(d.Models) != want {
		t.Fatalf("%d models in the report, want %d", len(d.Models), want)
	}
	for _, m := range d.Models {
		if m.Metrics == nil || len(m.Metrics.AUC) != 3 {
			t.Fatalf("%s: no metrics", m.Kind)
		}
		// Every classifier must learn something from the generated data, even in the quick setup.
		if auc := m.Metrics.AUC["ttbar"]; auc < 0.7 {
			t.Errorf("%s: ttbar AUC %.3f on generated data, want > 0.7", m.Kind, auc)
		}
		for _, p := range []string{"roc", "confusion", "loss", "accuracy"} {
			if _, ok := m.Plots[p]; !ok {
				t.Errorf("%s: no %s plot", m.Kind, p)
			}
		}
	}
	html, err := os.ReadFile(filepath.Join(out, ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"HLF classifier", "Inclusive classifier", "0.9821", "0.9906", "0.9929", "data:image/png;base64,", "prepare"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("report.html lacks %q", want)
		}
	}

	log.Reset()
	d2, err := RunDemo(context.Background(), DemoOptions{Out: out, Quick: true, Log: &log})
	if err != nil {
		t.Fatalf("rerun: %v\n%s", err, log.String())
	}
	for _, s := range d2.Steps {
		if strings.HasPrefix(s.Name, "evaluate") {
			continue // cheap, always redone
		}
		if !s.Reused {
			t.Errorf("rerun: step %s was redone (%s), want reused", s.Name, s.Detail)
		}
	}
	for i, m := range d2.Models {
		if m.Metrics.AUC["ttbar"] != d.Models[i].Metrics.AUC["ttbar"] {
			t.Errorf("%s: rerun AUC %v differs from %v", m.Kind, m.Metrics.AUC["ttbar"], d.Models[i].Metrics.AUC["ttbar"])
		}
	}
}
