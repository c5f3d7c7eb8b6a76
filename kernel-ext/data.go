package kernelext

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/features"
	"github.com/godltrigger/godltrigger/pkg/ingest"
)

var errEnough = errors.New("enough rows")

// hlfColumns are the columns holding the 14 high-level features (ingested, prepared).
var hlfColumns = map[string]bool{"hfeatures": true, "HLF_input": true}

// ParquetHead shows the first n rows of a Parquet dataset (a file or a directory of parts)
// as a table: the named columns (all when none), the high-level-feature column spread over
// one column per feature, other lists abbreviated.
func (nb *Notebook) ParquetHead(path string, n int, cols ...string) error {
	t, err := HeadTable(context.Background(), path, n, cols...)
	if err != nil {
		return err
	}
	nb.Table(t)
	return nil
}

// HeadTable builds the table ParquetHead shows.
func HeadTable(ctx context.Context, path string, n int, cols ...string) (*Table, error) {
	r, err := dataset.Open(path)
	if err != nil {
		return nil, err
	}
	s, err := r.Infer(ctx)
	if err != nil {
		return nil, err
	}
	if len(cols) > 0 {
		if s, err = s.Select(cols...); err != nil {
			return nil, fmt.Errorf("kernelext: %s: %w", path, err)
		}
	}
	t := &Table{Caption: fmt.Sprintf("%s: first %d of %d rows", path, n, r.NumRows())}
	for _, c := range s {
		if hlfColumns[c.Name] && c.Kind == dataset.Float64List && c.Width == features.NumHLF {
			t.Header = append(t.Header, features.HLFNames[:]...)
			continue
		}
		t.Header = append(t.Header, c.Name)
	}
	err = r.Scan(ctx, s, min(max(n, 1), dataset.DefaultBatchRows), func(b *dataset.Batch) error {
		for i := 0; i < b.Rows && len(t.Rows) < n; i++ {
			var row []string
			for j, c := range s {
				switch {
				case c.Kind == dataset.Int64:
					row = append(row, strconv.FormatInt(b.Ints[j][i], 10))
				case hlfColumns[c.Name] && c.Kind == dataset.Float64List && c.Width == features.NumHLF:
					for _, v := range b.Floats[j][i*c.Width : (i+1)*c.Width] {
						row = append(row, strconv.FormatFloat(v, 'g', 4, 64))
					}
				default:
					row = append(row, abbreviate(b.Floats[j][i*c.Len():(i+1)*c.Len()], c))
				}
			}
			t.Rows = append(t.Rows, row)
		}
		if len(t.Rows) >= n {
			return errEnough
		}
		return nil
	})
	if err != nil && !errors.Is(err, errEnough) {
		return nil, err
	}
	return t, nil
}

// abbreviate writes the first values of a list column's row and its shape.
func abbreviate(v []float64, c dataset.Column) string {
	const shown = 3
	s := "["
	for i := 0; i < min(shown, len(v)); i++ {
		if i > 0 {
			s += ", "
		}
		s += strconv.FormatFloat(v[i], 'g', 3, 64)
	}
	if c.Kind == dataset.Float64List2 {
		return s + fmt.Sprintf(", …] %dx%d", c.Rows, c.Cols)
	}
	if len(v) > shown {
		return s + fmt.Sprintf(", …] (%d)", len(v))
	}
	return s + "]"
}

// classColors are the colours of qcd, ttbar and wjets in every plot of this package.
var classColors = []color.NRGBA{{31, 119, 180, 255}, {214, 39, 40, 255}, {44, 160, 44, 255}}

// HLFHistograms draws, for each named high-level feature, its distribution in each class
// of an ingested dataset (hfeatures, label from the partition directories) or of a prepared
// one (HLF_input, encoded_label),
// normalised to unit area. At most maxRows rows are read (<= 0: all).
func HLFHistograms(ctx context.Context, path string, names []string, bins, maxRows int) ([]*plot.Plot, error) {
	idx := make([]int, len(names))
	for k, name := range names {
		idx[k] = -1
		for i, n := range features.HLFNames {
			if n == name {
				idx[k] = i
			}
		}
		if idx[k] < 0 {
			return nil, fmt.Errorf("kernelext: no high-level feature %q (have %v)", name, features.HLFNames)
		}
	}
	r, err := dataset.Open(path)
	if err != nil {
		return nil, err
	}
	all, err := r.Infer(ctx)
	if err != nil {
		return nil, err
	}
	// An ingested dataset (hfeatures, label) or a prepared one (HLF_input, encoded_label).
	hcol, lcol := "hfeatures", "label"
	if all.Index(hcol) < 0 {
		hcol, lcol = "HLF_input", "encoded_label"
	}
	s, err := all.Select(hcol, lcol)
	if err != nil {
		return nil, fmt.Errorf("kernelext: %s: neither hfeatures and label nor HLF_input and encoded_label: %w", path, err)
	}
	// values[feature][label]
	values := make([][][]float64, len(names))
	for k := range values {
		values[k] = make([][]float64, len(ingest.ClassNames))
	}
	rows := 0
	err = r.Scan(ctx, s, dataset.DefaultBatchRows, func(b *dataset.Batch) error {
		hf := b.Float64s(hcol)
		for i := 0; i < b.Rows; i++ {
			if maxRows > 0 && rows >= maxRows {
				return errEnough
			}
			rows++
			l := rowLabel(b, lcol, i)
			if l < 0 || int(l) >= len(ingest.ClassNames) {
				return fmt.Errorf("kernelext: %s: label %d out of range", b.File, l)
			}
			for k, f := range idx {
				values[k][l] = append(values[k][l], hf[i*features.NumHLF+f])
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, errEnough) {
		return nil, err
	}
	var plots []*plot.Plot
	for k, name := range names {
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
			p.Legend.Add(ingest.ClassNames[l], h)
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

// rowLabel is the class of row i: the label column, or the hot index of a one-hot one.
func rowLabel(b *dataset.Batch, col string, i int) int64 {
	if col == "label" {
		return b.Int64s(col)[i]
	}
	oh := b.RowFloat64s(col, i)
	best := 0
	for j, v := range oh {
		if v > oh[best] {
			best = j
		}
	}
	return int64(best)
}
