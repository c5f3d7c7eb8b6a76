package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/prep/preptest"
	"github.com/godltrigger/godltrigger/pkg/report"
)

// The demo trains the extra models asked for after its own, as the plan of the classifiers
// reading the same inputs, and the report shows them as rows of its table.
func TestDemoExtraModels(t *testing.T) {
	if n := len((DemoOptions{Quick: true}).Plans()); n != 3+len(treePlans()) {
		t.Fatalf("%d plans without extra models, want the demo's own", n)
	}
	for _, tc := range []struct {
		extra []models.Kind
		want  string
	}{
		{[]models.Kind{"cnn"}, `extra model "cnn"`},
		{[]models.Kind{models.KindInclusive}, "the demo trains it already"},
		{[]models.Kind{models.KindInclusiveLSTM, models.KindInclusiveLSTM}, "the demo trains it already"},
	} {
		if err := (DemoOptions{ExtraModels: tc.extra}).Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("extra models %v: error %v, want %q", tc.extra, err, tc.want)
		}
	}

	ctx := context.Background()
	out := t.TempDir()
	prepared, err := preptest.Prepare(ctx, out, 300, 5)
	if err != nil {
		t.Fatal(err)
	}
	o := DemoOptions{Out: out, Quick: true, ExtraModels: []models.Kind{models.KindInclusiveLSTM}}
	o.normalize()
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	plans := o.Plans()
	p := plans[len(plans)-1]
	if p.Kind != models.KindInclusiveLSTM || p.MaxParticles != plans[1].MaxParticles || p.Title != "Inclusive classifier (LSTM)" {
		t.Fatalf("last plan %+v: want the LSTM inclusive classifier planned as the particle classifier %+v", p, plans[1])
	}
	p.Epochs = 2 // enough to check the row
	dir := filepath.Join(out, ModelsDir, string(p.Kind))
	if _, _, err := trainModel(ctx, nil, p, o, prepared, dir); err != nil {
		t.Fatal(err)
	}
	m, err := evaluateModel(ctx, nil, p, dir, prepared, filepath.Join(out, EvalDir, string(p.Kind)))
	if err != nil {
		t.Fatal(err)
	}
	d := &report.Demo{Title: "extra", Created: time.Now(), Models: []report.Model{m}, Notes: []string{ExtraNotes[p.Kind]}}
	path := filepath.Join(out, ReportFile)
	if err := report.Write(path, d); err != nil {
		t.Fatal(err)
	}
	html, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Inclusive classifier (LSTM)", "0.9968", "data:image/png;base64,"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
}
