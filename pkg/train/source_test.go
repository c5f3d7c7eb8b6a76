package train

import (
	"fmt"
	"slices"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
)

func TestNewMemorySourceRejectsBadData(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    modeldir.Data
	}{
		{"no-features", modeldir.Data{Labels: []int{0}}},
		{"hlf-size", modeldir.Data{HLF: make([]float32, 13), Labels: []int{0}}},
		{"seq-size", modeldir.Data{Seq: make([]float32, 2*19), SeqLen: 3, Labels: []int{0}}},
		{"seq-len", modeldir.Data{Seq: make([]float32, 19), Labels: []int{0}}},
		{"label", modeldir.Data{HLF: make([]float32, 14), Labels: []int{3}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewMemorySource(tc.d); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}

// rowIDs builds n rows whose first HLF value and first particle value are the row number.
func rowIDs(t *testing.T, n, seqLen int) *MemorySource {
	t.Helper()
	d := modeldir.Data{HLF: make([]float32, n*models.NumHLF), Seq: make([]float32, n*seqLen*models.NumFeatures), SeqLen: seqLen}
	for i := 0; i < n; i++ {
		d.HLF[i*models.NumHLF] = float32(i)
		for s := 0; s < seqLen; s++ {
			d.Seq[(i*seqLen+s)*models.NumFeatures] = float32(i*100 + s)
		}
		d.Labels = append(d.Labels, i%3)
	}
	src, err := NewMemorySource(d)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func readOrder(t *testing.T, src Source, o Order, batch int) (ids, sizes []int) {
	t.Helper()
	for b, err := range src.Batches(o, batch) {
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, b.Size)
		for i := 0; i < b.Size; i++ {
			id := int(b.HLF[i*models.NumHLF])
			ids = append(ids, id)
			if got := int(b.Seq[i*b.SeqLen*models.NumFeatures]); got != id*100 {
				t.Fatalf("row %d: sequence of row %d", id, got/100)
			}
			for c := 0; c < models.NumClasses; c++ {
				want := float32(0)
				if c == id%3 {
					want = 1
				}
				if b.Labels[i*models.NumClasses+c] != want {
					t.Fatalf("row %d: labels %v", id, b.Labels[i*3:i*3+3])
				}
			}
		}
	}
	return ids, sizes
}

func TestMemorySourceOrder(t *testing.T) {
	src := rowIDs(t, 10, 2)
	ids, sizes := readOrder(t, src, Order{}, 4)
	if !slices.Equal(ids, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}) || !slices.Equal(sizes, []int{4, 4, 2}) {
		t.Fatalf("storage order: ids %v sizes %v", ids, sizes)
	}
	a, _ := readOrder(t, src, Order{Shuffle: true, Seed: 1, Epoch: 0}, 4)
	b, _ := readOrder(t, src, Order{Shuffle: true, Seed: 1, Epoch: 0}, 3)
	c, _ := readOrder(t, src, Order{Shuffle: true, Seed: 1, Epoch: 1}, 4)
	d, _ := readOrder(t, src, Order{Shuffle: true, Seed: 2, Epoch: 0}, 4)
	if !slices.Equal(a, b) {
		t.Errorf("same (seed, epoch), different order: %v %v", a, b)
	}
	if slices.Equal(a, c) || slices.Equal(a, d) || slices.Equal(a, ids) {
		t.Errorf("orders should differ: %v %v %v", a, c, d)
	}
	sorted := slices.Sorted(slices.Values(a))
	if !slices.Equal(sorted, ids) {
		t.Errorf("shuffled pass is not a permutation: %v", a)
	}
}

// TestTruncateParticles checks which particle rows a truncated batch keeps: the last ones
// (nearest the lepton: the prepared rows are in decreasing ΔR) for new options, the first
// ones for options that name no truncation (model directories written before it existed).
func TestTruncateParticles(t *testing.T) {
	for _, tc := range []struct {
		name  string
		opts  modeldir.Options
		first int // particle of the first row kept
		keep  int
	}{
		{"default: nearest the lepton", modeldir.Options{MaxParticles: 2, Truncate: modeldir.DefaultOptions().Truncate}, 3, 2},
		{"last", modeldir.Options{MaxParticles: 3, Truncate: models.TruncateLast}, 2, 3},
		{"first", modeldir.Options{MaxParticles: 2, Truncate: models.TruncateFirst}, 0, 2},
		{"unrecorded: first", modeldir.Options{MaxParticles: 2}, 0, 2},
		{"all", modeldir.Options{Truncate: models.TruncateLast}, 0, 5},
		{"longer than the sequence", modeldir.Options{MaxParticles: 9, Truncate: models.TruncateLast}, 0, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := rowIDs(t, 3, 5)
			for b, err := range src.Batches(Order{}, 3) {
				if err != nil {
					t.Fatal(err)
				}
				tb := *b
				truncateParticles(&tb, tc.opts, nil)
				if tb.SeqLen != tc.keep || len(tb.Seq) != 3*tc.keep*models.NumFeatures {
					t.Fatalf("SeqLen %d, %d values; want %d particles", tb.SeqLen, len(tb.Seq), tc.keep)
				}
				for i := 0; i < 3; i++ {
					for s := 0; s < tc.keep; s++ {
						if got, want := tb.Seq[(i*tc.keep+s)*models.NumFeatures], float32(i*100+tc.first+s); got != want {
							t.Errorf("row %d kept particle %d: %v, want %v", i, s, got, want)
						}
					}
				}
				if b.SeqLen != 5 {
					t.Error("the source's batch was modified")
				}
			}
		})
	}
}

func ExampleNewMemorySource() {
	src, err := NewMemorySource(modeldir.Data{
		HLF:    make([]float32, 5*models.NumHLF),
		Labels: []int{0, 1, 2, 1, 0},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for b, err := range src.Batches(Order{Shuffle: true, Seed: 42, Epoch: 0}, 2) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(b.Size, len(b.HLF), len(b.Labels))
	}
	// Output:
	// 2 28 6
	// 2 28 6
	// 1 14 3
}
