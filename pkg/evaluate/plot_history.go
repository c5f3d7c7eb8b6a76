package evaluate

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// History holds per-epoch training curves, as Keras' history.history:
// element e of each slice is the value after epoch e+1. Validation slices
// may be empty.
type History struct {
	Model       string // used in the titles, e.g. "HLF classifier"
	Loss        []float64
	ValLoss     []float64
	Accuracy    []float64
	ValAccuracy []float64
}

// EpochSeries adapts per-epoch values to plotter.XYer: point i is
// (i+1, values[i]), epochs counted from 1.
type EpochSeries []float64

// Len implements plotter.XYer.
func (s EpochSeries) Len() int { return len(s) }

// XY implements plotter.XYer.
func (s EpochSeries) XY(i int) (x, y float64) { return float64(i + 1), s[i] }

// LossPlot draws the training and validation loss per epoch.
func LossPlot(h History) (*plot.Plot, error) {
	return historyPlot(h.Model, "loss", h.Loss, h.ValLoss)
}

// AccuracyPlot draws the training and validation accuracy per epoch.
func AccuracyPlot(h History) (*plot.Plot, error) {
	return historyPlot(h.Model, "accuracy", h.Accuracy, h.ValAccuracy)
}

func historyPlot(model, quantity string, train, val []float64) (*plot.Plot, error) {
	if len(train) == 0 && len(val) == 0 {
		return nil, fmt.Errorf("evaluate: %s plot: no epochs", quantity)
	}
	p := plot.New()
	p.Title.Text = quantity
	if model != "" {
		p.Title.Text = model + " " + quantity
	}
	p.X.Label.Text = "epoch"
	p.Y.Label.Text = quantity
	p.Add(plotter.NewGrid())
	// Loss falls and accuracy rises: the legend goes where the curves are not.
	p.Legend.Top = quantity == "loss"
	p.Legend.Left = false
	p.Legend.XOffs = -vg.Points(8)
	p.Legend.YOffs = vg.Points(8)
	if p.Legend.Top {
		p.Legend.YOffs = -vg.Points(8)
	}
	for _, s := range []struct {
		name   string
		values []float64
		color  color.Color
	}{{"train", train, seriesColor(0)}, {"validation", val, seriesColor(1)}} {
		if len(s.values) == 0 {
			continue
		}
		l, pts, err := plotter.NewLinePoints(EpochSeries(s.values))
		if err != nil {
			return nil, fmt.Errorf("evaluate: %s plot, %s: %w", quantity, s.name, err)
		}
		l.Color, l.Width = s.color, vg.Points(1.5)
		pts.Color, pts.Shape, pts.Radius = s.color, draw.CircleGlyph{}, vg.Points(2.5)
		p.Add(l, pts)
		p.Legend.Add(s.name, l, pts)
	}
	n := max(len(train), len(val))
	p.X.Min, p.X.Max = 0.5, float64(n)+0.5
	p.X.Tick.Marker = epochTicks{}
	return p, nil
}

// epochTicks labels whole epochs, every 1, 2, 5, 10, 20, 50, ... epochs so
// that at most about ten are labelled.
type epochTicks struct{}

func (epochTicks) Ticks(lo, hi float64) []plot.Tick {
	first, last := int(math.Ceil(lo)), int(math.Floor(hi))
	step := 1
	for m := 0; (last-first)/step >= 10; m++ {
		step = []int{2, 5, 10}[m%3] * int(math.Pow10(m/3))
	}
	var ts []plot.Tick
	for e := first; e <= last; e++ {
		label := ""
		if e%step == 0 || step == 1 {
			label = strconv.Itoa(e)
		}
		if label != "" || step <= 5 {
			ts = append(ts, plot.Tick{Value: float64(e), Label: label})
		}
	}
	return ts
}

// seriesColor returns the i-th colour of matplotlib's default cycle, the
// colours of the original notebooks' plots.
func seriesColor(i int) color.Color {
	cycle := [...]color.RGBA{
		{0x1f, 0x77, 0xb4, 0xff}, // blue
		{0xff, 0x7f, 0x0e, 0xff}, // orange
		{0x2c, 0xa0, 0x2c, 0xff}, // green
		{0xd6, 0x27, 0x28, 0xff}, // red
		{0x94, 0x67, 0xbd, 0xff}, // purple
		{0x8c, 0x56, 0x4b, 0xff}, // brown
	}
	return cycle[i%len(cycle)]
}
