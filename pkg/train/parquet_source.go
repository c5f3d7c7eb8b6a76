package train

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/models"
)

// Shuffle buffer defaults of ParquetSource.
const (
	DefaultShuffleBytes = 256 << 20 // bytes of converted rows
	DefaultShuffleRows  = 1 << 20   // upper bound on the default buffer's rows
)

// prefetchBatches is the number of batches the reading goroutine may have ready ahead of
// the training loop.
const prefetchBatches = 2

// ParquetSource streams a prepared Parquet dataset to the training loop with bounded memory:
// a goroutine reads the files, converts the needed columns to float32 (truncating the
// particle rows), shuffles rows in a buffer and assembles batches, at most prefetchBatches
// ahead of the loop; the loop itself never waits on I/O unless the reader is slower.
//
// Orders: without shuffling, rows come in storage order (files in path order). With
// shuffling, when the whole dataset fits in the buffer the order is exactly MemorySource's
// permutation of (seed, epoch); otherwise the order of the files (or of the row ranges of a
// share, see OpenDatasetShare) is a permutation drawn from (seed, epoch) and every row read
// replaces a row drawn at random from the full buffer, which is emitted (the buffer's
// remainder is emitted in random order at the end). Either way the order is a function of
// (seed, epoch) only, so Resume stays exact.
type ParquetSource struct {
	plan   *dataPlan
	buffer int // shuffle buffer rows
}

// NewParquetSource opens the prepared dataset dir as a streaming source for cfg.Kind.
func NewParquetSource(ctx context.Context, dir string, cfg DataConfig) (*ParquetSource, error) {
	p, err := planData(ctx, dir, cfg, true)
	if err != nil {
		return nil, err
	}
	return newParquetSource(p, cfg), nil
}

func newParquetSource(p *dataPlan, cfg DataConfig) *ParquetSource {
	buf := cfg.ShuffleBuffer
	if buf <= 0 {
		buf = int(min(DefaultShuffleBytes/p.rowBytes(), DefaultShuffleRows))
	}
	return &ParquetSource{plan: p, buffer: max(buf, 1)}
}

// Rows is the number of rows of the dataset.
func (s *ParquetSource) Rows() int { return s.plan.rows() }

// ShuffleBuffer is the number of rows the source shuffles in.
func (s *ParquetSource) ShuffleBuffer() int { return s.buffer }

// SeqLen is the number of particle rows per yielded row (0 without sequences).
func (s *ParquetSource) SeqLen() int {
	if s.plan.seq < 0 {
		return 0
	}
	return s.plan.keep
}

// item is what the reading goroutine hands to the loop.
type item struct {
	b   *Batch
	err error
}

// Batches yields one pass in batches of batchSize rows (the last possibly smaller).
func (s *ParquetSource) Batches(order Order, batchSize int) iter.Seq2[*Batch, error] {
	return func(yield func(*Batch, error) bool) {
		if batchSize <= 0 {
			yield(nil, fmt.Errorf("train: batch size must be > 0, got %d", batchSize))
			return
		}
		ctx, cancel := context.WithCancel(context.Background())
		full := make(chan item, prefetchBatches)
		free := make(chan *Batch, prefetchBatches+1)
		for range prefetchBatches + 1 {
			free <- &Batch{}
		}
		go func() {
			defer close(full)
			e := &emitter{ctx: ctx, plan: s.plan, size: batchSize, free: free, full: full}
			err := s.produce(ctx, order, e)
			if err == nil {
				err = e.flush()
			}
			if err != nil && !errors.Is(err, context.Canceled) {
				select {
				case full <- item{err: fmt.Errorf("train: read %s: %w", s.plan.dir, err)}:
				case <-ctx.Done():
				}
			}
		}()
		defer func() {
			cancel()
			for range full { // let the goroutine finish
			}
		}()
		for it := range full {
			if it.err != nil {
				yield(nil, it.err)
				return
			}
			if !yield(it.b, nil) {
				return
			}
			free <- it.b
		}
	}
}

