package serve

import (
	"sync"

	"github.com/godltrigger/godltrigger/pkg/delphes"
	"github.com/godltrigger/godltrigger/pkg/features"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/prep"
)

// batch holds up to capacity consecutive events of one input file, from their raw form to
// their decisions. Its buffers are allocated once per server: the memory of a server is that
// of one batch, whatever the size of the files.
type batch struct {
	capacity int
	n        int
	events   []delphes.Event // ROOT inputs: copies of the events read
	entries  []int64
	outcomes []features.Outcome
	hlf      []float32 // model inputs, slot i for event i, then compacted to the triggered events
	seq      []float32
	hlfW     int // float32 values per event in hlf (0 when the model does not read them)
	seqW     int // in seq
	seqFrom  int // offset in an event's GRU_input of the first value the model reads
}

// newBatch sizes a batch for the model cfg reading keep particle rows from row skip on.
func newBatch(capacity int, cfg models.Config, skip, keep int) *batch {
	b := &batch{capacity: capacity, entries: make([]int64, capacity), outcomes: make([]features.Outcome, capacity)}
	if cfg.UsesHLF() {
		b.hlfW = features.NumHLF
	}
	if cfg.UsesSequence() {
		b.seqW, b.seqFrom = keep*features.NumColumns, skip*features.NumColumns
	}
	b.hlf = make([]float32, capacity*b.hlfW)
	b.seq = make([]float32, capacity*b.seqW)
	return b
}

// worker is the per-goroutine state of feature computation.
type worker struct {
	x     *features.Extractor
	tr    *prep.EventTransform
	l, h  []float64 // raw features of the event at hand (ROOT inputs)
	gru   []float64 // its GRU_input
	hlf   []float64 // its HLF_input
	batch *batch
}

func newWorker(opts features.Options, scaler *prep.MinMax) (*worker, error) {
	tr, err := prep.NewEventTransform(scaler)
	if err != nil {
		return nil, err
	}
	const nl = features.NumParticles * features.NumColumns
	return &worker{x: features.NewExtractor(opts), tr: tr,
		l: make([]float64, nl), h: make([]float64, features.NumHLF),
		gru: make([]float64, nl), hlf: make([]float64, features.NumHLF)}, nil
}

// prepare writes the model inputs of slot i of b from the event's ingested features h
// (hfeatures) and l (lfeatures), with package prep's per-event transformation, then converts
// them to float32 and keeps the particle rows the model reads, as training did.
func (w *worker) prepare(b *batch, i int, h, l []float64) {
	if b.hlfW > 0 {
		w.tr.HLFInput(w.hlf, h)
		dst := b.hlf[i*b.hlfW : (i+1)*b.hlfW]
		for k, v := range w.hlf {
			dst[k] = float32(v)
		}
	}
	if b.seqW > 0 {
		w.tr.GRUInput(w.gru, l)
		dst := b.seq[i*b.seqW : (i+1)*b.seqW]
		for k, v := range w.gru[b.seqFrom : b.seqFrom+b.seqW] {
			dst[k] = float32(v)
		}
	}
}

// extract runs the trigger emulation on event i of b and, when it passes, prepares its inputs.
func (w *worker) extract(b *batch, i int) {
	o := w.x.Extract(&b.events[i], w.l, w.h)
	b.outcomes[i] = o
	if o == features.Selected {
		w.prepare(b, i, w.h, w.l)
	}
}

// parallel calls fn(w, i) for i in [0, n), spreading the events over the workers.
func parallel(workers []*worker, n int, fn func(w *worker, i int)) {
	if len(workers) == 1 || n < 2 {
		for i := 0; i < n; i++ {
			fn(workers[0], i)
		}
		return
	}
	var wg sync.WaitGroup
	for k, w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := k; i < n; i += len(workers) {
				fn(w, i)
			}
		}()
	}
	wg.Wait()
}

// compact moves the inputs of the triggered events to the front, in order, and returns how
// many there are.
func (b *batch) compact() int {
	k := 0
	for i := 0; i < b.n; i++ {
		if b.outcomes[i] != features.Selected {
			continue
		}
		if k != i {
			copy(b.hlf[k*b.hlfW:(k+1)*b.hlfW], b.hlf[i*b.hlfW:(i+1)*b.hlfW])
			copy(b.seq[k*b.seqW:(k+1)*b.seqW], b.seq[i*b.seqW:(i+1)*b.seqW])
		}
		k++
	}
	return k
}

// padded returns the number of rows to predict for k triggered events: k rounded up to a
// multiple of max(8, capacity/16) (at most the capacity), so that at most 16 graph shapes are
// ever compiled and at most 1/16 of a full batch is padding. The padding rows are zeroed;
// rows are predicted independently, so they change nothing else.
func (b *batch) padded(k int) int {
	step := max(8, b.capacity/16)
	m := max(min((k+step-1)/step*step, b.capacity), k)
	clear(b.hlf[k*b.hlfW : m*b.hlfW])
	clear(b.seq[k*b.seqW : m*b.seqW])
	return m
}

// data returns the first m rows of model inputs as modeldir.Data.
func (b *batch) data(m, keep int) modeldir.Data {
	d := modeldir.Data{SeqLen: keep}
	if b.hlfW > 0 {
		d.HLF = b.hlf[:m*b.hlfW]
	}
	if b.seqW > 0 {
		d.Seq = b.seq[:m*b.seqW]
	}
	return d
}
