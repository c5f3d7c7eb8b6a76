package kernelext

import (
	"bytes"
	"fmt"
	"os"

	"github.com/janpfeifer/gonb/gonbui"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Displayer sends rich outputs to the front end. Gonb sends them to the GoNB kernel; tests
// record them.
type Displayer interface {
	DisplayHTML(html string)
	DisplayPNG(png []byte)
	// UpdateHTML creates the output block id on its first call and replaces its content
	// on later ones.
	UpdateHTML(id, html string)
	// Sync returns once every output sent before it has reached the front end.
	Sync()
}

// Gonb is the Displayer of a GoNB cell.
type Gonb struct{}

// DisplayHTML shows html as the cell's output.
func (Gonb) DisplayHTML(html string) { gonbui.DisplayHTML(html) }

// DisplayPNG shows a PNG image.
func (Gonb) DisplayPNG(png []byte) { gonbui.DisplayPNG(png) }

// UpdateHTML replaces the content of the output block id.
func (Gonb) UpdateHTML(id, html string) { gonbui.UpdateHTML(id, html) }

// Sync waits until GoNB has received every output sent so far.
func (Gonb) Sync() { gonbui.Sync() }

// IsNotebook reports whether the program runs in a GoNB cell.
func IsNotebook() bool { return gonbui.IsNotebook }

// Notebook draws the pipeline's results through a Displayer.
type Notebook struct {
	D Displayer
	// Width and Height are the size of plots (default 16 cm by 10 cm).
	Width, Height vg.Length
	// DPI of PNG plots (default 110: sharp and still small in the saved notebook).
	DPI int
}

// New returns a Notebook showing its outputs in the GoNB cell that runs it.
func New() *Notebook { return NewWith(Gonb{}) }

// NewWith returns a Notebook showing its outputs through d.
func NewWith(d Displayer) *Notebook {
	return &Notebook{D: d, Width: 16 * vg.Centimeter, Height: 10 * vg.Centimeter, DPI: 110}
}

// Sync waits until every output has reached the front end. Defer it at the top of a cell:
// without it the last outputs of a cell can be lost when the cell's program exits.
func (nb *Notebook) Sync() { nb.D.Sync() }

// Must shows err as a red message, waits for the outputs and ends the cell's program with
// a non-zero status, so that the cell fails (and a headless run reports the error).
// It does nothing when err is nil.
func (nb *Notebook) Must(err error) {
	if err == nil {
		return
	}
	nb.D.DisplayHTML(fmt.Sprintf(`<pre style="color:#b00020">%s</pre>`, escape(err.Error())))
	nb.D.Sync()
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

// HTML shows raw HTML.
func (nb *Notebook) HTML(html string) { nb.D.DisplayHTML(html) }

// Plot shows p as a PNG image of the Notebook's size.
func (nb *Notebook) Plot(p *plot.Plot) error {
	png, err := PNG(p, nb.Width, nb.Height, nb.DPI)
	if err != nil {
		return err
	}
	nb.D.DisplayPNG(png)
	return nil
}

// PlotSVG shows p as inline SVG (sharp at any zoom, larger than PNG for dense plots).
func (nb *Notebook) PlotSVG(p *plot.Plot) error {
	svg, err := SVG(p, nb.Width, nb.Height)
	if err != nil {
		return err
	}
	nb.D.DisplayHTML("<div>" + string(svg) + "</div>")
	return nil
}

// Plots shows several plots side by side in one PNG image, each of the Notebook's size.
func (nb *Notebook) Plots(ps ...*plot.Plot) error {
	if len(ps) == 0 {
		return fmt.Errorf("kernelext: no plots to show")
	}
	w := nb.Width * vg.Length(len(ps))
	c := vgimg.NewWith(vgimg.UseWH(w, nb.Height), vgimg.UseDPI(nb.dpi()))
	dc := draw.New(c)
	tiles := draw.Tiles{Rows: 1, Cols: len(ps)}
	for i, p := range ps {
		p.Draw(tiles.At(dc, i, 0))
	}
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return fmt.Errorf("kernelext: encode PNG: %w", err)
	}
	nb.D.DisplayPNG(buf.Bytes())
	return nil
}

func (nb *Notebook) dpi() int {
	if nb.DPI <= 0 {
		return 110
	}
	return nb.DPI
}

// PNG renders p as a w by h PNG image at dpi dots per inch.
func PNG(p *plot.Plot, w, h vg.Length, dpi int) ([]byte, error) {
	if p == nil {
		return nil, fmt.Errorf("kernelext: nil plot")
	}
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi))
	p.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("kernelext: encode PNG: %w", err)
	}
	return buf.Bytes(), nil
}

// SVG renders p as a w by h SVG document.
func SVG(p *plot.Plot, w, h vg.Length) ([]byte, error) {
	if p == nil {
		return nil, fmt.Errorf("kernelext: nil plot")
	}
	c := vgsvg.New(w, h)
	p.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("kernelext: encode SVG: %w", err)
	}
	return buf.Bytes(), nil
}
