package dataset

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// DefaultBatchRows is the batch size Scan uses when given batchRows <= 0.
const DefaultBatchRows = 1024

type listLike = array.ListLike

// ScanFile reads the want columns of one file (one of Files()), calling fn with
// batches of at most batchRows rows. It is safe to call concurrently for different
// files. List columns are passed without copying when the file's lists are
// contiguous (always, for files without nulls); see Batch for the slices' lifetime.
func (r *Reader) ScanFile(ctx context.Context, f File, want Schema, batchRows int, fn func(*Batch) error) error {
	if batchRows <= 0 {
		batchRows = DefaultBatchRows
	}
	plans, err := planFile(f, want)
	if err != nil {
		return err
	}
	b := &Batch{Schema: want, Floats: make([][]float64, len(want)), Ints: make([][]int64, len(want)), File: f.Path}
	var leaves []int
	for _, p := range plans {
		leaves = append(leaves, p.leaves...)
	}
	if len(leaves) == 0 { // only partition columns
		for row := int64(0); row < f.NumRows; row += int64(batchRows) {
			if err := ctx.Err(); err != nil {
				return err
			}
			b.Rows, b.Row = int(min(int64(batchRows), f.NumRows-row)), row
			fillConstants(b, plans)
			if err := fn(b); err != nil {
				return err
			}
		}
		return nil
	}
	if f.NumRows == 0 {
		return nil
	}

	pf, err := file.OpenParquetFile(f.Path, false, file.WithMetadata(f.meta))
	if err != nil {
		return fmt.Errorf("dataset: open %s: %w", f.Path, err)
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: int64(batchRows)}, r.mem)
	if err != nil {
		return fmt.Errorf("dataset: %s: %w", f.Path, err)
	}
	var row int64
	// One record reader per row group: a batch never mixes row groups, so no
	// column chunk is concatenated (copied) across groups.
	for rg := 0; rg < f.RowGroups; rg++ {
		if err := scanRowGroup(ctx, fr, rg, leaves, plans, b, &row, fn); err != nil {
			return err
		}
	}
	return nil
}

func scanRowGroup(ctx context.Context, fr *pqarrow.FileReader, rg int, leaves []int, plans []columnPlan, b *Batch, row *int64, fn func(*Batch) error) error {
	if fr.ParquetReader().MetaData().RowGroup(rg).NumRows() == 0 {
		return nil
	}
	rr, err := fr.GetRecordReader(ctx, leaves, []int{rg})
	if err != nil {
		return fmt.Errorf("dataset: %s: row group %d: %w", b.File, rg, err)
	}
	defer rr.Release()
	fields := make([]int, len(plans))
	for i, c := range b.Schema {
		fields[i] = -1
		if plans[i].field >= 0 {
			idx := rr.Schema().FieldIndices(c.Name)
			if len(idx) == 0 {
				return fmt.Errorf("dataset: %s: column %s not returned by the Parquet reader", b.File, c.Name)
			}
			fields[i] = idx[0]
		}
	}
	for rr.Next() {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec := rr.RecordBatch()
		b.Rows, b.Row = int(rec.NumRows()), *row
		fillConstants(b, plans)
		for i, c := range b.Schema {
			if fields[i] < 0 {
				continue
			}
			var err error
			col := rec.Column(fields[i])
			if c.Kind == Int64 {
				b.Ints[i], err = int64s(col, b.Ints[i])
			} else {
				b.Floats[i], err = float64s(col, c)
			}
			if err != nil {
				return fmt.Errorf("dataset: %s: row %d: column %s: %w", b.File, err.(*rowError).row+*row, c.Name, err.(*rowError).err)
			}
		}
		if err := fn(b); err != nil {
			return err
		}
		*row += int64(b.Rows)
	}
	if err := rr.Err(); err != nil {
		return fmt.Errorf("dataset: %s: row group %d: %w", b.File, rg, err)
	}
	return nil
}

// rowError is a problem in one row of a record (row counted from the record start).
type rowError struct {
	row int64
	err error
}

func (e *rowError) Error() string { return fmt.Sprintf("row %d: %v", e.row, e.err) }

