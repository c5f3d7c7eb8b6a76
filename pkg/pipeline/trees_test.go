//go:build xgboost

package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godltrigger/godltrigger/pkg/prep/preptest"
	"github.com/godltrigger/godltrigger/pkg/report"
)

// The demo trains the tree ensembles when XGBoost is compiled in, reuses them on a rerun, and
// the report shows them as the networks: AUCs from probabilities, ROC, loss, confusion.
func TestDemoTreePlans(t *testing.T) {
	ctx := context.Background()
	out := t.TempDir()
	prepared, err := preptest.Prepare(ctx, out, 300, 5)
	if err != nil {
		t.Fatal(err)
	}
	o := DemoOptions{Out: out, Quick: true}
	o.normalize()
	plans := o.Plans()
	if len(plans) != 5 || !plans[3].Kind.Tree() || !plans[4].Kind.Tree() {
		t.Fatalf("plans %v: want the three networks, then xgboost and rf", plans)
	}
	d := &report.Demo{Title: "trees", Created: time.Now(), Notes: []string{TreesNote}}
	for _, p := range plans[3:] {
		dir := filepath.Join(out, ModelsDir, string(p.Kind))
		if _, reused, err := trainModel(ctx, nil, p, o, prepared, dir); err != nil || reused {
			t.Fatalf("train %s: reused %v, %v", p.Kind, reused, err)
		}
		if detail, reused, err := trainModel(ctx, nil, p, o, prepared, dir); err != nil || !reused || !strings.Contains(detail, "already trained") {
			t.Errorf("second training of %s: %q reused %v, %v", p.Kind, detail, reused, err)
		}
		m, err := evaluateModel(ctx, nil, p, dir, prepared, filepath.Join(out, EvalDir, string(p.Kind)))
		if err != nil {
			t.Fatal(err)
		}
		if m.Metrics.AUC["ttbar"] < 0.8 || !strings.Contains(m.Setup, `"max_depth"`) {
			t.Errorf("%s: ttbar AUC %.4f, setup %q", p.Kind, m.Metrics.AUC["ttbar"], m.Setup)
		}
		for _, name := range []string{"roc", "confusion", "loss", "accuracy"} {
			if _, ok := m.Plots[name]; !ok {
				t.Errorf("%s: no %s plot", p.Kind, name)
			}
		}
		d.Models = append(d.Models, m)
	}
	path := filepath.Join(out, ReportFile)
	if err := report.Write(path, d); err != nil {
		t.Fatal(err)
	}
	html, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"XGBoost (boosted trees on the HLF)", "Random forest (XGBoost, on the HLF)", "0.9205", "data:image/png;base64,"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
}
