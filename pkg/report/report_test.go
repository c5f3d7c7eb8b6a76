package report

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godltrigger/godltrigger/pkg/evaluate"
)

func TestWriteEmbedsTableStepsAndImages(t *testing.T) {
	dir := t.TempDir()
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{200, 0, 0, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	pngPath := filepath.Join(dir, "roc.png")
	if err := os.WriteFile(pngPath, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	d := &Demo{
		Title: "GoDLTrigger demo", Backend: "go (pure Go)", Created: time.Unix(0, 0).UTC(),
		Steps: []Step{{Name: "generate", Duration: 1500 * time.Millisecond, Detail: "9000 events"}, {Name: "ingest", Reused: true}},
		Models: []Model{{
			Kind: "hlf", Title: "HLF classifier", Setup: "5 epochs",
			Metrics: &evaluate.Report{Accuracy: 0.91234, AUC: map[string]float64{"qcd": 0.97, "ttbar": 0.95555, "wjets": 0.9}, Confusion: [][]float64{{0.9, 0.05, 0.05}, {0.1, 0.8, 0.1}, {0, 0.2, 0.8}}},
			Plots:   map[string]string{"roc": pngPath, "loss": filepath.Join(dir, "missing.png")},
		}},
	}
	d.Truncation = "Particle sequences: the particle classifier reads the 20 particles nearest the lepton."
	d.Ordering = CompareOrdering(d.Models, "test")
	d.ROC = pngPath
	out := filepath.Join(dir, "report.html")
	if err := Write(out, d); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	for _, want := range []string{"0.9556", "0.9821", "0.9123", "HLF classifier", "generate", "1.5s", "reused", "data:image/png;base64,", "missing.png", "0.800",
		"the 20 particles nearest the lepton", "Paper's ordering not measured.", ResultsDoc, `alt="ttbar ROC curves of the classifiers"`} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(html, "<img src=\"#ZgotmplZ") {
		t.Error("image URI was rejected by the template")
	}
	matches, _ := filepath.Glob(filepath.Join(dir, ".report.html.tmp-*"))
	if len(matches) != 0 {
		t.Errorf("temporary files left: %v", matches)
	}
}

// TestCompareOrdering checks the verdict on the paper's ordering HLF < particle <= inclusive.
func TestCompareOrdering(t *testing.T) {
	models := func(h, p, i float64) []Model {
		var ms []Model
		for kind, auc := range map[string]float64{"hlf": h, "particle": p, "inclusive": i} {
			ms = append(ms, Model{Kind: kind, Metrics: &evaluate.Report{AUC: map[string]float64{"ttbar": auc}}})
		}
		return ms
	}
	for _, tc := range []struct {
		name       string
		models     []Model
		reproduced bool
		want       []string
	}{
		{"paper's order", models(0.97, 0.98, 0.98), true, []string{"is reproduced", "HLF 0.9700, particle 0.9800, inclusive 0.9800", ResultsDoc}},
		{"HLF best", models(0.9815, 0.8390, 0.8929), false, []string{"NOT reproduced", "HLF 0.9815, particle 0.8390, inclusive 0.8929",
			"the particle-sequence classifier does not beat the HLF classifier", "the inclusive classifier does not beat the HLF classifier", ResultsDoc}},
		{"inclusive below particle", models(0.95, 0.97, 0.96), false, []string{"NOT reproduced", "the inclusive classifier falls below the particle-sequence classifier"}},
		{"a tie with HLF is no win", models(0.97, 0.97, 0.98), false, []string{"NOT reproduced"}},
		{"a classifier missing", models(0.9, 0.95, 0.96)[:2], false, []string{"needs all three classifiers", ResultsDoc}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := CompareOrdering(tc.models, "2000 events")
			if o.Reproduced != tc.reproduced {
				t.Errorf("reproduced %v, want %v: %s", o.Reproduced, tc.reproduced, o.Text)
			}
			for _, w := range tc.want {
				if !strings.Contains(o.Text, w) {
					t.Errorf("verdict %q lacks %q", o.Text, w)
				}
			}
		})
	}
}

// TestIntervals: the AUC cells carry the bootstrap interval where the evaluation computed one,
// and the verdict says whether the HLF and inclusive intervals of the ttbar AUC overlap.
func TestIntervals(t *testing.T) {
	model := func(kind string, auc, lo, hi float64) Model { // lo, hi NaN: no bootstrap ran
		nan := math.NaN()
		ci := evaluate.Estimate{Value: auc, CI68: [2]float64{nan, nan}, CI95: [2]float64{lo, hi}}
		return Model{Kind: kind, Title: kind, Metrics: &evaluate.Report{
			AUC:     map[string]float64{"qcd": 0.9, "ttbar": auc, "wjets": 0.8},
			Trigger: map[string]*evaluate.TriggerMetrics{"ttbar": {AUC: ci}},
		}}
	}
	nan := math.NaN()
	for _, tc := range []struct {
		name    string
		models  []Model
		want    string
		without string
	}{
		{"separated", []Model{model("hlf", 0.98, 0.978, 0.982), model("particle", 0.985, 0.983, 0.987), model("inclusive", 0.99, 0.988, 0.992)},
			"HLF [0.9780, 0.9820] and inclusive [0.9880, 0.9920], do not overlap: the inclusive classifier is better", ""},
		{"HLF better", []Model{model("hlf", 0.99, 0.988, 0.992), model("particle", 0.97, 0.96, 0.98), model("inclusive", 0.98, 0.978, 0.982)},
			"do not overlap: the HLF classifier is better", ""},
		{"overlapping", []Model{model("hlf", 0.98, 0.975, 0.985), model("particle", 0.981, 0.976, 0.986), model("inclusive", 0.982, 0.977, 0.987)},
			"overlap: the difference is not resolved", "do not overlap"},
		{"no intervals", []Model{model("hlf", 0.98, nan, nan), model("particle", 0.981, nan, nan), model("inclusive", 0.982, nan, nan)},
			"is reproduced", "bootstrap"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := CompareOrdering(tc.models, "test")
			if !strings.Contains(o.Text, tc.want) || (tc.without != "" && strings.Contains(o.Text, tc.without)) {
				t.Errorf("verdict %q: want %q and not %q", o.Text, tc.want, tc.without)
			}
			d := &Demo{Title: "t", Models: tc.models, Ordering: o}
			out := filepath.Join(t.TempDir(), "report.html")
			if err := Write(out, d); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			ci := tc.models[0].Metrics.Trigger["ttbar"].AUC.CI95
			cell := fmt.Sprintf("%.4f [%.4f, %.4f]", tc.models[0].Metrics.AUC["ttbar"], ci[0], ci[1])
			if has := strings.Contains(string(b), cell); has == math.IsNaN(ci[0]) {
				t.Errorf("report has the cell %q: %v, want %v", cell, has, !math.IsNaN(ci[0]))
			}
			if has := strings.Contains(string(b), "95% percentile bootstrap interval"); has == math.IsNaN(ci[0]) {
				t.Errorf("report explains the intervals: %v, want %v", has, !math.IsNaN(ci[0]))
			}
		})
	}
}
