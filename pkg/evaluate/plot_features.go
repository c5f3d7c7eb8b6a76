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

// classColors are the colours of qcd, ttbar and wjets in the feature histograms (matplotlib's
// blue, red and green).
var classColors = []color.NRGBA{{31, 119, 180, 255}, {214, 39, 40, 255}, {44, 160, 44, 255}}

// FeatureHistograms draws one plot per feature: its distribution in each class, normalised
// to unit area, as the original notebooks plot the high-level features. values[k][l] are the
// values of feature names[k] in the events of class l, classes[l] its legend entry (nil:
// ClassNames). The bins (bins equal-width ones over the range of all classes' values) are
// shared by the classes; an integer-valued feature spanning at most 50 integers (jet counts,
// charge) gets one bin per integer. A class without values is left out of its plot.
func FeatureHistograms(names []string, values [][][]float64, classes []string, bins int) ([]*plot.Plot, error) {
	if len(values) != len(names) {
		return nil, fmt.Errorf("evaluate: values of %d features for %d names", len(values), len(names))
	}
	var plots []*plot.Plot
	for k, name := range names {
		legend, err := classNamesFor(classes, len(values[k]))
		if err != nil {
			return nil, err
		}
		p := plot.New()
		p.Title.Text = name
		p.Y.Label.Text = "fraction of events"
		p.X.Label.Text = name
		p.Legend.Top = true
		edges := binEdges(values[k], bins)
		for l, v := range values[k] {
			if len(v) == 0 || len(edges) < 2 {
				continue
			}
			h := &plotter.Histogram{Bins: fill(v, edges), Width: edges[1] - edges[0]}
			c := classColors[l%len(classColors)]
			h.LineStyle = draw.LineStyle{Color: c, Width: vg.Points(1.2)}
			faded := c
			faded.A = 50
			h.FillColor = faded
			p.Add(h)
			p.Legend.Add(legend[l], h)
		}
		plots = append(plots, p)
	}
	return plots, nil
}

// binEdges returns bins+1 equal-width edges spanning every class's values; integer-valued
// features (jet counts, charge) get one bin per integer.
func binEdges(classes [][]float64, bins int) []float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	integers := true
	for _, v := range classes {
		for _, x := range v {
			lo, hi = math.Min(lo, x), math.Max(hi, x)
			integers = integers && x == math.Trunc(x)
		}
	}
	if math.IsInf(lo, 0) {
		return nil
	}
	if integers && hi-lo <= 50 {
		lo, hi, bins = lo-0.5, hi+0.5, int(hi-lo)+1
	}
	if bins < 1 {
		bins = 1
	}
	if hi == lo {
		hi = lo + 1
	}
	edges := make([]float64, bins+1)
	for i := range edges {
		edges[i] = lo + (hi-lo)*float64(i)/float64(bins)
	}
	return edges
}

// fill counts v in the bins of edges, as fractions of len(v).
func fill(v, edges []float64) []plotter.HistogramBin {
	n := len(edges) - 1
	out := make([]plotter.HistogramBin, n)
	for i := range out {
		out[i] = plotter.HistogramBin{Min: edges[i], Max: edges[i+1]}
	}
	w := (edges[n] - edges[0]) / float64(n)
	for _, x := range v {
		i := min(max(int((x-edges[0])/w), 0), n-1)
		out[i].Weight += 1 / float64(len(v))
	}
	return out
}
