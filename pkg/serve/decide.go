package serve

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/delphes"
	"github.com/godltrigger/godltrigger/pkg/features"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/spec"
)

// fileStats counts the decisions of one file.
type fileStats struct {
	events, triggered, passed int64
	batches                   int
}

// decideFile writes the decisions of in, generation gen, to out. Errors wrapped by fatal concern the output
// or the model; others, the input.
func (s *Server) decideFile(ctx context.Context, in input, out string, gen int) (fileStats, error) {
	source, err := filepath.Abs(in.path)
	if err != nil {
		source = in.path
	}
	meta := map[string]string{
		MetaSpec: DecisionSpec, MetaInput: source, MetaModel: s.opts.Model,
		MetaClass: spec.Classes[s.class], MetaThreshold: formatThreshold(s.opts.Threshold),
		MetaInputVersion: fmt.Sprintf("size=%d mtime=%s generation=%d", in.size, in.mtime.UTC().Format(time.RFC3339Nano), gen),
	}
	var fs fileStats
	switch in.kind {
	case rootInput:
		f, err := delphes.Open(in.path, delphes.WithLogf(func(string, ...any) {}))
		if err != nil {
			return fs, err
		}
		defer f.Close()
		w, err := newDecisionWriter(out, meta)
		if err != nil {
			return fs, fatal(err)
		}
		defer w.abort()
		if err := s.decideROOT(ctx, in, f, w, &fs); err != nil {
			return fs, err
		}
		return fs, fatal(w.close())
	case parquetInput:
		r, err := dataset.Open(in.path)
		if err != nil {
			return fs, err
		}
		want, _ := dataset.Ingested().Select(spec.ColumnHFeatures, spec.ColumnLFeatures)
		if err := r.Check(want); err != nil {
			return fs, fmt.Errorf("serve: %s is not an ingested Parquet file: %w", in.path, err)
		}
		w, err := newDecisionWriter(out, meta)
		if err != nil {
			return fs, fatal(err)
		}
		defer w.abort()
		if err := s.decideParquet(ctx, in, r, want, w, &fs); err != nil {
			return fs, err
		}
		return fs, fatal(w.close())
	}
	return fs, fmt.Errorf("serve: %s: unknown input kind", in.path)
}

// decideROOT reads the events of a Delphes file batch by batch: the trigger emulation and the
// features run on all workers, then the model predicts the triggered events of the batch.
func (s *Server) decideROOT(ctx context.Context, in input, f *delphes.File, w *decisionWriter, fs *fileStats) error {
	b := s.batch
	b.n = 0
	if cap(b.events) < b.capacity {
		b.events = make([]delphes.Event, b.capacity)
	}
	flush := func() error {
		parallel(s.workers, b.n, func(wk *worker, i int) { wk.extract(b, i) })
		return s.finishBatch(in, b, w, fs)
	}
	err := f.Read(ctx, func(ev *delphes.Event) error {
		b.events[b.n].CopyFrom(ev)
		b.entries[b.n] = ev.Entry
		b.n++
		if b.n < b.capacity {
			return nil
		}
		return flush()
	})
	if err == nil && b.n > 0 {
		err = flush()
	}
	return err
}

// decideParquet reads the rows of an ingested file batch by batch. Every row passed the
// trigger emulation when it was ingested; its entry is its row index in the file.
func (s *Server) decideParquet(ctx context.Context, in input, r *dataset.Reader, want dataset.Schema, w *decisionWriter, fs *fileStats) error {
	b := s.batch
	for _, f := range r.Files() {
		err := r.ScanFile(ctx, f, want, b.capacity, func(rows *dataset.Batch) error {
			for lo := 0; lo < rows.Rows; lo += b.capacity {
				b.n = min(b.capacity, rows.Rows-lo)
				for i := 0; i < b.n; i++ {
					b.entries[i] = rows.Row + int64(lo+i)
					b.outcomes[i] = features.Selected
				}
				parallel(s.workers, b.n, func(wk *worker, i int) {
					wk.prepare(b, i, rows.RowFloat64s(spec.ColumnHFeatures, lo+i), rows.RowFloat64s(spec.ColumnLFeatures, lo+i))
				})
				if err := s.finishBatch(in, b, w, fs); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// finishBatch predicts the triggered events of b and writes the decisions of all its events.
func (s *Server) finishBatch(in input, b *batch, w *decisionWriter, fs *fileStats) error {
	var probs []float32
	if k := b.compact(); k > 0 {
		m := b.padded(k)
		var err error
		if probs, err = s.pred.Predict(b.data(m, s.keep)); err != nil {
			return fatal(fmt.Errorf("serve: %s: %w", in.path, err))
		}
	}
	var triggered, passed int64
	for i := 0; i < b.n; i++ {
		if b.outcomes[i] != features.Selected {
			w.add(b.entries[i], b.outcomes[i], nil, false)
			continue
		}
		p := probs[triggered*models.NumClasses : (triggered+1)*models.NumClasses]
		pass := float64(p[s.class]) >= s.opts.Threshold
		w.add(b.entries[i], features.Selected, p, pass)
		triggered++
		if pass {
			passed++
		}
	}
	if err := w.flush(); err != nil {
		return fatal(err)
	}
	fs.events += int64(b.n)
	fs.triggered += triggered
	fs.passed += passed
	s.stats.processed.Add(int64(b.n))
	if s.opts.hooks.batchWritten != nil {
		s.opts.hooks.batchWritten(in.rel, fs.batches)
	}
	fs.batches++
	b.n = 0
	return nil
}
