package prep_test

import (
	"context"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/features"
	"github.com/godltrigger/godltrigger/pkg/prep"
)

// withValue copies the ingested dataset src into a new folder, with value v at index k of
// column col (hfeatures or lfeatures) of row row of its first part file, and returns the
// folder and that file.
func withValue(t *testing.T, src, col string, row, k int, v float64) (string, string) {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "ingested")
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	r, err := dataset.Open(dst)
	if err != nil {
		t.Fatal(err)
	}
	file := r.Files()[0]
	schema := dataset.Ingested().Drop("label")
	all := dataset.NewBatch(schema, int(file.NumRows))
	err = r.ScanFile(context.Background(), file, schema, 0, func(b *dataset.Batch) error {
		for i, c := range schema {
			n := c.Len()
			copy(all.Floats[i][int(b.Row)*n:], b.Floats[i])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	n := schema[schema.Index(col)].Len()
	all.Floats[schema.Index(col)][row*n+k] = v
	w, err := dataset.NewWriter(file.Path+".new", schema)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteBatch(all); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(file.Path+".new", file.Path); err != nil {
		t.Fatal(err)
	}
	return dst, file.Path
}

func TestPrepareRejectsNonFiniteInput(t *testing.T) {
	for _, tc := range []struct {
		name   string
		col    string
		row, k int
		v      float64
		want   string
	}{
		{"NaN MT", "hfeatures", 2, features.HLFMT, math.NaN(), "row 2: hfeatures column 3 (MT) is NaN"},
		{"+Inf HT", "hfeatures", 0, features.HLFHT, math.Inf(1), "row 0: hfeatures column 0 (HT) is +Inf"},
		{"-Inf Pt", "lfeatures", 1, 5*features.NumColumns + features.ColPt, math.Inf(-1), "row 1: lfeatures particle row 5 column 4 (Pt) is -Inf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, file := withValue(t, ingested(t), tc.col, tc.row, tc.k, tc.v)
			out := t.TempDir()
			_, err := prep.Run(context.Background(), prep.Options{In: in, Out: out, Seed: 7, Logf: t.Logf})
			if err == nil || !strings.Contains(err.Error(), file) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one naming %s and %q", err, file, tc.want)
			}
			if prep.Complete(out) {
				t.Error("outputs written from non-finite input")
			}
		})
	}
}

func TestPrepareRejectsMeaninglessNumbers(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts prep.Options
		want string
	}{
		{"NaN test fraction", prep.Options{TestFraction: math.NaN()}, "test fraction NaN"},
		{"+Inf test fraction", prep.Options{TestFraction: math.Inf(1)}, "test fraction +Inf"},
		{"negative memory", prep.Options{MemoryBytes: -1 << 20}, "memory bound"},
		{"negative workers", prep.Options{Workers: -2}, "-2 workers"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.In, tc.opts.Out = ingested(t), t.TempDir()
			if _, err := prep.Run(context.Background(), tc.opts); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
