// Package report writes the demo's self-contained HTML report: the AUC table beside the
// paper's reference values, ROC curves, loss curves and confusion matrices of each model, the
// time each pipeline step took and the backend used. Images are embedded as data URIs, so
// the single file opens anywhere, offline.
package report

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"math"
	"os"
	"strings"
	"time"

	"github.com/godltrigger/godltrigger/pkg/atomicfile"
	"github.com/godltrigger/godltrigger/pkg/evaluate"
	"github.com/godltrigger/godltrigger/pkg/spec"
)

// PaperAUC is the ttbar-selector AUC of each model on the full dataset, from the reference
// results of the original study (spec's), keyed by the model's kind.
var PaperAUC = map[string]float64{"hlf": spec.ReferenceAUCHLF, "particle": spec.ReferenceAUCParticle, "inclusive": spec.ReferenceAUCInclusive}

// ResultsDoc is the repository's record of the full-scale comparison with the paper.
const ResultsDoc = "docs/RESULTS.md"

// Ordering is the verdict on the paper's result, ttbar AUC HLF < particle <= inclusive: the
// sequence classifiers beat the classifier of the 14 high-level features.
type Ordering struct {
	Measured   bool   // all three classifiers were evaluated
	Reproduced bool   // the measured AUCs are in the paper's order
	Text       string // the verdict in one paragraph, for the report and the terminal
}

// CompareOrdering checks the ttbar AUCs of models against the paper's ordering. scale says
// on what the models were trained (e.g. "2000 generated events per class, 20 particles"): a
// verdict at small scale is not the full-scale result, which ResultsDoc records.
func CompareOrdering(models []Model, scale string) Ordering {
	auc := map[string]float64{}
	for _, m := range models {
		if a, ok := m.ttbarAUC(); ok {
			auc[m.Kind] = a
		}
	}
	h, okH := auc["hlf"]
	p, okP := auc["particle"]
	i, okI := auc["inclusive"]
	if !okH || !okP || !okI {
		return Ordering{Text: "The paper's ordering (ttbar AUC: HLF < particle sequence <= inclusive) needs all three classifiers; " +
			"see " + ResultsDoc + " for the full-scale comparison."}
	}
	o := Ordering{Measured: true, Reproduced: h < p && p <= i}
	measured := fmt.Sprintf("HLF %.4f, particle %.4f, inclusive %.4f", h, p, i)
	if o.Reproduced {
		o.Text = fmt.Sprintf("The paper's ordering is reproduced at this scale (%s): ttbar AUC %s, "+
			"so the sequence classifiers beat the HLF classifier, as in the paper (%.4f < %.4f <= %.4f).%s "+
			"The full-scale comparison is in %s.", scale, measured, PaperAUC["hlf"], PaperAUC["particle"], PaperAUC["inclusive"], separation(models), ResultsDoc)
		return o
	}
	var broken []string
	if h >= p {
		broken = append(broken, "the particle-sequence classifier does not beat the HLF classifier")
	}
	if p > i {
		broken = append(broken, "the inclusive classifier falls below the particle-sequence classifier")
	}
	if h >= i {
		broken = append(broken, "the inclusive classifier does not beat the HLF classifier")
	}
	o.Text = fmt.Sprintf("The paper's ordering (ttbar AUC: HLF %.4f < particle %.4f <= inclusive %.4f) is NOT reproduced at this scale (%s): "+
		"ttbar AUC %s; %s.%s This run does not show the paper's result; "+
		"see %s for the full-scale comparison of the three classifiers.",
		PaperAUC["hlf"], PaperAUC["particle"], PaperAUC["inclusive"], scale, measured, strings.Join(broken, ", "), separation(models), ResultsDoc)
	return o
}

// separation says whether the 95% bootstrap intervals of the ttbar AUCs of the HLF and the
// inclusive classifier overlap (" " and a sentence), or "" when either has none.
func separation(models []Model) string {
	ci := map[string][2]float64{}
	for _, m := range models {
		if c, ok := m.aucCI95(spec.Classes[spec.TTbar]); ok {
			ci[m.Kind] = c
		}
	}
	h, okH := ci["hlf"]
	i, okI := ci["inclusive"]
	if !okH || !okI {
		return ""
	}
	verdict := "overlap: the difference is not resolved by these test events"
	switch {
	case h[1] < i[0]:
		verdict = "do not overlap: the inclusive classifier is better"
	case i[1] < h[0]:
		verdict = "do not overlap: the HLF classifier is better"
	}
	return fmt.Sprintf(" The 95%% bootstrap intervals of the ttbar AUC, HLF [%.4f, %.4f] and inclusive [%.4f, %.4f], %s.", h[0], h[1], i[0], i[1], verdict)
}

