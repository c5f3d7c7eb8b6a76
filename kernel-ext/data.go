package kernelext

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"gonum.org/v1/plot"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/evaluate"
	"github.com/godltrigger/godltrigger/pkg/spec"
)

var errEnough = errors.New("enough rows")

// hlfColumns are the columns holding the 14 high-level features (ingested, prepared).
var hlfColumns = map[string]bool{spec.ColumnHFeatures: true, spec.ColumnHLFInput: true}

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
		if hlfColumns[c.Name] && c.Kind == dataset.Float64List && c.Width == spec.NumHLF {
			t.Header = append(t.Header, spec.HLF[:]...)
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
				case hlfColumns[c.Name] && c.Kind == dataset.Float64List && c.Width == spec.NumHLF:
					for _, v := range b.Floats[j][i*c.Width : (i+1)*c.Width] {
						row = append(row, strconv.FormatFloat(v, 'g', 4, 64))
					}
				default:
					row = append(row, b.Format(j, i))
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

// HLFHistograms draws, for each named high-level feature, its distribution in each class
// of an ingested dataset (hfeatures, label from the partition directories) or of a prepared
// one (HLF_input, encoded_label), normalised to unit area (evaluate.FeatureHistograms draws
// them). At most maxRows rows are read (<= 0: all).
func HLFHistograms(ctx context.Context, path string, names []string, bins, maxRows int) ([]*plot.Plot, error) {
	idx := make([]int, len(names))
	for k, name := range names {
		idx[k] = -1
		for i, n := range spec.HLF {
			if n == name {
				idx[k] = i
			}
		}
		if idx[k] < 0 {
			return nil, fmt.Errorf("kernelext: no high-level feature %q (have %v)", name, spec.HLF)
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
	hcol, lcol := spec.ColumnHFeatures, spec.ColumnLabel
	if all.Index(hcol) < 0 {
		hcol, lcol = spec.ColumnHLFInput, spec.ColumnEncodedLabel
	}
	s, err := all.Select(hcol, lcol)
	if err != nil {
		return nil, fmt.Errorf("kernelext: %s: neither %s and %s nor %s and %s: %w", path,
			spec.ColumnHFeatures, spec.ColumnLabel, spec.ColumnHLFInput, spec.ColumnEncodedLabel, err)
	}
	// values[feature][label]
	values := make([][][]float64, len(names))
	for k := range values {
		values[k] = make([][]float64, len(spec.Classes))
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
			if l < 0 || int(l) >= len(spec.Classes) {
				return fmt.Errorf("kernelext: %s: label %d out of range", b.File, l)
			}
			for k, f := range idx {
				values[k][l] = append(values[k][l], hf[i*spec.NumHLF+f])
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, errEnough) {
		return nil, err
	}
	return evaluate.FeatureHistograms(names, values, evaluate.ClassNames(), bins)
}

// rowLabel is the class of row i: the label column, or the hot index of a one-hot one.
func rowLabel(b *dataset.Batch, col string, i int) int64 {
	if col == spec.ColumnLabel {
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
