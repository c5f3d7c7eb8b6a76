package prep

import (
	"sync"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/spec"
)

// transformBatch holds up to cap rows of the full output schema, filled from shuffled rows by
// several goroutines.
type transformBatch struct {
	full *dataset.Batch
	seqs []*Sequencer
	mask bool // GRU_input as Options.MaskPadding says
}

func newTransformBatch(rows, workers int, mask bool) *transformBatch {
	tb := &transformBatch{full: dataset.NewBatch(dataset.Full(), rows), mask: mask}
	for i := 0; i < max(workers, 1); i++ {
		tb.seqs = append(tb.seqs, NewSequencer())
	}
	return tb
}

// fill transforms rows into the batch: raw columns copied, HLF_input scaled, encoded_label
// one-hot, GRU_input sorted and standardized (MaskedGRUInput with tb.mask).
func (tb *transformBatch) fill(rows []row, scaler *MinMax) {
	b := tb.full
	b.Rows = len(rows)
	const nl, nh, nc = spec.SequenceLength * spec.NumParticleFeatures, spec.NumHLF, spec.NumClasses
	hf, lf := b.Float64s(spec.ColumnHFeatures), b.Float64s(spec.ColumnLFeatures)
	enc, hlf, gru := b.Float64s(spec.ColumnEncodedLabel), b.Float64s(spec.ColumnHLFInput), b.Float64s(spec.ColumnGRUInput)
	labels := b.Int64s(spec.ColumnLabel)
	var wg sync.WaitGroup
	for w, seq := range tb.seqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(rows); i += len(tb.seqs) {
				r := &rows[i]
				labels[i] = r.Label
				copy(hf[i*nh:(i+1)*nh], r.H)
				copy(lf[i*nl:(i+1)*nl], r.L)
				scaler.Transform(hlf[i*nh:(i+1)*nh], r.H)
				OneHot(enc[i*nc:(i+1)*nc], r.Label)
				if tb.mask {
					seq.MaskedGRUInput(gru[i*nl:(i+1)*nl], r.L)
				} else {
					seq.GRUInput(gru[i*nl:(i+1)*nl], r.L)
				}
			}
		}()
	}
	wg.Wait()
}

// view returns the batch as seen by a writer of schema s: the same slices, with GRU_input
// flattened where s wants a flat list (the inclusive dataset).
func (tb *transformBatch) view(s dataset.Schema) *dataset.Batch {
	b := tb.full
	v := &dataset.Batch{Schema: s, Rows: b.Rows, Floats: make([][]float64, len(s)), Ints: make([][]int64, len(s))}
	for i, c := range s {
		if c.Kind == dataset.Int64 {
			v.Ints[i] = b.Int64s(c.Name)[:b.Rows]
		} else {
			v.Floats[i] = b.Float64s(c.Name)[:b.Rows*c.Len()]
		}
	}
	return v
}