// aucCI95 is the 95% bootstrap interval of the model's AUC of class, when the evaluation
// computed one (for the trigger selectors, ttbar and wjets).
func (m Model) aucCI95(class string) ([2]float64, bool) {
	if m.Metrics == nil || m.Metrics.Trigger[class] == nil {
		return [2]float64{}, false
	}
	ci := m.Metrics.Trigger[class].AUC.CI95
	return ci, !math.IsNaN(ci[0]) // NaN: no bootstrap ran
}

// ttbarAUC is the model's ttbar AUC, when it was evaluated.
func (m Model) ttbarAUC() (float64, bool) {
	if m.Metrics == nil {
		return 0, false
	}
	a, ok := m.Metrics.AUC[spec.Classes[spec.TTbar]]
	return a, ok
}

// Step is one pipeline step as run by the demo.
type Step struct {
	Name     string
	Duration time.Duration
	Detail   string // e.g. "9000 events, 6614 selected"
	Reused   bool   // the output of an earlier run was complete and reused
}

// Model is one trained classifier and its evaluation.
type Model struct {
	Kind    string           // the classifier kind: hlf, particle, inclusive, inclusive-lstm, ...
	Title   string           // e.g. "HLF classifier"
	Setup   string           // e.g. "5 epochs, batch 128, 50 particles"
	Metrics *evaluate.Report // metrics.json
	Plots   map[string]string
	// Plots maps a plot name (roc, loss, accuracy, confusion) to a PNG file.
}

// Demo is the content of the report.
type Demo struct {
	Title   string
	Backend string // the backend line printed by the training step
	Created time.Time
	Steps   []Step
	Models  []Model
	// Truncation says which particles the sequence classifiers read, shown above the table.
	Truncation string
	// Ordering is the verdict on the paper's ordering, shown under the table.
	Ordering Ordering
	Notes    []string // paragraphs shown under the table
	// ROC is a PNG of the ttbar selectors' ROC curves of all models, shown under the
	// table; "" for none.
	ROC string
}

// Total is the time of all steps.
func (d *Demo) Total() time.Duration {
	var t time.Duration
	for _, s := range d.Steps {
		t += s.Duration
	}
	return t
}

// Write renders d as HTML into path, atomically.
func Write(path string, d *Demo) error {
	var buf bytes.Buffer
	if err := page.Execute(&buf, view(d)); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := atomicfile.WriteFile(path, buf.Bytes()); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

type modelView struct {
	Model
	AUC       [spec.NumClasses]string
	Accuracy  string
	Paper     string
	Images    []imageView
	Confusion [][]string
}

type imageView struct {
	Name string
	URI  template.URL
	Err  string
}

type pageView struct {
	*Demo
	ROCImage  *imageView // Demo.ROC embedded
	Intervals bool       // some AUC has a bootstrap interval
	Models    []modelView
	Total     string
	Created   string
	Classes   []string
}

func view(d *Demo) pageView {
	v := pageView{Demo: d, Total: d.Total().Round(100 * time.Millisecond).String(), Created: d.Created.Format("2006-01-02 15:04 MST"), Classes: evaluate.ClassNames()}
	if d.ROC != "" {
		img := embed("ttbar ROC curves of the classifiers", d.ROC)
		v.ROCImage = &img
	}
	for _, m := range d.Models {
		mv := modelView{Model: m, Accuracy: "–", Paper: "–"}
		if ref, ok := PaperAUC[m.Kind]; ok {
			mv.Paper = fmt.Sprintf("%.4f", ref)
		}
		if m.Metrics != nil {
			mv.Accuracy = fmt.Sprintf("%.4f", m.Metrics.Accuracy)
			for i, c := range v.Classes {
				if a, ok := m.Metrics.AUC[c]; ok {
					mv.AUC[i] = fmt.Sprintf("%.4f", a)
					if ci, ok := m.aucCI95(c); ok {
						mv.AUC[i] += fmt.Sprintf(" [%.4f, %.4f]", ci[0], ci[1])
						v.Intervals = true
					}
				}
			}
			for _, row := range m.Metrics.Confusion {
				var r []string
				for _, x := range row {
					r = append(r, fmt.Sprintf("%.3f", x))
				}
				mv.Confusion = append(mv.Confusion, r)
			}
		}
		for _, name := range []string{"roc", "confusion", "loss", "accuracy"} {
			p, ok := m.Plots[name]
			if !ok {
				continue
			}
			mv.Images = append(mv.Images, embed(name, p))
		}
		v.Models = append(v.Models, mv)
	}
	return v
}

// embed reads the PNG file path as a data URI, or says why it could not.
func embed(name, path string) imageView {
	img := imageView{Name: name}
	if b, err := os.ReadFile(path); err != nil {
		img.Err = err.Error()
	} else {
		img.URI = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(b))
	}
	return img
}

