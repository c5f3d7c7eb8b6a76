package dataset

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// value is the deterministic test value of element k of column col in row r.
func value(r, col, k int) float64 { return float64(r*100000+k) + 0.25*float64(col) }

// fillRow returns row r of s: []float64 for lists, int64 for Int64 columns.
func fillRow(s Schema, r int) []any {
	out := make([]any, len(s))
	for j, c := range s {
		if c.Kind == Int64 {
			out[j] = int64(r % 3)
			continue
		}
		v := make([]float64, c.Len())
		for k := range v {
			v[k] = value(r, j, k)
		}
		out[j] = v
	}
	return out
}

func writeFile(t testing.TB, path string, s Schema, rows int, opts ...WriterOption) {
	t.Helper()
	w, err := NewWriter(path, s, opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	for r := 0; r < rows; r++ {
		if err := w.Append(fillRow(s, r)...); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// small is a schema with the three kinds and small shapes.
func small() Schema {
	return Schema{
		{Name: "a", Kind: Float64List, Width: 3},
		{Name: "id", Kind: Int64},
		{Name: "m", Kind: Float64List2, Rows: 4, Cols: 2},
	}
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name      string
		schema    Schema
		rows      int
		groupRows int
		batchRows int
		wantSizes []int // batch sizes
	}{
		{"small one group", small(), 5, 0, 2, []int{2, 2, 1}},
		{"small row groups", small(), 10, 3, 4, []int{3, 3, 3, 1}},
		{"HLF", HLF(), 7, 0, 100, []int{7}},
		{"Inclusive", Inclusive(), 3, 2, 10, []int{2, 1}},
		{"Full", Full(), 2, 0, 1, []int{1, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			path := filepath.Join(t.TempDir(), "x.parquet")
			var opts []WriterOption
			if tc.groupRows > 0 {
				opts = append(opts, WithRowGroupRows(tc.groupRows))
			}
			writeFile(t, path, tc.schema, tc.rows, opts...)
			r, err := Open(path, WithAllocator(mem))
			if err != nil {
				t.Fatal(err)
			}
			if r.NumRows() != int64(tc.rows) {
				t.Fatalf("NumRows %d, want %d", r.NumRows(), tc.rows)
			}
			if err := r.Check(tc.schema); err != nil {
				t.Fatal(err)
			}
			var sizes []int
			next := 0
			err = r.Scan(context.Background(), tc.schema, tc.batchRows, func(b *Batch) error {
				sizes = append(sizes, b.Rows)
				if b.Row != int64(next) || b.File != path {
					t.Errorf("batch at %s row %d, want row %d", b.File, b.Row, next)
				}
				for i := 0; i < b.Rows; i++ {
					want := fillRow(tc.schema, next+i)
					for j, c := range tc.schema {
						if c.Kind == Int64 {
							if got := b.Ints[j][i]; got != want[j].(int64) {
								t.Errorf("row %d %s = %d, want %d", next+i, c.Name, got, want[j])
							}
							continue
						}
						got := b.RowFloat64s(c.Name, i)
						for k, v := range want[j].([]float64) {
							if got[k] != v {
								t.Fatalf("row %d %s[%d] = %v, want %v", next+i, c.Name, k, got[k], v)
							}
						}
					}
				}
				next += b.Rows
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if next != tc.rows || len(sizes) != len(tc.wantSizes) {
				t.Fatalf("read %d rows in batches %v, want %d in %v", next, sizes, tc.rows, tc.wantSizes)
			}
			for i := range sizes {
				if sizes[i] != tc.wantSizes[i] {
					t.Fatalf("batches %v, want %v", sizes, tc.wantSizes)
				}
			}
		})
	}
}

func TestAppendListOfLists(t *testing.T) {
	s := Schema{{Name: "m", Kind: Float64List2, Rows: 2, Cols: 3}}
	path := filepath.Join(t.TempDir(), "m.parquet")
	w, err := NewWriter(path, s)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Append([][]float64{{1, 2, 3}, {4, 5, 6}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Append([][]float64{{1, 2, 3}, {4, 5}}); err == nil || !strings.Contains(err.Error(), "column m") {
		t.Fatalf("ragged row: err %v, want one naming column m", err)
	}
	if err := w.Close(); err == nil {
		t.Fatal("Close after a failed Append succeeded")
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("failed writer left %s (err %v)", path, err)
	}
}

func TestWriteBatch(t *testing.T) {
	s := small()
	path := filepath.Join(t.TempDir(), "b.parquet")
	w, err := NewWriter(path, Schema{s[2], s[0]}, WithRowGroupRows(4)) // other column order, a column dropped
	if err != nil {
		t.Fatal(err)
	}
	b := NewBatch(s, 6)
	for j, c := range s {
		for i := range b.Rows {
			if c.Kind == Int64 {
				b.Ints[j][i] = int64(i)
				continue
			}
			for k := 0; k < c.Len(); k++ {
				b.Floats[j][i*c.Len()+k] = value(i, j, k)
			}
		}
	}
	if err := w.WriteBatch(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := r.Files()[0].RowGroups; n != 2 {
		t.Errorf("%d row groups, want 2", n)
	}
	var got []float64
	err = r.Scan(context.Background(), Schema{s[0], s[2]}, 0, func(b *Batch) error {
		got = append(got, b.Float64s("m")...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := b.Float64s("m"); len(got) != len(want) || got[len(got)-1] != want[len(want)-1] || got[9] != want[9] {
		t.Fatalf("m read back as %v, want %v", got, want)
	}
}

func TestAppendErrors(t *testing.T) {
	s := small()
	tests := []struct {
		name   string
		values []any
		want   string
	}{
		{"too few", []any{[]float64{1, 2, 3}, int64(1)}, "2 values for 3 columns"},
		{"short list", []any{[]float64{1, 2}, int64(1), make([]float64, 8)}, "column a: got 2 values"},
		{"long matrix", []any{[]float64{1, 2, 3}, int64(1), make([]float64, 9)}, "column m: got 9 values"},
		{"wrong type", []any{[]float64{1, 2, 3}, 1.5, make([]float64, 8)}, "column id: value of type float64"},
		{"list for int", []any{[]float64{1, 2, 3}, []float64{1}, make([]float64, 8)}, "column id: got []float64"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "e.parquet")
			w, err := NewWriter(path, s)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Abort()
			err = w.Append(tc.values...)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("err %v, want one with %q and the path", err, tc.want)
			}
		})
	}
}

func TestNewWriterRejectsBadSchemas(t *testing.T) {
	tests := []struct {
		name   string
		schema Schema
		want   string
	}{
		{"empty", Schema{}, "empty schema"},
		{"zero width", Schema{{Name: "a", Kind: Float64List}}, "column a: list width 0"},
		{"bad shape", Schema{{Name: "m", Kind: Float64List2, Rows: 3}}, "column m: list shape 3x0"},
		{"duplicate", Schema{{Name: "x", Kind: Int64}, {Name: "x", Kind: Int64}}, "column x appears twice"},
		{"no kind", Schema{{Name: "x"}}, "column x: unknown kind"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewWriter(filepath.Join(t.TempDir(), "x.parquet"), tc.schema)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
		})
	}
}

func TestWriterIsAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "label=1", PartName(0, NewJobID()))
	w, err := NewWriter(path, HLF())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Append(fillRow(HLF(), 0)...); err != nil {
		t.Fatal(err)
	}
	if IsComplete(path) {
		t.Fatal("file complete before Close")
	}
	matches, _ := filepath.Glob(path + ".tmp-*")
	if len(matches) != 1 {
		t.Fatalf("temporary files %v, want one", matches)
	}
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "no Parquet files") {
		t.Fatalf("Open while writing: err %v, want no Parquet files", err)
	}

	// A second writer that crashes (never closed) leaves a temp file behind.
	crashed, err := NewWriter(filepath.Join(dir, "label=1", PartName(1, "x")), HLF())
	if err != nil {
		t.Fatal(err)
	}
	crashed.f.Close() // the process dies: no Close, no Abort

	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	w.Abort() // no-op after Close
	if !IsComplete(path) {
		t.Fatal("file not complete after Close")
	}
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Files()) != 1 || r.Files()[0].Path != path {
		t.Fatalf("files %v, want only %s", r.Files(), path)
	}
	removed, err := RemoveStaleTemps(dir)
	if err != nil || len(removed) != 1 || !strings.Contains(removed[0], PartName(1, "x")+".tmp-") {
		t.Fatalf("RemoveStaleTemps = %v, %v", removed, err)
	}
	if IsComplete(dir) {
		t.Fatal("directory complete without _SUCCESS")
	}
	if err := MarkSuccess(dir); err != nil {
		t.Fatal(err)
	}
	if !IsComplete(dir) {
		t.Fatal("directory not complete after MarkSuccess")
	}

	// Abort removes the temporary file and never creates the final one.
	ab := filepath.Join(dir, "aborted.parquet")
	w2, err := NewWriter(ab, HLF())
	if err != nil {
		t.Fatal(err)
	}
	w2.Abort()
	if err := w2.Close(); err == nil {
		t.Fatal("Close after Abort succeeded")
	}
	if m, _ := filepath.Glob(ab + "*"); len(m) != 0 {
		t.Fatalf("Abort left %v", m)
	}
}

func TestFooterMetadata(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.parquet")
	writeFile(t, path, small(), 1, WithMetadata(map[string]string{"godltrigger.step": "prepare", "b": "2"}))
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	kv := r.Files()[0].meta.KeyValueMetadata()
	if v := kv.FindValue("godltrigger.step"); v == nil || *v != "prepare" {
		t.Fatalf("metadata %v lacks godltrigger.step=prepare", kv)
	}
	js := kv.FindValue(SparkSchemaKey)
	if js == nil {
		t.Fatalf("no %s in %v", SparkSchemaKey, kv.Keys())
	}
	var spark struct {
		Type   string
		Fields []struct {
			Name string
			Type any
		}
	}
	if err := json.Unmarshal([]byte(*js), &spark); err != nil {
		t.Fatalf("Spark schema %s: %v", *js, err)
	}
	if spark.Type != "struct" || len(spark.Fields) != 3 || spark.Fields[1].Name != "id" || spark.Fields[1].Type != "long" {
		t.Fatalf("Spark schema %s", *js)
	}
	if !strings.Contains(*js, `{"type":"array","elementType":{"type":"array","elementType":"double","containsNull":true},"containsNull":true}`) {
		t.Fatalf("Spark schema lacks array<array<double>>: %s", *js)
	}
}

func TestRowGroupSizeDefault(t *testing.T) {
	path := filepath.Join(t.TempDir(), "g.parquet")
	// 64 KiB groups of 3+1+8 doubles (96 bytes) per row: 682 rows per group.
	writeFile(t, path, small(), 1500, WithRowGroupBytes(64<<10))
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Files()[0].RowGroups; got != 3 {
		t.Fatalf("%d row groups, want 3", got)
	}
	if got := r.Files()[0].meta.RowGroup(0).NumRows(); got != 682 {
		t.Fatalf("first row group has %d rows, want 682", got)
	}
	if math.Abs(float64(DefaultRowGroupBytes/Ingested().RowBytes())-1100) > 10 {
		t.Errorf("default Ingested row group of %d rows", DefaultRowGroupBytes/Ingested().RowBytes())
	}
}
