package dataset

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/metadata"
)

// Writer writes rows into one Parquet file in Spark's layout (optional fields,
// 3-level lists, snappy pages, no dictionary). It writes PATH.tmp-XXXX and renames
// it to PATH on Close, so a crash never leaves a file under the final name.
// A Writer is not safe for concurrent use; run one per output file.
type Writer struct {
	path, tmp string
	schema    Schema
	f         *os.File
	pw        *file.Writer
	rg        file.BufferedRowGroupWriter
	floatW    []*file.Float64ColumnChunkWriter
	intW      []*file.Int64ColumnChunkWriter
	levels    []levels
	groupRows int
	inGroup   int
	rows      int64
	err       error
	closed    bool
}

// NewWriter creates the directory of path if needed and starts writing path's
// temporary file.
func NewWriter(path string, s Schema, opts ...WriterOption) (*Writer, error) {
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("%w (writing %s)", err, path)
	}
	cfg := writerConfig{groupBytes: DefaultRowGroupBytes}
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, fmt.Errorf("dataset: %s: %w", path, err)
		}
	}
	if cfg.groupRows == 0 {
		cfg.groupRows = max(1, cfg.groupBytes/s.RowBytes())
	}
	node, err := s.parquetSchema()
	if err != nil {
		return nil, err
	}
	kv := metadata.NewKeyValueMetadata()
	keys := make([]string, 0, len(cfg.meta))
	for k := range cfg.meta {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if _, ok := cfg.meta[SparkSchemaKey]; !ok {
		_ = kv.Append(SparkSchemaKey, s.sparkJSON())
	}
	for _, k := range keys {
		_ = kv.Append(k, cfg.meta[k])
	}
	popts := []parquet.WriterProperty{
		parquet.WithVersion(parquet.V1_0),
		parquet.WithCompression(compress.Codecs.Snappy),
		parquet.WithDictionaryDefault(false),
		parquet.WithDataPageSize(1 << 20),
		parquet.WithBatchSize(1 << 16),
		parquet.WithStats(false), // min/max over a list's mixed features is of no use
		parquet.WithCreatedBy("godltrigger (arrow-go parquet v18)"),
	}
	for _, c := range s {
		if c.Kind == Int64 {
			popts = append(popts, parquet.WithStatsFor(c.Name, true))
		}
	}
	props := parquet.NewWriterProperties(popts...)

	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+tempMarker+"*")
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	if err := f.Chmod(0o644); err != nil { // CreateTemp makes it private; outputs are shared data
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("dataset: %w", err)
	}
	pw, err := file.NewParquetWriterWithError(struct{ io.Writer }{f}, node, // hide Close: we sync, close and rename
		file.WithWriterProps(props), file.WithWriteMetadata(kv))
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("dataset: %s: %w", path, err)
	}
	w := &Writer{
		path: path, tmp: f.Name(), schema: s, f: f, pw: pw, groupRows: cfg.groupRows,
		floatW: make([]*file.Float64ColumnChunkWriter, len(s)),
		intW:   make([]*file.Int64ColumnChunkWriter, len(s)),
		levels: make([]levels, len(s)),
	}
	for i, c := range s {
		w.levels[i] = newLevels(c, max(1, (1<<16)/c.Len()))
	}
	return w, nil
}

// Path is the final name of the file.
func (w *Writer) Path() string { return w.path }

// Rows is the number of rows appended so far.
func (w *Writer) Rows() int64 { return w.rows }

// Append writes one row: one value per schema column, in schema order: an int64
// (or int) for Int64 columns, a []float64 of Len values for list columns (a
// Float64List2 row flattened row-major), or a [][]float64 of Rows slices of Cols
// values for Float64List2.
func (w *Writer) Append(values ...any) error {
	if w.err != nil {
		return w.err
	}
	if len(values) != len(w.schema) {
		return w.fail(fmt.Errorf("row %d: %d values for %d columns", w.rows, len(values), len(w.schema)))
	}
	if err := w.startRows(); err != nil {
		return err
	}
	for i, c := range w.schema {
		var err error
		switch v := values[i].(type) {
		case int64:
			err = w.writeInts(i, []int64{v}, 1)
		case int:
			err = w.writeInts(i, []int64{int64(v)}, 1)
		case []float64:
			err = w.writeFloats(i, v, 1)
		case [][]float64:
			if c.Kind != Float64List2 || len(v) != c.Rows {
				err = fmt.Errorf("column %s: got %d lists, want %v", c.Name, len(v), c)
				break
			}
			for _, r := range v {
				if len(r) != c.Cols {
					err = fmt.Errorf("column %s: a list has %d values, want %d", c.Name, len(r), c.Cols)
					break
				}
			}
			if err == nil {
				err = w.writeNested(i, v)
			}
		default:
			err = fmt.Errorf("column %s: value of type %T, want %v", c.Name, v, c.Kind)
		}
		if err != nil {
			return w.fail(fmt.Errorf("row %d: %w", w.rows, err))
		}
	}
	return w.endRows(1)
}