// produce reads one pass and hands its rows to e in the order described on ParquetSource.
func (s *ParquetSource) produce(ctx context.Context, order Order, e *emitter) error {
	p := s.plan
	if !order.Shuffle {
		return p.scan(ctx, nil, func(b *dataset.Batch) error {
			for i := 0; i < b.Rows; i++ {
				hlf, seq, label := e.slot()
				l, err := p.convertRow(b, i, hlf, seq)
				if err != nil {
					return err
				}
				label(l)
				if err := e.commit(); err != nil {
					return err
				}
			}
			return nil
		})
	}
	rng := rand.New(rand.NewPCG(uint64(order.Seed), uint64(order.Epoch)))
	n := p.rows()
	whole := s.buffer >= n
	var files []int
	if !whole {
		files = rng.Perm(len(p.fileParts()))
	}
	buf := newRowBuffer(p, min(s.buffer, n))
	err := p.scan(ctx, files, func(b *dataset.Batch) error {
		for i := 0; i < b.Rows; i++ {
			slot := buf.len
			if buf.len == buf.cap {
				if whole {
					return fmt.Errorf("%s holds more rows than its footers say (%d)", p.dir, n)
				}
				slot = rng.IntN(buf.cap)
				if err := e.put(buf, slot); err != nil {
					return err
				}
			} else {
				buf.len++
			}
			if err := buf.convert(b, i, slot); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	// The whole dataset: MemorySource's permutation; otherwise the remainder, shuffled.
	for _, slot := range rng.Perm(buf.len) {
		if err := e.put(buf, slot); err != nil {
			return err
		}
	}
	return nil
}

// rowBuffer holds converted rows in slots.
type rowBuffer struct {
	plan     *dataPlan
	hw, sw   int
	hlf, seq []float32
	labels   []int8
	len, cap int
}

func newRowBuffer(p *dataPlan, rows int) *rowBuffer {
	return &rowBuffer{plan: p, hw: p.hlfWidth(), sw: p.seqWidth(), cap: rows,
		hlf: make([]float32, rows*p.hlfWidth()), seq: make([]float32, rows*p.seqWidth()), labels: make([]int8, rows)}
}

func (r *rowBuffer) convert(b *dataset.Batch, i, slot int) error {
	l, err := r.plan.convertRow(b, i, r.hlf[slot*r.hw:(slot+1)*r.hw], r.seq[slot*r.sw:(slot+1)*r.sw])
	r.labels[slot] = int8(l)
	return err
}

// emitter assembles rows into batches and sends them to the loop.
type emitter struct {
	ctx  context.Context
	plan *dataPlan
	size int
	free chan *Batch
	full chan item
	b    *Batch // the batch being filled, nil when none
}

// slot returns where the next row goes: its HLF and sequence slices and a label setter.
func (e *emitter) slot() (hlf, seq []float32, label func(int)) {
	if e.b == nil {
		e.start()
	}
	b, i := e.b, e.b.Size
	hw, sw := e.plan.hlfWidth(), e.plan.seqWidth()
	if b.HLF != nil {
		hlf = b.HLF[i*hw : (i+1)*hw]
	}
	if b.Seq != nil {
		seq = b.Seq[i*sw : (i+1)*sw]
	}
	return hlf, seq, func(l int) { b.Labels[i*models.NumClasses+l] = 1 }
}

// put copies slot of buf as the next row.
func (e *emitter) put(buf *rowBuffer, slot int) error {
	hlf, seq, label := e.slot()
	copy(hlf, buf.hlf[slot*buf.hw:(slot+1)*buf.hw])
	copy(seq, buf.seq[slot*buf.sw:(slot+1)*buf.sw])
	label(int(buf.labels[slot]))
	return e.commit()
}

// start takes a free batch and sizes it for e.size rows.
func (e *emitter) start() {
	var b *Batch
	select {
	case b = <-e.free:
	case <-e.ctx.Done():
		b = &Batch{} // the pass is over; commit reports the cancellation
	}
	b.Size, b.SeqLen = 0, e.plan.keep
	if e.plan.hlf >= 0 {
		b.HLF = resize(b.HLF[:cap(b.HLF)], e.size*e.plan.hlfWidth())
	}
	if e.plan.seq >= 0 {
		b.Seq = resize(b.Seq[:cap(b.Seq)], e.size*e.plan.seqWidth())
	} else {
		b.SeqLen = 0
	}
	b.Labels = resize(b.Labels[:cap(b.Labels)], e.size*models.NumClasses)
	clear(b.Labels)
	e.b = b
}

// commit counts the row written into the current batch and sends the batch when full.
func (e *emitter) commit() error {
	e.b.Size++
	if e.b.Size < e.size {
		return nil
	}
	return e.send()
}

// flush sends a partly filled last batch.
func (e *emitter) flush() error {
	if e.b == nil || e.b.Size == 0 {
		return nil
	}
	return e.send()
}

func (e *emitter) send() error {
	b := e.b
	e.b = nil
	n := b.Size
	if b.HLF != nil {
		b.HLF = b.HLF[:n*e.plan.hlfWidth()]
	}
	if b.Seq != nil {
		b.Seq = b.Seq[:n*e.plan.seqWidth()]
	}
	b.Labels = b.Labels[:n*models.NumClasses]
	select {
	case e.full <- item{b: b}:
		return nil
	case <-e.ctx.Done():
		return e.ctx.Err()
	}
}
