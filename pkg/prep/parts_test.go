package prep_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/prep"
)

// TestPartsGivesEachRankAShare checks that Parts sets the least number of training part files
// without changing which rows each split holds.
func TestPartsGivesEachRankAShare(t *testing.T) {
	in := ingested(t)
	one, three := t.TempDir(), t.TempDir()
	ctx := context.Background()
	if _, err := prep.Run(ctx, prep.Options{In: in, Out: one, Seed: 7, Logf: t.Logf}); err != nil {
		t.Fatal(err)
	}
	sum, err := prep.Run(ctx, prep.Options{In: in, Out: three, Seed: 7, Parts: 3, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Buckets != 3 {
		t.Errorf("%d training buckets, want 3", sum.Buckets)
	}
	for _, name := range []string{prep.TrainFull, prep.TrainHLF, prep.TrainInclusive} {
		r, err := dataset.Open(filepath.Join(three, name))
		if err != nil {
			t.Fatal(err)
		}
		if n := len(r.Files()); n != 3 {
			t.Errorf("%s: %d part files, want 3", name, n)
		}
		for rank := range 3 {
			s, err := r.Share(rank, 3)
			if err != nil || s.NumRows() == 0 {
				t.Errorf("%s: rank %d of 3 gets no rows: %v", name, rank, err)
			}
		}
	}
	scaler, err := prep.LoadMinMax(filepath.Join(one, prep.ScalerFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{prep.TrainFull, prep.TestFull} {
		a, b := readFull(t, filepath.Join(one, name), scaler), readFull(t, filepath.Join(three, name), scaler)
		if len(a) != len(b) {
			t.Fatalf("%s: %d rows in one part, %d in three", name, len(a), len(b))
		}
		for fp, l := range a {
			if b[fp] != l {
				t.Fatalf("%s: a row is missing or relabelled with three parts", name)
			}
		}
	}
	if _, err := prep.Run(ctx, prep.Options{In: in, Out: t.TempDir(), Parts: -1}); err == nil {
		t.Error("Parts -1 accepted")
	}
}
