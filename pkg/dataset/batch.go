package dataset

import "fmt"

// Batch holds consecutive rows column by column: list columns flattened row after
// row (Rows*Len values; a Float64List2 row is its Rows x Cols values row-major), and
// Int64 columns one value per row.
//
// A Batch passed to a Scan callback is valid only during the call: its slices may
// point into buffers that are reused or released afterwards. Copy what you keep.
type Batch struct {
	Schema Schema
	Rows   int
	Floats [][]float64 // Floats[i] for list column i of Schema, nil for Int64 columns
	Ints   [][]int64   // Ints[i] for Int64 column i of Schema, nil for list columns

	File string // the file the rows come from (set by readers)
	Row  int64  // index in File of the first row (set by readers)
}

// NewBatch allocates a batch of rows rows for schema s.
func NewBatch(s Schema, rows int) *Batch {
	b := &Batch{Schema: s, Rows: rows, Floats: make([][]float64, len(s)), Ints: make([][]int64, len(s))}
	for i, c := range s {
		if c.Kind == Int64 {
			b.Ints[i] = make([]int64, rows)
		} else {
			b.Floats[i] = make([]float64, rows*c.Len())
		}
	}
	return b
}

// Float64s returns the flattened values of the named list column, nil if absent.
func (b *Batch) Float64s(name string) []float64 {
	if i := b.Schema.Index(name); i >= 0 {
		return b.Floats[i]
	}
	return nil
}

// Int64s returns the values of the named Int64 column, nil if absent.
func (b *Batch) Int64s(name string) []int64 {
	if i := b.Schema.Index(name); i >= 0 {
		return b.Ints[i]
	}
	return nil
}

// RowFloat64s returns row r of the named list column (Len values), nil if absent.
func (b *Batch) RowFloat64s(name string, r int) []float64 {
	i := b.Schema.Index(name)
	if i < 0 || b.Floats[i] == nil {
		return nil
	}
	n := b.Schema[i].Len()
	return b.Floats[i][r*n : (r+1)*n]
}

// check verifies that every column of the batch holds Rows*Len values.
func (b *Batch) check() error {
	if len(b.Floats) != len(b.Schema) || len(b.Ints) != len(b.Schema) {
		return fmt.Errorf("batch has %d float and %d int columns for %d schema columns", len(b.Floats), len(b.Ints), len(b.Schema))
	}
	for i, c := range b.Schema {
		if c.Kind == Int64 {
			if len(b.Ints[i]) != b.Rows {
				return fmt.Errorf("column %s: %d values for %d rows", c.Name, len(b.Ints[i]), b.Rows)
			}
			continue
		}
		if want := b.Rows * c.Len(); len(b.Floats[i]) != want {
			return fmt.Errorf("column %s: %d values for %d rows of %d", c.Name, len(b.Floats[i]), b.Rows, c.Len())
		}
	}
	return nil
}