var page = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{{.Title}}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
h1{margin-bottom:.2em} .sub{color:#666;margin-top:0}
table{border-collapse:collapse;margin:1em 0} th,td{border:1px solid #ccc;padding:.35em .7em;text-align:right}
th{background:#f3f5f8} td.l,th.l{text-align:left} .best{font-weight:bold}
.imgs{display:flex;flex-wrap:wrap;gap:12px} .imgs figure{margin:0;flex:1 1 45%} .imgs img{width:100%;border:1px solid #eee}
figcaption{color:#666;font-size:.9em;text-align:center} .note{background:#fafafa;border-left:4px solid #8ab;padding:.5em 1em}
.warn{background:#fff6f0;border-left:4px solid #d73;padding:.5em 1em}
code{background:#f3f3f3;padding:0 .2em}
</style></head><body>
<h1>{{.Title}}</h1>
<p class="sub">{{.Created}} · backend: <code>{{.Backend}}</code> · total {{.Total}}</p>

<h2>Classifiers</h2>
{{if .Truncation}}<p>{{.Truncation}}</p>{{end}}
<table>
<tr><th class="l">model</th><th class="l">setup</th>{{range .Classes}}<th>AUC {{.}}</th>{{end}}<th>accuracy</th><th>paper: ttbar AUC</th></tr>
{{range .Models}}<tr><td class="l">{{.Title}}</td><td class="l">{{.Setup}}</td>{{range .AUC}}<td>{{.}}</td>{{end}}<td>{{.Accuracy}}</td><td>{{.Paper}}</td></tr>
{{end}}</table>
{{if .Intervals}}<p class="sub">In brackets: the 95% percentile bootstrap interval of the AUC (test events resampled; the AUCs of the trigger selectors).</p>{{end}}
{{if .Ordering.Text}}<p class="{{if .Ordering.Reproduced}}note{{else}}warn{{end}}"><strong>{{if .Ordering.Reproduced}}Paper's ordering reproduced.{{else if .Ordering.Measured}}Paper's ordering not reproduced.{{else}}Paper's ordering not measured.{{end}}</strong> {{.Ordering.Text}}</p>{{end}}
{{with .ROCImage}}<div class="imgs"><figure>{{if .URI}}<img src="{{.URI}}" alt="{{.Name}}">{{else}}<p>{{.Name}}: {{.Err}}</p>{{end}}<figcaption>{{.Name}} (background contamination on a log scale)</figcaption></figure></div>{{end}}
{{range .Notes}}<p class="note">{{.}}</p>{{end}}

<h2>Pipeline steps</h2>
<table>
<tr><th class="l">step</th><th>time</th><th class="l">what</th></tr>
{{range .Steps}}<tr><td class="l">{{.Name}}</td><td>{{if .Reused}}reused{{else}}{{.Duration.Round 100000000}}{{end}}</td><td class="l">{{.Detail}}</td></tr>
{{end}}</table>

{{range .Models}}
<h2>{{.Title}}</h2>
<p>{{.Setup}}{{if .Confusion}} · confusion matrix (rows: true class, normalised per row):{{end}}</p>
{{if .Confusion}}<table><tr><th class="l">true \ predicted</th>{{range $.Classes}}<th>{{.}}</th>{{end}}</tr>
{{range $i, $row := .Confusion}}<tr><th class="l">{{index $.Classes $i}}</th>{{range $row}}<td>{{.}}</td>{{end}}</tr>{{end}}</table>{{end}}
<div class="imgs">{{range .Images}}<figure>{{if .URI}}<img src="{{.URI}}" alt="{{.Name}}">{{else}}<p>{{.Name}}: {{.Err}}</p>{{end}}<figcaption>{{.Name}}</figcaption></figure>{{end}}</div>
{{end}}
</body></html>
`))