func fillConstants(b *Batch, plans []columnPlan) {
	for i, p := range plans {
		if p.field >= 0 {
			continue
		}
		if cap(b.Ints[i]) < b.Rows {
			b.Ints[i] = make([]int64, b.Rows)
		}
		b.Ints[i] = b.Ints[i][:b.Rows]
		for j := range b.Ints[i] {
			b.Ints[i][j] = p.constant
		}
	}
}

// int64s copies an Int64 (or Int32) array into buf.
func int64s(a arrow.Array, buf []int64) ([]int64, error) {
	n := a.Len()
	if a.NullN() > 0 {
		for j := 0; j < n; j++ {
			if a.IsNull(j) {
				return buf, &rowError{int64(j), fmt.Errorf("null value")}
			}
		}
	}
	if cap(buf) < n {
		buf = make([]int64, n)
	}
	buf = buf[:n]
	switch v := a.(type) {
	case *array.Int64:
		copy(buf, v.Int64Values())
	case *array.Int32:
		for j, x := range v.Int32Values() {
			buf[j] = int64(x)
		}
	default:
		return buf, &rowError{0, fmt.Errorf("unexpected array type %v", a.DataType())}
	}
	return buf, nil
}

// float64s checks every row of a list array against c's shape and returns the
// values of all rows, flattened, without copying.
func float64s(a arrow.Array, c Column) ([]float64, error) {
	outer, ok := a.(listLike)
	if !ok {
		return nil, &rowError{0, fmt.Errorf("unexpected array type %v", a.DataType())}
	}
	n := outer.Len()
	width, what := c.Width, "values"
	if c.Kind == Float64List2 {
		width, what = c.Rows, "lists"
	}
	first, last, err := checkLists(outer, n, width, what)
	if err != nil {
		return nil, err
	}
	leaf := outer.ListValues()
	if c.Kind == Float64List2 {
		inner, ok := leaf.(listLike)
		if !ok {
			return nil, &rowError{0, fmt.Errorf("unexpected array type %v", leaf.DataType())}
		}
		// Inner lists first..last belong to rows 0..n-1, c.Rows per row.
		innerFirst, innerLast, err := checkLists(sliceList{inner, int(first)}, int(last-first), c.Cols, "values")
		if err != nil {
			err.(*rowError).err = fmt.Errorf("list %d: %w", err.(*rowError).row%int64(c.Rows), err.(*rowError).err)
			err.(*rowError).row /= int64(c.Rows)
			return nil, err
		}
		first, last, leaf = innerFirst, innerLast, inner.ListValues()
	}
	vals, ok := leaf.(*array.Float64)
	if !ok {
		return nil, &rowError{0, fmt.Errorf("unexpected array type %v", leaf.DataType())}
	}
	if vals.NullN() > 0 {
		for k := first; k < last; k++ {
			if vals.IsNull(int(k)) {
				return nil, &rowError{(k - first) / int64(c.Len()), fmt.Errorf("null element")}
			}
		}
	}
	return vals.Float64Values()[first:last], nil
}

// sliceList views lists off.. of a list array as lists 0..
type sliceList struct {
	listLike
	off int
}

func (s sliceList) IsNull(i int) bool                 { return s.listLike.IsNull(s.off + i) }
func (s sliceList) ValueOffsets(i int) (int64, int64) { return s.listLike.ValueOffsets(s.off + i) }

// checkLists verifies that lists 0..n-1 are non-null, hold width values each and
// are contiguous, and returns the range of child values they cover.
func checkLists(l interface {
	IsNull(int) bool
	ValueOffsets(int) (int64, int64)
}, n, width int, what string) (first, last int64, err error) {
	if n == 0 {
		return 0, 0, nil
	}
	first, _ = l.ValueOffsets(0)
	last = first
	for j := 0; j < n; j++ {
		if l.IsNull(j) {
			return 0, 0, &rowError{int64(j), fmt.Errorf("null list")}
		}
		s, e := l.ValueOffsets(j)
		if e-s != int64(width) {
			return 0, 0, &rowError{int64(j), fmt.Errorf("%d %s, want %d", e-s, what, width)}
		}
		if s != last {
			return 0, 0, &rowError{int64(j), fmt.Errorf("lists not contiguous")}
		}
		last = e
	}
	return first, last, nil
}
