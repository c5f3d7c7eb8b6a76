package evaluate

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ROCPlotOptions tunes ROCPlot. Zero values take the defaults.
type ROCPlotOptions struct {
	// Title defaults to "ROC curve", prefixed by Model when set.
	Title string
	Model string
	// Classes names the curves (default ClassNames for three curves).
	Classes []string
	// Highlight lists the classes drawn with a thicker line; nil means
	// ttbar when there are three curves.
	Highlight []int
	// ReferenceAUC, keyed by class name, is appended to the legend entry,
	// e.g. "ttbar (AUC = 0.9812, ref. 0.9821)".
	ReferenceAUC map[string]float64
	// References are marked on the plot, with their label in the legend.
	References []ReferencePoint
	// LogFPR draws the false positive rate on a log scale (trigger style:
	// the region of small background efficiency spread out).
	LogFPR bool
}

// ReferencePoint is a published working point (fpr, tpr) to overlay.
type ReferencePoint struct {
	Label    string
	FPR, TPR float64
}

// maxPlotPoints bounds the points drawn per curve: the curve is thinned so
// that consecutive drawn points differ by at least 1/maxPlotPoints of the
// axis range, which is invisible at any sensible size.
const maxPlotPoints = 2000

// ROCPlot draws the one-vs-rest ROC curves, x the false positive rate
// (background contamination), y the true positive rate (signal efficiency),
// with the AUC of each curve in its legend entry and the diagonal of a
// random classifier.
func ROCPlot(curves []*ROC, opt ROCPlotOptions) (*plot.Plot, error) {
	names, err := classNamesFor(opt.Classes, len(curves))
	if err != nil {
		return nil, err
	}
	highlight := opt.Highlight
	if highlight == nil && len(curves) == NumClasses {
		highlight = []int{TTbar}
	}
	p := plot.New()
	p.Title.Text = opt.Title
	if p.Title.Text == "" {
		p.Title.Text = "ROC curve"
		if opt.Model != "" {
			p.Title.Text = opt.Model + " ROC curve"
		}
	}
	p.X.Label.Text = "Background contamination (FPR)"
	p.Y.Label.Text = "Signal efficiency (TPR)"
	logX := func(x float64) float64 { return x }
	if opt.LogFPR {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = plot.LogTicks{Prec: -1}
		logX = math.Log10
	}
	p.Add(plotter.NewGrid())
	p.Legend.Top = false
	p.Legend.Left = false
	p.Legend.XOffs = -vg.Points(8)
	p.Legend.YOffs = vg.Points(8)

	if !opt.LogFPR {
		diag, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}})
		if err != nil {
			return nil, fmt.Errorf("evaluate: ROC plot: %w", err)
		}
		diag.Color = color.Gray{Y: 0x80}
		diag.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(diag)
	}
	for c, r := range curves {
		if r == nil || r.Len() == 0 {
			return nil, fmt.Errorf("evaluate: ROC plot: class %s: empty curve", names[c])
		}
		line, err := plotter.NewLine(thin(r, logX, opt.LogFPR))
		if err != nil {
			return nil, fmt.Errorf("evaluate: ROC plot: class %s: %w", names[c], err)
		}
		line.Color = seriesColor(c)
		line.Width = vg.Points(1.5)
		for _, h := range highlight {
			if h == c {
				line.Width = vg.Points(3)
			}
		}
		entry := fmt.Sprintf("%s (AUC = %.4f)", names[c], r.AUC())
		if ref, ok := opt.ReferenceAUC[names[c]]; ok {
			entry = fmt.Sprintf("%s (AUC = %.4f, ref. %.4f)", names[c], r.AUC(), ref)
		}
		p.Add(line)
		p.Legend.Add(entry, line)
	}
	for i, ref := range opt.References {
		s, err := plotter.NewScatter(plotter.XYs{{X: ref.FPR, Y: ref.TPR}})
		if err != nil {
			return nil, fmt.Errorf("evaluate: ROC plot: reference %q: %w", ref.Label, err)
		}
		s.Shape = draw.CrossGlyph{}
		s.Radius = vg.Points(5)
		s.Color = seriesColor(len(curves) + i)
		p.Add(s)
		p.Legend.Add(ref.Label, s)
	}
	// Add widened the ranges to the data; fix them to the unit square
	// (the log axis keeps its data-driven lower end: FPR 0 is not drawn).
	p.Y.Min, p.Y.Max = 0, 1.05
	if !opt.LogFPR {
		p.X.Min = 0
	}
	p.X.Max = 1
	return p, nil
}

// thin returns the points of r to draw: the first, the last, and every
// point that moved by at least 1/maxPlotPoints from the last kept one in x
// (measured after tx) or y. With logScale, points at FPR 0 are dropped.
func thin(r *ROC, tx func(float64) float64, logScale bool) plotter.XYs {
	out := make(plotter.XYs, 0, min(r.Len(), 4*maxPlotPoints))
	step := 1.0 / maxPlotPoints
	if logScale {
		step = 6.0 / maxPlotPoints // a log axis spans a few decades
	}
	last := -1
	for i := range r.Len() {
		x, y := r.XY(i)
		if logScale && x <= 0 {
			continue
		}
		if last >= 0 && i != r.Len()-1 {
			lx, ly := r.XY(last)
			if math.Abs(tx(x)-tx(lx)) < step && math.Abs(y-ly) < step {
				continue
			}
		}
		out = append(out, plotter.XY{X: x, Y: y})
		last = i
	}
	return out
}
