package dataset

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/metadata"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// File is one Parquet data file of a dataset.
type File struct {
	Path      string
	Partition map[string]string // Hive key=value directory names above the file, e.g. label=1
	NumRows   int64
	RowGroups int
	meta      *metadata.FileMetaData
}

// ReaderOption configures a Reader.
type ReaderOption func(*Reader)

// WithAllocator sets the Arrow allocator used while decoding (default: Go's).
func WithAllocator(mem memory.Allocator) ReaderOption {
	return func(r *Reader) { r.mem = mem }
}

// Reader reads a dataset: one Parquet file, or a directory tree of part files as
// Spark writes it (Hive key=value partition directories, _SUCCESS markers, .crc
// side files and our temporary files are skipped). Files are in path order.
//
// Columns missing from a file but named by a partition directory (label=K) are read
// as Int64 columns holding K: Spark's partitionBy stores them only in the path.
type Reader struct {
	root  string
	files []File
	mem   memory.Allocator
}

// Open lists the files under path and reads their footers.
func Open(path string, opts ...ReaderOption) (*Reader, error) {
	files, err := listFiles(path)
	if err != nil {
		return nil, err
	}
	r := &Reader{root: path, files: files, mem: memory.DefaultAllocator}
	for _, o := range opts {
		o(r)
	}
	for i := range r.files {
		f := &r.files[i]
		pf, err := file.OpenParquetFile(f.Path, false)
		if err != nil {
			return nil, fmt.Errorf("dataset: open %s: %w", f.Path, err)
		}
		f.meta = pf.MetaData()
		f.NumRows = pf.NumRows()
		f.RowGroups = pf.NumRowGroups()
		pf.Close()
	}
	return r, nil
}

// Path is the path given to Open.
func (r *Reader) Path() string { return r.root }

// Files returns the data files, in path order.
func (r *Reader) Files() []File { return r.files }

// NumRows is the number of rows in all files.
func (r *Reader) NumRows() int64 {
	var n int64
	for _, f := range r.files {
		n += f.NumRows
	}
	return n
}

// Share returns a Reader over the files of worker rank out of workers: files
// rank, rank+workers, rank+2*workers, ... Every file belongs to exactly one share,
// so distributed workers read disjoint parts of the dataset.
func (r *Reader) Share(rank, workers int) (*Reader, error) {
	if workers < 1 || rank < 0 || rank >= workers {
		return nil, fmt.Errorf("dataset: share %d of %d: want 0 <= rank < workers", rank, workers)
	}
	out := &Reader{root: r.root, mem: r.mem}
	for i := rank; i < len(r.files); i += workers {
		out.files = append(out.files, r.files[i])
	}
	return out, nil
}

// Check verifies that every file holds the columns of want with the right types
// (or, for Int64 columns, a partition directory naming them). List lengths are
// checked while rows are read (Scan), with the row number.
func (r *Reader) Check(want Schema) error {
	for _, f := range r.files {
		if _, err := planFile(f, want); err != nil {
			return err
		}
	}
	return nil
}

// Scan reads the want columns of all files in order, calling fn with batches of at
// most batchRows rows (a batch never spans two files). Memory use is bounded by
// batchRows and one row group's compressed column chunks, whatever the dataset's
// size. To read files in parallel, call ScanFile from several goroutines.
func (r *Reader) Scan(ctx context.Context, want Schema, batchRows int, fn func(*Batch) error) error {
	for _, f := range r.files {
		if err := r.ScanFile(ctx, f, want, batchRows, fn); err != nil {
			return err
		}
	}
	return nil
}

// columnPlan says where a wanted column comes from in one file.
type columnPlan struct {
	field    int   // index in the file's top-level fields; -1 when from the partition
	leaves   []int // leaf column indices of the field
	constant int64 // the partition value when field == -1
}

