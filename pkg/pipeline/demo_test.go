package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/report"
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
		// Evaluation reads the rows training read: its accuracy on the test set (the validation
		// set) is that of the epoch the model directory serves.
		h, err := modeldir.ReadHistory(filepath.Join(out, ModelsDir, m.Kind))
		if err != nil {
			t.Fatal(err)
		}
		info, err := modeldir.ReadInfo(filepath.Join(out, ModelsDir, m.Kind))
		if err != nil {
			t.Fatal(err)
		}
		served := h.ServedEpoch(info.Options)
		if acc := h.ValAccuracy[served-1]; math.Abs(m.Metrics.Accuracy-acc) > 1e-9 {
			t.Errorf("%s: evaluated accuracy %.4f, validation accuracy of the served epoch %d %.4f", m.Kind, m.Metrics.Accuracy, served, acc)
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
	if _, err := os.Stat(filepath.Join(out, EvalDir, ROCFile+".png")); err != nil || d.ROC == "" {
		t.Errorf("no plot of the classifiers' ROC curves (%q): %v", d.ROC, err)
	}
	for _, want := range []string{"HLF classifier", "Inclusive classifier", "0.9821", "0.9906", "0.9929", "data:image/png;base64,", "prepare",
		`alt="ttbar ROC curves of the classifiers"`, "95% percentile bootstrap interval"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	checkTruth(t, d, string(html))

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

// checkTruth checks that the report states which particles the sequence classifiers read and
// tells whether the measured ttbar AUCs are in the paper's order HLF < particle <= inclusive.
func checkTruth(t *testing.T, d *report.Demo, html string) {
	t.Helper()
	auc := map[string]float64{}
	for _, m := range d.Models {
		auc[m.Kind] = m.Metrics.AUC["ttbar"]
	}
	for _, p := range (DemoOptions{Quick: true}).Plans() {
		if p.MaxParticles > 0 {
			if want := fmt.Sprintf("the %s classifier reads the %d particles nearest the lepton", p.Kind, p.MaxParticles); !strings.Contains(html, want) {
				t.Errorf("report.html does not state the truncation %q", want)
			}
		}
	}
	ordered := auc["hlf"] < auc["particle"] && auc["particle"] <= auc["inclusive"]
	if d.Ordering.Reproduced != ordered || !d.Ordering.Measured {
		t.Errorf("verdict %+v for ttbar AUCs %v", d.Ordering, auc)
	}
	want := []string{"Paper's ordering reproduced."}
	if !ordered {
		want = []string{"Paper's ordering not reproduced.", "NOT reproduced", report.ResultsDoc}
	}
	for _, w := range want {
		if !strings.Contains(html, w) {
			t.Errorf("ttbar AUCs %v: report.html lacks %q", auc, w)
		}
	}
	if strings.Contains(html, "compare the ordering") {
		t.Error("report.html still tells the reader to compare the ordering")
	}
}
