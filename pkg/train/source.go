package train

import (
	"fmt"
	"iter"
	"math/rand/v2"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
)

// Batch is a batch of rows handed to the training loop, row-major float32.
type Batch struct {
	Size   int       // rows B
	HLF    []float32 // [B, 14] high-level features; nil when the source has none
	Seq    []float32 // [B, SeqLen, 19] particle rows; nil when the source has none
	SeqLen int       // particles per row in Seq
	Labels []float32 // [B, 3] one-hot labels
}

// Order says in which order a pass reads the rows.
type Order struct {
	Shuffle bool  // false: storage order (validation); true: a permutation of (Seed, Epoch)
	Seed    int64 // the training seed
	Epoch   int   // 0-based pass number
}

// Source is where the training loop pulls its batches from. Implementations: MemorySource
// here; streaming readers of the prepared Parquet datasets build on the same interface.
type Source interface {
	// Rows is the number of rows of one pass, or -1 when unknown (used for progress only).
	Rows() int
	// Batches yields one pass over the data in batches of batchSize rows, the last one possibly
	// smaller, or an error (after which the pass stops). With order.Shuffle the row order must
	// be a function of (order.Seed, order.Epoch) only: a resumed run then sees the same data as
	// an uninterrupted one. A yielded Batch is valid until the next iteration step.
	Batches(order Order, batchSize int) iter.Seq2[*Batch, error]
}

// MemorySource is a Source over Data held in memory.
type MemorySource struct {
	d modeldir.Data
}

// NewMemorySource checks d's sizes and returns a Source over it. The slices are not copied.
func NewMemorySource(d modeldir.Data) (*MemorySource, error) {
	n := len(d.Labels)
	if d.HLF == nil && d.Seq == nil {
		return nil, fmt.Errorf("train: memory source without features (neither HLF nor Seq)")
	}
	if d.HLF != nil && len(d.HLF) != n*models.NumHLF {
		return nil, fmt.Errorf("train: memory source: %d HLF values for %d labels, want %d", len(d.HLF), n, n*models.NumHLF)
	}
	if d.Seq != nil {
		if d.SeqLen <= 0 {
			return nil, fmt.Errorf("train: memory source: SeqLen must be > 0 with sequences, got %d", d.SeqLen)
		}
		if want := n * d.SeqLen * models.NumFeatures; len(d.Seq) != want {
			return nil, fmt.Errorf("train: memory source: %d sequence values for %d labels of %d particles, want %d",
				len(d.Seq), n, d.SeqLen, want)
		}
	}
	for i, l := range d.Labels {
		if l < 0 || l >= models.NumClasses {
			return nil, fmt.Errorf("train: memory source: label %d of row %d outside [0, %d)", l, i, models.NumClasses)
		}
	}
	return &MemorySource{d: d}, nil
}

// Rows is the number of rows.
func (m *MemorySource) Rows() int { return len(m.d.Labels) }

// Batches yields the rows in storage order, or shuffled by a permutation drawn from a PCG
// generator seeded with (order.Seed, order.Epoch).
func (m *MemorySource) Batches(order Order, batchSize int) iter.Seq2[*Batch, error] {
	return func(yield func(*Batch, error) bool) {
		if batchSize <= 0 {
			yield(nil, fmt.Errorf("train: batch size must be > 0, got %d", batchSize))
			return
		}
		n := len(m.d.Labels)
		var perm []int
		if order.Shuffle {
			perm = rand.New(rand.NewPCG(uint64(order.Seed), uint64(order.Epoch))).Perm(n)
		}
		const f, c = models.NumHLF, models.NumClasses
		rowSeq := m.d.SeqLen * models.NumFeatures
		b := &Batch{SeqLen: m.d.SeqLen}
		for start := 0; start < n; start += batchSize {
			size := min(batchSize, n-start)
			b.Size = size
			b.Labels = resize(b.Labels, size*c)
			clear(b.Labels)
			if m.d.HLF != nil {
				b.HLF = resize(b.HLF, size*f)
			}
			if m.d.Seq != nil {
				b.Seq = resize(b.Seq, size*rowSeq)
			}
			for i := 0; i < size; i++ {
				row := start + i
				if perm != nil {
					row = perm[row]
				}
				b.Labels[i*c+m.d.Labels[row]] = 1
				if m.d.HLF != nil {
					copy(b.HLF[i*f:(i+1)*f], m.d.HLF[row*f:(row+1)*f])
				}
				if m.d.Seq != nil {
					copy(b.Seq[i*rowSeq:(i+1)*rowSeq], m.d.Seq[row*rowSeq:(row+1)*rowSeq])
				}
			}
			if !yield(b, nil) {
				return
			}
		}
	}
}

// resize returns s with length n, reusing its storage when large enough.
func resize(s []float32, n int) []float32 {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]float32, n)
}

// truncateParticles keeps the particle rows of each row of b that opts read (see
// modeldir.TruncateParticles), writing into buf, and returns the buffer for reuse.
func truncateParticles(b *Batch, opts modeldir.Options, buf []float32) []float32 {
	if b.Seq == nil {
		return buf
	}
	kept, keep := modeldir.TruncateParticles(b.Seq, b.Size, b.SeqLen, opts, buf)
	if keep == b.SeqLen {
		return buf
	}
	b.Seq, b.SeqLen = kept, keep
	return kept
}

// truncatedSource yields the batches of a Source with the particle rows that opts read (see
// truncateParticles): where the training loop reads a source whose sequences are longer than
// the run keeps (a MemorySource of whole events; the readers of prepared datasets truncate as
// they read, and pass through unchanged).
type truncatedSource struct {
	Source
	opts modeldir.Options
}

// Batches yields the truncated batches, valid until the next iteration step.
func (t truncatedSource) Batches(order Order, batchSize int) iter.Seq2[*Batch, error] {
	return func(yield func(*Batch, error) bool) {
		var buf []float32
		var tb Batch
		for b, err := range t.Source.Batches(order, batchSize) {
			if err == nil && b.Seq != nil {
				tb = *b
				buf = truncateParticles(&tb, t.opts, buf)
				b = &tb
			}
			if !yield(b, err) {
				return
			}
		}
	}
}
