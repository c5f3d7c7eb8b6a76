package dataset

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/godltrigger/godltrigger/pkg/spec"
)

func TestScanFilesInParallel(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	dir := t.TempDir()
	for part := range 4 {
		writeFile(t, filepath.Join(PartitionDir(dir, "id", int64(part)), PartName(part, "j")), small().Drop("id"), 5+part, WithRowGroupRows(2))
	}
	r, err := Open(dir, WithAllocator(mem))
	if err != nil {
		t.Fatal(err)
	}
	sum := func(b *Batch, acc *float64) {
		for _, v := range b.Float64s("m") {
			*acc += v
		}
		for _, v := range b.Int64s("id") {
			*acc += float64(v)
		}
	}
	var want float64
	if err := r.Scan(context.Background(), small(), 3, func(b *Batch) error { sum(b, &want); return nil }); err != nil {
		t.Fatal(err)
	}
	sums := make([]float64, len(r.Files()))
	errs := make([]error, len(r.Files()))
	var wg sync.WaitGroup
	for i, f := range r.Files() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = r.ScanFile(context.Background(), f, small(), 3, func(b *Batch) error { sum(b, &sums[i]); return nil })
		}()
	}
	wg.Wait()
	var got float64
	for i := range sums {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		got += sums[i]
	}
	if got != want || want == 0 {
		t.Fatalf("parallel sum %v, sequential %v", got, want)
	}
}

func TestScanStops(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.parquet")
	writeFile(t, path, small(), 10)
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	stop := errors.New("enough")
	calls := 0
	err = r.Scan(context.Background(), small(), 2, func(*Batch) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Fatalf("callback error: Scan returned %v after %d calls", err, calls)
	}
	ctx, cancel := context.WithCancel(context.Background())
	calls = 0
	err = r.Scan(ctx, small(), 2, func(*Batch) error { calls++; cancel(); return nil })
	if !errors.Is(err, context.Canceled) || calls != 1 {
		t.Fatalf("cancelled: Scan returned %v after %d calls", err, calls)
	}
}

func TestInfer(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "label=2", "p.parquet"), Full().Drop("label"), 1)
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.Infer(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := append(Full().Drop("label"), Column{Name: "label", Kind: Int64})
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Infer = %v, want %v", got, want)
	}
}

func TestSchemaSelect(t *testing.T) {
	s, err := Full().Select("encoded_label", "HLF_input")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s.Names(), []string{"encoded_label", "HLF_input"}) || s.RowBytes() != 8*(spec.NumClasses+spec.NumHLF) {
		t.Fatalf("Select = %v", s)
	}
	if _, err := HLF().Select("GRU_input"); err == nil {
		t.Fatal("Select of a missing column succeeded")
	}
	if got := Inclusive()[1].Len(); got != 15219 {
		t.Fatalf("Inclusive GRU_input has %d values, want 15219", got)
	}
	if got := Ingested().Drop("label").Names(); !reflect.DeepEqual(got, []string{"hfeatures", "lfeatures"}) {
		t.Fatalf("Ingested part columns %v", got)
	}
}
