package evaluate

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// PNGDPI is the resolution of the PNG files.
const PNGDPI = 150

// margin is the blank border around a saved plot.
const margin = vg.Length(8)

// drawWithMargin draws p on c inside a blank border.
func drawWithMargin(p *plot.Plot, c vg.CanvasSizer) {
	p.Draw(draw.Crop(draw.New(c), margin, -margin, margin, -margin))
}

// SavePlot writes p as dir/name.png (PNGDPI dots per inch) and
// dir/name.svg, each w by h, each atomically. It returns the two paths.
func SavePlot(p *plot.Plot, dir, name string, w, h vg.Length) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("evaluate: create %s: %w", dir, err)
	}
	pngPath := filepath.Join(dir, name+".png")
	err := writeAtomic(pngPath, func(out io.Writer) error {
		c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(PNGDPI))
		drawWithMargin(p, c)
		_, err := vgimg.PngCanvas{Canvas: c}.WriteTo(out)
		return err
	})
	if err != nil {
		return nil, err
	}
	svgPath := filepath.Join(dir, name+".svg")
	err = writeAtomic(svgPath, func(out io.Writer) error {
		c := vgsvg.New(w, h)
		drawWithMargin(p, c)
		_, err := c.WriteTo(out)
		return err
	})
	if err != nil {
		return nil, err
	}
	return []string{pngPath, svgPath}, nil
}

// PlotSet is what WritePlots draws; nil or empty members are skipped.
type PlotSet struct {
	History    *History
	ROC        []*ROC
	ROCOptions ROCPlotOptions
	Confusion  *Confusion
	Classes    []string // class names for the confusion matrix
	Model      string   // title prefix for the confusion matrix
}

// WritePlots writes, in dir, loss.{png,svg} and accuracy.{png,svg} (from
// History), roc.{png,svg} and confusion.{png,svg}, each file atomically.
// It returns the paths written.
func WritePlots(dir string, s PlotSet) ([]string, error) {
	var written []string
	save := func(name string, p *plot.Plot, w, h vg.Length) error {
		paths, err := SavePlot(p, dir, name, w, h)
		written = append(written, paths...)
		return err
	}
	if h := s.History; h != nil {
		if len(h.Loss)+len(h.ValLoss) > 0 {
			p, err := LossPlot(*h)
			if err != nil {
				return written, err
			}
			if err := save("loss", p, 6*vg.Inch, 4*vg.Inch); err != nil {
				return written, err
			}
		}
		if len(h.Accuracy)+len(h.ValAccuracy) > 0 {
			p, err := AccuracyPlot(*h)
			if err != nil {
				return written, err
			}
			if err := save("accuracy", p, 6*vg.Inch, 4*vg.Inch); err != nil {
				return written, err
			}
		}
	}
	if len(s.ROC) > 0 {
		p, err := ROCPlot(s.ROC, s.ROCOptions)
		if err != nil {
			return written, err
		}
		if err := save("roc", p, 6*vg.Inch, 5*vg.Inch); err != nil {
			return written, err
		}
	}
	if s.Confusion != nil {
		p, err := ConfusionPlot(s.Confusion, s.Classes, s.Model)
		if err != nil {
			return written, err
		}
		if err := save("confusion", p, 5.5*vg.Inch, 5*vg.Inch); err != nil {
			return written, err
		}
	}
	return written, nil
}
