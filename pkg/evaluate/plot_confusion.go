package evaluate

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette/brewer"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ConfusionGrid adapts a square matrix (rows = true class) to
// plotter.GridXYZ for a heat map: column c is the predicted class at x = c,
// and the true classes run top to bottom (class 0 at the top, y = n-1), as
// a printed matrix reads.
type ConfusionGrid [][]float64

// Dims implements plotter.GridXYZ.
func (g ConfusionGrid) Dims() (c, r int) { return len(g), len(g) }

// Z implements plotter.GridXYZ.
func (g ConfusionGrid) Z(c, r int) float64 { return g[len(g)-1-r][c] }

// X implements plotter.GridXYZ.
func (g ConfusionGrid) X(c int) float64 { return float64(c) }

// Y implements plotter.GridXYZ.
func (g ConfusionGrid) Y(r int) float64 { return float64(r) }

// ConfusionPlot draws the confusion matrix normalised per true class as a
// heat map (0 white to 1 dark blue), each cell showing its fraction and,
// below it, its event count. names labels the classes (default ClassNames
// for three classes); model, when set, prefixes the title.
func ConfusionPlot(c *Confusion, names []string, model string) (*plot.Plot, error) {
	n := c.Classes()
	if n == 0 {
		return nil, fmt.Errorf("evaluate: confusion plot: empty matrix")
	}
	for t, row := range c.Counts {
		if len(row) != n {
			return nil, fmt.Errorf("evaluate: confusion plot: row %d has %d columns, want %d", t, len(row), n)
		}
	}
	names, err := classNamesFor(names, n)
	if err != nil {
		return nil, err
	}
	norm := c.Normalized()
	pal, err := brewer.GetPalette(brewer.TypeSequential, "Blues", 9)
	if err != nil {
		return nil, fmt.Errorf("evaluate: confusion plot: %w", err)
	}
	hm := plotter.NewHeatMap(ConfusionGrid(norm), pal)
	hm.Min, hm.Max = 0, 1

	p := plot.New()
	p.Title.Text = "Confusion matrix (normalised per true class)"
	if model != "" {
		p.Title.Text = model + ": confusion matrix"
	}
	p.X.Label.Text = "Predicted class"
	p.Y.Label.Text = "True class"
	p.Add(hm)

	xt := make([]plot.Tick, n)
	yt := make([]plot.Tick, n)
	for i := range n {
		xt[i] = plot.Tick{Value: float64(i), Label: names[i]}
		yt[i] = plot.Tick{Value: float64(n - 1 - i), Label: names[i]}
	}
	p.X.Tick.Marker = plot.ConstantTicks(xt)
	p.Y.Tick.Marker = plot.ConstantTicks(yt)
	p.X.Padding, p.Y.Padding = 0, 0
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Tick.Label.Font.Size = vg.Points(11)
		a.Label.TextStyle.Font.Size = vg.Points(12)
	}

	var (
		pts    plotter.XYs
		labels []string
		styles []text.Style
	)
	size := vg.Points(13)
	if n > 5 {
		size = vg.Points(9)
	}
	for t := range n {
		for pc := range n {
			pts = append(pts, plotter.XY{X: float64(pc), Y: float64(n - 1 - t)})
			labels = append(labels, fmt.Sprintf("%.3f\n(%d)", norm[t][pc], c.Counts[t][pc]))
			styles = append(styles, text.Style{
				Color:   cellTextColor(norm[t][pc]),
				Font:    font.From(plotter.DefaultFont, size),
				XAlign:  draw.XCenter,
				YAlign:  draw.YCenter,
				Handler: plot.DefaultTextHandler,
			})
		}
	}
	lab, err := plotter.NewLabels(plotter.XYLabels{XYs: pts, Labels: labels})
	if err != nil {
		return nil, fmt.Errorf("evaluate: confusion plot: %w", err)
	}
	lab.TextStyle = styles
	p.Add(lab)
	return p, nil
}

// cellTextColor is white on the dark half of the palette, black elsewhere.
func cellTextColor(v float64) color.Color {
	if v > 0.5 {
		return color.White
	}
	return color.Black
}
