package dataset

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/apache/arrow-go/v18/parquet/schema"
)

// maxListedFiles is how many files Describe lists before summarising.
const maxListedFiles = 20

// Describe writes what a dataset holds: its files (rows, row groups, partition),
// the Parquet and Arrow schemas and the key-value metadata of the first file.
func (r *Reader) Describe(w io.Writer) error {
	var groups int
	for _, f := range r.files {
		groups += f.RowGroups
	}
	fmt.Fprintf(w, "%s: %d file(s), %d rows, %d row group(s)\n", r.root, len(r.files), r.NumRows(), groups)
	for i, f := range r.files {
		if i == maxListedFiles {
			fmt.Fprintf(w, "  … %d more file(s)\n", len(r.files)-maxListedFiles)
			break
		}
		fmt.Fprintf(w, "  %s  %d rows, %d row group(s)\n", r.rel(f.Path), f.NumRows, f.RowGroups)
	}
	f := r.files[0]
	fmt.Fprintf(w, "\nParquet schema (%s):\n", r.rel(f.Path))
	var sb strings.Builder
	schema.PrintSchema(f.meta.Schema.Root(), &sb, 2)
	io.WriteString(w, strings.ReplaceAll(sb.String(), " field_id=-1", "")) // ids are unset in Spark's files
	as, err := pqarrow.FromParquet(f.meta.Schema, &pqarrow.ArrowReadProperties{}, f.meta.KeyValueMetadata())
	if err != nil {
		return fmt.Errorf("dataset: %s: arrow schema: %w", f.Path, err)
	}
	fmt.Fprintf(w, "\nArrow schema:\n")
	for _, fld := range as.Fields() {
		fmt.Fprintf(w, "  %s: %v\n", fld.Name, fld.Type)
	}
	keys := make([]string, 0, len(f.Partition))
	for k := range f.Partition {
		if as.HasField(k) {
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		kind := "string"
		if _, err := strconv.ParseInt(f.Partition[k], 10, 64); err == nil {
			kind = "int64"
		}
		fmt.Fprintf(w, "  %s: %s (partition column, from the directory name %s=%s)\n", k, kind, k, f.Partition[k])
	}
	kv := f.meta.KeyValueMetadata()
	fmt.Fprintf(w, "\nKey-value metadata (%d):\n", kv.Len())
	for _, k := range kv.Keys() {
		v := ""
		if p := kv.FindValue(k); p != nil {
			v = *p
		}
		if len(v) > 200 {
			v = v[:200] + "…"
		}
		fmt.Fprintf(w, "  %s: %s\n", k, v)
	}
	return nil
}

// rel names path relative to the dataset root.
func (r *Reader) rel(path string) string {
	if rel, err := filepath.Rel(r.root, path); err == nil && rel != "." {
		return rel
	}
	return filepath.Base(path)
}

var errStop = errors.New("stop")

// Head writes the first n rows: the named columns (all when cols is empty), lists
// abbreviated as "[0.12, 0.5, 3, … (14)]" and lists of lists as "801x19 [[…], …]".
func (r *Reader) Head(ctx context.Context, w io.Writer, n int, cols []string) error {
	s, err := r.Infer(ctx)
	if err != nil {
		return err
	}
	if len(cols) > 0 {
		if s, err = s.Select(cols...); err != nil {
			return fmt.Errorf("%w in %s", err, r.root)
		}
	}
	left := n
	err = r.Scan(ctx, s, min(max(n, 1), DefaultBatchRows), func(b *Batch) error {
		for i := 0; i < b.Rows && left > 0; i++ {
			fmt.Fprintf(w, "row %d (%s, row %d)\n", n-left, r.rel(b.File), b.Row+int64(i))
			for j, c := range s {
				fmt.Fprintf(w, "  %s: %s\n", c.Name, b.Format(j, i))
			}
			left--
		}
		if left == 0 {
			return errStop
		}
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return err
	}
	return nil
}

// Format writes row i of column j as Head shows it: an integer, a list abbreviated to its
// first values and length, "[0.12, 0.5, 3, 1, … (14)]", or a list of lists to its shape and
// first rows, "801x19 [[0.5, 0, 0, 0, … (19)], …, … (801)]".
func (b *Batch) Format(j, i int) string {
	c := b.Schema[j]
	switch c.Kind {
	case Int64:
		return strconv.FormatInt(b.Ints[j][i], 10)
	case Float64List:
		return formatList(b.Floats[j][i*c.Width : (i+1)*c.Width])
	}
	row := b.Floats[j][i*c.Len() : (i+1)*c.Len()]
	var sb strings.Builder
	fmt.Fprintf(&sb, "%dx%d [", c.Rows, c.Cols)
	const shown = 2
	for k := 0; k < min(c.Rows, shown); k++ {
		if k > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(formatList(row[k*c.Cols : (k+1)*c.Cols]))
	}
	if c.Rows > shown {
		fmt.Fprintf(&sb, ", … (%d)", c.Rows)
	}
	sb.WriteString("]")
	return sb.String()
}

// formatList writes the first values of v, then "… (len)" when some are left out.
func formatList(v []float64) string {
	const shown = 4
	var sb strings.Builder
	sb.WriteString("[")
	for k := 0; k < min(len(v), shown); k++ {
		if k > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(strconv.FormatFloat(v[k], 'g', 6, 64))
	}
	if len(v) > shown {
		fmt.Fprintf(&sb, ", … (%d)", len(v))
	}
	sb.WriteString("]")
	return sb.String()
}