// planFile resolves want against f's schema, checking names and types.
func planFile(f File, want Schema) ([]columnPlan, error) {
	man, err := pqarrow.NewSchemaManifest(f.meta.Schema, f.meta.KeyValueMetadata(), &pqarrow.ArrowReadProperties{})
	if err != nil {
		return nil, fmt.Errorf("dataset: %s: schema: %w", f.Path, err)
	}
	plans := make([]columnPlan, len(want))
	for i, c := range want {
		idx := -1
		for j, sf := range man.Fields {
			if sf.Field.Name == c.Name {
				idx = j
				break
			}
		}
		if idx < 0 {
			v, ok := f.Partition[c.Name]
			if !ok {
				names := make([]string, len(man.Fields))
				for j, sf := range man.Fields {
					names[j] = sf.Field.Name
				}
				return nil, fmt.Errorf("dataset: %s: missing column %s (file has %s)", f.Path, c.Name, strings.Join(names, ", "))
			}
			if c.Kind != Int64 {
				return nil, fmt.Errorf("dataset: %s: column %s comes from the partition directory (%s=%s) but is wanted as %v", f.Path, c.Name, c.Name, v, c.Kind)
			}
			k, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("dataset: %s: column %s: partition value %q is not an integer", f.Path, c.Name, v)
			}
			plans[i] = columnPlan{field: -1, constant: k}
			continue
		}
		sf := &man.Fields[idx]
		if !typeMatches(sf.Field.Type, c.Kind) {
			return nil, fmt.Errorf("dataset: %s: column %s has type %v, want %v", f.Path, c.Name, sf.Field.Type, c)
		}
		plans[i] = columnPlan{field: idx, leaves: leavesOf(sf)}
	}
	return plans, nil
}

func leavesOf(sf *pqarrow.SchemaField) []int {
	if sf.IsLeaf() {
		return []int{sf.ColIndex}
	}
	var out []int
	for i := range sf.Children {
		out = append(out, leavesOf(&sf.Children[i])...)
	}
	return out
}

// typeMatches reports whether an Arrow type read from a file can be read as k.
func typeMatches(t arrow.DataType, k Kind) bool {
	switch k {
	case Int64:
		return t.ID() == arrow.INT64 || t.ID() == arrow.INT32
	case Float64List:
		l, ok := t.(arrow.ListLikeType)
		return ok && l.Elem().ID() == arrow.FLOAT64
	case Float64List2:
		l, ok := t.(arrow.ListLikeType)
		return ok && typeMatches(l.Elem(), Float64List)
	}
	return false
}

// Infer describes the files' columns as a Schema: the first file's top-level
// columns, with list lengths taken from its first row, then Int64 columns for the
// integer partition keys the file does not hold (label).
func (r *Reader) Infer(ctx context.Context) (Schema, error) {
	for _, f := range r.files {
		if f.NumRows == 0 {
			continue
		}
		return inferFile(ctx, f, r.mem)
	}
	return nil, fmt.Errorf("dataset: %s: no rows to infer list lengths from", r.root)
}

func inferFile(ctx context.Context, f File, mem memory.Allocator) (Schema, error) {
	pf, err := file.OpenParquetFile(f.Path, false, file.WithMetadata(f.meta))
	if err != nil {
		return nil, fmt.Errorf("dataset: open %s: %w", f.Path, err)
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: 1}, mem)
	if err != nil {
		return nil, fmt.Errorf("dataset: %s: %w", f.Path, err)
	}
	rr, err := fr.GetRecordReader(ctx, nil, []int{0})
	if err != nil {
		return nil, fmt.Errorf("dataset: %s: %w", f.Path, err)
	}
	defer rr.Release()
	if !rr.Next() {
		return nil, fmt.Errorf("dataset: %s: reading the first row: %v", f.Path, rr.Err())
	}
	rec := rr.RecordBatch()
	var s Schema
	for i, fld := range rec.Schema().Fields() {
		c := Column{Name: fld.Name}
		switch {
		case typeMatches(fld.Type, Int64):
			c.Kind = Int64
		case typeMatches(fld.Type, Float64List):
			c.Kind = Float64List
			l := rec.Column(i).(listLike)
			s, e := l.ValueOffsets(0)
			c.Width = int(e - s)
		case typeMatches(fld.Type, Float64List2):
			c.Kind = Float64List2
			l := rec.Column(i).(listLike)
			s, e := l.ValueOffsets(0)
			c.Rows = int(e - s)
			if c.Rows > 0 {
				is, ie := l.ListValues().(listLike).ValueOffsets(int(s))
				c.Cols = int(ie - is)
			}
		default:
			return nil, fmt.Errorf("dataset: %s: column %s has type %v, not one of bigint, array<double>, array<array<double>>", f.Path, fld.Name, fld.Type)
		}
		s = append(s, c)
	}
	keys := make([]string, 0, len(f.Partition))
	for k := range f.Partition {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, err := strconv.ParseInt(f.Partition[k], 10, 64); err == nil && s.Index(k) < 0 {
			s = append(s, Column{Name: k, Kind: Int64})
		}
	}
	return s, nil
}
