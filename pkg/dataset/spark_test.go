package dataset

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/schema"

	"github.com/godltrigger/godltrigger/pkg/spec"
)

// fixCol is one column of a fixture file written with the low-level Parquet API,
// independently of Writer, in the layout Spark (parquet-mr) writes.
type fixCol struct {
	name   string
	id     int                 // value(row, id, k) gives the values
	nested bool                // list of lists (lfeatures)
	legacy bool                // Spark's legacy layout: repeated group bag { optional double array; }
	ints   bool                // list<int64> instead of list<double>
	scalar bool                // a plain optional double, no list
	shape  func(row int) []int // flat: {n}; nested: the inner lengths; nil: a null list
	nullAt [2]int              // {row, k}: element k of row is null (row -1: none)
}

func flat(n int) func(int) []int { return func(int) []int { return []int{n} } }

func matrix(rows, cols int) func(int) []int {
	return func(int) []int {
		out := make([]int, rows)
		for i := range out {
			out[i] = cols
		}
		return out
	}
}

func (c fixCol) node(t testing.TB) schema.Node {
	must := func(n schema.Node, err error) schema.Node {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	opt := parquet.Repetitions.Optional
	list := func(name string, elem schema.Node) schema.Node {
		listName := "list"
		if c.legacy {
			listName = "bag"
		}
		inner := must(schema.NewGroupNode(listName, parquet.Repetitions.Repeated, schema.FieldList{elem}, -1))
		return must(schema.NewGroupNodeConverted(name, opt, schema.FieldList{inner}, schema.ConvertedTypes.List, -1))
	}
	elemName := "element"
	if c.legacy {
		elemName = "array"
	}
	var leaf schema.Node = schema.NewFloat64Node(elemName, opt, -1)
	if c.ints {
		leaf = schema.NewInt64Node(elemName, opt, -1)
	}
	switch {
	case c.scalar:
		return schema.NewFloat64Node(c.name, opt, -1)
	case c.nested:
		return list(c.name, list(elemName, leaf))
	}
	return list(c.name, leaf)
}

// levels returns the values, definition and repetition levels of all rows.
func (c fixCol) levels(rows int) (vals []float64, def, rep []int16) {
	for r := 0; r < rows; r++ {
		if c.scalar {
			vals, def = append(vals, value(r, c.id, 0)), append(def, 1)
			continue
		}
		shape := c.shape(r)
		if shape == nil {
			def, rep = append(def, 0), append(rep, 0)
			continue
		}
		maxDef, k := int16(3), 0
		if c.nested {
			maxDef = 5
		}
		for i, n := range shape {
			for j := 0; j < n; j++ {
				switch {
				case i == 0 && j == 0:
					rep = append(rep, 0)
				case j == 0 && c.nested:
					rep = append(rep, 1)
				default:
					rep = append(rep, maxDef/2) // 1 for lists, 2 for lists of lists
				}
				if c.nullAt == [2]int{r, k} {
					def = append(def, maxDef-1)
				} else {
					def, vals = append(def, maxDef), append(vals, value(r, c.id, k))
				}
				k++
			}
		}
	}
	return vals, def, rep
}

// writeSparkFile writes rows rows of cols as parquet-mr does: one row group, snappy.
func writeSparkFile(t testing.TB, path string, rows int, cols ...fixCol) {
	t.Helper()
	fields := make(schema.FieldList, len(cols))
	for i, c := range cols {
		fields[i] = c.node(t)
	}
	root, err := schema.NewGroupNode("spark_schema", parquet.Repetitions.Required, fields, -1)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Snappy), parquet.WithDictionaryDefault(false),
		parquet.WithCreatedBy("parquet-mr version 1.10.1 (build a89df8f9932b6ef6633d06069e50c9b7970bebd1)"))
	pw := file.NewParquetWriter(f, root, file.WithWriterProps(props))
	rg := pw.AppendRowGroup()
	for _, c := range cols {
		cw, err := rg.NextColumn()
		if err != nil {
			t.Fatal(err)
		}
		vals, def, rep := c.levels(rows)
		if c.scalar {
			rep = nil
		}
		switch w := cw.(type) {
		case *file.Float64ColumnChunkWriter:
			_, err = w.WriteBatch(vals, def, rep)
		case *file.Int64ColumnChunkWriter:
			ints := make([]int64, len(vals))
			for i, v := range vals {
				ints[i] = int64(v)
			}
			_, err = w.WriteBatch(ints, def, rep)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := rg.Close(); err != nil {
		t.Fatal(err)
	}
	if err := pw.Close(); err != nil { // closes f
		t.Fatal(err)
	}
}

func hfCol() fixCol {
	return fixCol{name: "hfeatures", id: 0, shape: flat(spec.NumHLF), nullAt: [2]int{-1}}
}
func lfCol() fixCol {
	return fixCol{name: "lfeatures", id: 2, nested: true, shape: matrix(spec.SequenceLength, spec.NumParticleFeatures), nullAt: [2]int{-1}}
}

// sparkDataset writes an Ingested dataset as Spark does: label=K directories of
// part files with .crc side files, _SUCCESS; label=2 in the legacy list layout.
// It returns the dataset directory and the number of rows per label.
func sparkDataset(t testing.TB) (string, map[int64]int) {
	dir := filepath.Join(t.TempDir(), "ingested.parquet")
	job := "9a3c2a1e-7f0b-4c55-8d2e-0b8a6e1f2c3d"
	rows := map[int64]int{0: 3, 1: 2, 2: 2}
	for label, n := range rows {
		p := filepath.Join(PartitionDir(dir, "label", label), PartName(int(label), job))
		hf, lf := hfCol(), lfCol()
		hf.legacy, lf.legacy = label == 2, label == 2
		writeSparkFile(t, p, n, hf, lf)
		crc := filepath.Join(filepath.Dir(p), "."+filepath.Base(p)+".crc")
		if err := os.WriteFile(crc, []byte("crc\x00"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, side := range []string{SuccessFile, "._SUCCESS.crc"} {
		if err := os.WriteFile(filepath.Join(dir, side), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, rows
}

func TestReadSparkLayout(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	dir, rows := sparkDataset(t)
	r, err := Open(dir, WithAllocator(mem))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Files()) != 3 || r.NumRows() != 7 {
		t.Fatalf("%d files, %d rows; want 3, 7", len(r.Files()), r.NumRows())
	}
	if err := r.Check(Ingested()); err != nil {
		t.Fatal(err)
	}
	got := map[int64]int{}
	err = r.Scan(context.Background(), Ingested(), 2, func(b *Batch) error {
		for i := 0; i < b.Rows; i++ {
			row := int(b.Row) + i
			label := b.Int64s("label")[i]
			if !strings.Contains(b.File, "label="+string(rune('0'+label))) {
				t.Errorf("%s: label %d", b.File, label)
			}
			got[label]++
			hf, lf := b.RowFloat64s("hfeatures", i), b.RowFloat64s("lfeatures", i)
			for _, k := range []int{0, 13} {
				if hf[k] != value(row, 0, k) {
					t.Fatalf("%s row %d: hfeatures[%d] = %v, want %v", b.File, row, k, hf[k], value(row, 0, k))
				}
			}
			for _, k := range []int{0, 19, 801*19 - 1} {
				if lf[k] != value(row, 2, k) {
					t.Fatalf("%s row %d: lfeatures[%d] = %v, want %v", b.File, row, k, lf[k], value(row, 2, k))
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for label, n := range rows {
		if got[label] != n {
			t.Errorf("label %d: %d rows, want %d", label, got[label], n)
		}
	}

	var buf bytes.Buffer
	if err := r.Describe(&buf); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"3 file(s), 7 rows", "repeated group list", "optional double element",
		"lfeatures: list<element: list<element: float64, nullable>, nullable>", "label: int64 (partition column"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("Describe lacks %q:\n%s", want, buf.String())
		}
	}
}

// TestOurFilesMatchSparkLayout checks that Writer produces the schema of the
// fixture written the way parquet-mr does.
func TestOurFilesMatchSparkLayout(t *testing.T) {
	dir := t.TempDir()
	ours, theirs := filepath.Join(dir, "ours.parquet"), filepath.Join(dir, "theirs.parquet")
	writeFile(t, ours, Ingested().Drop("label"), 1)
	writeSparkFile(t, theirs, 1, hfCol(), lfCol())
	var a, b bytes.Buffer
	for _, x := range []struct {
		path string
		buf  *bytes.Buffer
	}{{ours, &a}, {theirs, &b}} {
		pf, err := file.OpenParquetFile(x.path, false)
		if err != nil {
			t.Fatal(err)
		}
		schema.PrintSchema(pf.MetaData().Schema.Root(), x.buf, 2)
		pf.Close()
	}
	if a.String() != b.String() {
		t.Fatalf("our schema\n%s\ndiffers from Spark's\n%s", a.String(), b.String())
	}
}

func TestSchemaErrors(t *testing.T) {
	bad := func(f func(*fixCol)) fixCol { c := hfCol(); f(&c); return c }
	badLF := func(f func(*fixCol)) fixCol { c := lfCol(); f(&c); return c }
	short := func(row, n int) func(int) []int {
		return func(r int) []int {
			if r == row {
				return []int{n}
			}
			return []int{spec.NumHLF}
		}
	}
	tests := []struct {
		name string
		dir  string // partition directory
		cols []fixCol
		want string
	}{
		{"list of int64", "label=0", []fixCol{bad(func(c *fixCol) { c.ints = true }), lfCol()},
			"column hfeatures has type list<element: int64, nullable>, want hfeatures array<double>(14)"},
		{"scalar", "label=0", []fixCol{bad(func(c *fixCol) { c.scalar = true }), lfCol()},
			"column hfeatures has type float64, want hfeatures array<double>(14)"},
		{"flat for nested", "label=0", []fixCol{hfCol(), badLF(func(c *fixCol) { c.nested = false; c.shape = flat(5) })},
			"column lfeatures has type list<element: float64, nullable>, want lfeatures array<array<double>>(801x19)"},
		{"missing column", "label=0", []fixCol{hfCol()}, "missing column lfeatures (file has hfeatures)"},
		{"missing label", "", []fixCol{hfCol(), lfCol()}, "missing column label (file has hfeatures, lfeatures)"},
		{"label not integer", "label=ttbar", []fixCol{hfCol(), lfCol()}, `column label: partition value "ttbar" is not an integer`},
		{"short list", "label=0", []fixCol{bad(func(c *fixCol) { c.shape = short(2, 13) }), lfCol()},
			"row 2: column hfeatures: 13 values, want 14"},
		{"long list", "label=1", []fixCol{bad(func(c *fixCol) { c.shape = short(3, 15) }), lfCol()},
			"row 3: column hfeatures: 15 values, want 14"},
		{"null list", "label=0", []fixCol{bad(func(c *fixCol) {
			c.shape = func(r int) []int { return map[bool][]int{true: nil, false: {spec.NumHLF}}[r == 1] }
		}), lfCol()},
			"row 1: column hfeatures: null list"},
		{"null element", "label=0", []fixCol{bad(func(c *fixCol) { c.nullAt = [2]int{2, 5} }), lfCol()},
			"row 2: column hfeatures: null element"},
		{"too few particle rows", "label=0", []fixCol{hfCol(), badLF(func(c *fixCol) {
			c.shape = func(r int) []int { return matrix(spec.SequenceLength-r/3, spec.NumParticleFeatures)(r) }
		})}, "row 3: column lfeatures: 800 lists, want 801"},
		{"short particle row", "label=0", []fixCol{hfCol(), badLF(func(c *fixCol) {
			c.shape = func(r int) []int {
				m := matrix(spec.SequenceLength, spec.NumParticleFeatures)(r)
				if r == 2 {
					m[5] = 18
				}
				return m
			}
		})}, "row 2: column lfeatures: list 5: 18 values, want 19"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			path := filepath.Join(t.TempDir(), tc.dir, PartName(0, "j"))
			writeSparkFile(t, path, 4, tc.cols...)
			r, err := Open(filepath.Dir(filepath.Dir(path)), WithAllocator(mem))
			if err != nil {
				t.Fatal(err)
			}
			err = r.Check(Ingested())
			if err == nil {
				err = r.Scan(context.Background(), Ingested(), 2, func(*Batch) error { return nil })
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("err\n  %v\nwant one with\n  %s\nand %s", err, tc.want, path)
			}
			if !strings.HasPrefix(err.Error(), "dataset: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}