// WriteBatch writes the rows of b. b's schema must hold the writer's columns (by
// name, any order; extra columns are ignored).
func (w *Writer) WriteBatch(b *Batch) error {
	if w.err != nil {
		return w.err
	}
	if err := b.check(); err != nil {
		return w.fail(fmt.Errorf("batch at row %d: %w", w.rows, err))
	}
	idx := make([]int, len(w.schema))
	for i, c := range w.schema {
		j := b.Schema.Index(c.Name)
		if j < 0 {
			return w.fail(fmt.Errorf("batch at row %d: missing column %s", w.rows, c.Name))
		}
		if bc := b.Schema[j]; bc.Kind != c.Kind || bc.Len() != c.Len() {
			return w.fail(fmt.Errorf("batch at row %d: column %v, want %v", w.rows, bc, c))
		}
		idx[i] = j
	}
	for done := 0; done < b.Rows; {
		if err := w.startRows(); err != nil {
			return err
		}
		n := min(b.Rows-done, w.groupRows-w.inGroup)
		for i, c := range w.schema {
			j := idx[i]
			var err error
			if c.Kind == Int64 {
				err = w.writeInts(i, b.Ints[j][done:done+n], n)
			} else {
				l := c.Len()
				err = w.writeFloats(i, b.Floats[j][done*l:(done+n)*l], n)
			}
			if err != nil {
				return w.fail(fmt.Errorf("batch at row %d: %w", w.rows, err))
			}
		}
		if err := w.endRows(n); err != nil {
			return err
		}
		done += n
	}
	return nil
}

// startRows opens a row group when none is open.
func (w *Writer) startRows() error {
	if w.rg != nil {
		return nil
	}
	rg, err := w.pw.AppendBufferedRowGroupChecked()
	if err != nil {
		return w.fail(err)
	}
	w.rg = rg
	for i, c := range w.schema {
		cw, err := rg.Column(i)
		if err != nil {
			return w.fail(err)
		}
		if c.Kind == Int64 {
			w.intW[i] = cw.(*file.Int64ColumnChunkWriter)
		} else {
			w.floatW[i] = cw.(*file.Float64ColumnChunkWriter)
		}
	}
	return nil
}

// endRows counts n written rows and closes the row group when it is full.
func (w *Writer) endRows(n int) error {
	w.rows += int64(n)
	w.inGroup += n
	if w.inGroup < w.groupRows {
		return nil
	}
	w.inGroup = 0
	rg := w.rg
	w.rg = nil
	if err := rg.Close(); err != nil {
		return w.fail(err)
	}
	return nil
}

func (w *Writer) writeInts(i int, v []int64, rows int) error {
	if len(v) != rows {
		return fmt.Errorf("column %s: %d values for %d rows", w.schema[i].Name, len(v), rows)
	}
	lv := w.levels[i]
	for len(v) > 0 {
		n := min(len(v), lv.rows)
		if _, err := w.intW[i].WriteBatch(v[:n], lv.def[:n], nil); err != nil {
			return fmt.Errorf("column %s: %w", w.schema[i].Name, err)
		}
		v = v[n:]
	}
	return nil
}

// writeFloats writes rows rows of a list column given flattened.
func (w *Writer) writeFloats(i int, v []float64, rows int) error {
	c := w.schema[i]
	if c.Kind == Int64 {
		return fmt.Errorf("column %s: got []float64, want %v", c.Name, c.Kind)
	}
	l := c.Len()
	if len(v) != rows*l {
		if rows == 1 {
			return fmt.Errorf("column %s: got %d values, want %v (%d values)", c.Name, len(v), c, l)
		}
		return fmt.Errorf("column %s: %d values for %d rows of %d", c.Name, len(v), rows, l)
	}
	lv := w.levels[i]
	for len(v) > 0 {
		n := min(len(v), lv.rows*l)
		if _, err := w.floatW[i].WriteBatch(v[:n], lv.def[:n], lv.rep[:n]); err != nil {
			return fmt.Errorf("column %s: %w", c.Name, err)
		}
		v = v[n:]
	}
	return nil
}

// writeNested writes one Float64List2 row given as lists.
func (w *Writer) writeNested(i int, rows [][]float64) error {
	cols := w.schema[i].Cols
	lv := w.levels[i]
	for r, v := range rows {
		if _, err := w.floatW[i].WriteBatch(v, lv.def[r*cols:(r+1)*cols], lv.rep[r*cols:(r+1)*cols]); err != nil {
			return fmt.Errorf("column %s: %w", w.schema[i].Name, err)
		}
	}
	return nil
}

func (w *Writer) fail(err error) error {
	if w.err == nil {
		w.err = fmt.Errorf("dataset: write %s: %w", w.path, err)
	}
	return w.err
}

// Close finishes the file and renames it to its final name. On error the temporary
// file is removed and nothing appears under the final name.
func (w *Writer) Close() error {
	if w.closed {
		return nil
	}
	if w.f == nil {
		return w.err
	}
	if w.err != nil {
		w.Abort()
		return w.err
	}
	err := w.pw.Close()
	if err == nil {
		err = w.f.Sync()
	}
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	w.f = nil
	if err == nil {
		err = os.Rename(w.tmp, w.path)
	}
	if err != nil {
		os.Remove(w.tmp)
		w.err = fmt.Errorf("dataset: write %s: %w", w.path, err)
		return w.err
	}
	w.closed = true
	w.err = fmt.Errorf("dataset: write %s: writer closed", w.path)
	return nil
}

// Abort stops writing and removes the temporary file. It is safe to call after
// Close (it then does nothing), so `defer w.Abort()` is the usual pattern.
func (w *Writer) Abort() {
	if w.f == nil {
		return
	}
	w.f.Close()
	os.Remove(w.tmp)
	w.f = nil
	if w.err == nil {
		w.err = fmt.Errorf("dataset: write %s: writer aborted", w.path)
	}
}
