package serve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/prep"
)

// Server turns input files into decision files. Create it with New, run it with Run, release
// the model with Close. A Server runs one Run at a time.
type Server struct {
	opts    Options
	class   int
	pred    *modeldir.Predictor
	keep    int // particle rows the model reads
	workers []*worker
	batch   *batch
	stats   counters
}

// New loads the model of opts.Model and checks the options.
func New(opts Options) (*Server, error) {
	if err := opts.normalize(); err != nil {
		return nil, err
	}
	class, _ := ClassIndex(opts.Class)
	info, err := modeldir.ReadInfo(opts.Model)
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	var scaler *prep.MinMax
	if info.Model.UsesHLF() {
		if len(info.Scaler) == 0 {
			return nil, fmt.Errorf("serve: model %s has no scaler in %s: the %s classifier needs the min-max ranges of its training data (train it from prepared data, or store them with modeldir.SetScaler)",
				opts.Model, modeldir.ModelFile, info.Model.Kind)
		}
		scaler = &prep.MinMax{}
		if err := json.Unmarshal(info.Scaler, scaler); err != nil {
			return nil, fmt.Errorf("serve: model %s: scaler: %w", opts.Model, err)
		}
	}
	skip, keep := info.Options.Truncate.Window(models.MaxParticles, info.Options.MaxParticles)
	s := &Server{opts: opts, class: class, keep: keep, batch: newBatch(opts.BatchEvents, info.Model, skip, keep)}
	for range opts.Workers {
		w, err := newWorker(opts.Features, scaler)
		if err != nil {
			return nil, fmt.Errorf("serve: model %s: %w", opts.Model, err)
		}
		w.tr.SetMaskPadding(info.MaskPadding) // GRU_input as the training data was prepared
		s.workers = append(s.workers, w)
	}
	if s.pred, err = modeldir.Load(opts.Model, opts.Backend); err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	return s, nil
}

// Close releases the model.
func (s *Server) Close() { s.pred.Close() }

// Run decides the files of the watched directory: each input file (taken once complete, see
// the package documentation) gets one decision file in the output directory, written under
// a temporary name and renamed when complete, and a line in the journal. Files decided by an
// earlier run are skipped; a file whose decisions were interrupted is decided again. A file
// that cannot be read is reported through Logf, journaled as bad and skipped.
//
// With Options.Once, Run returns when every file of the directory is decided or bad (ctx.Err()
// when cancelled first). Otherwise it polls until ctx is cancelled, abandons the file at hand
// (its temporary output is removed; the next run decides it again) and returns nil. Either
// way it returns the counts of this run; errors are those of the output directory or model.
func (s *Server) Run(ctx context.Context) (Stats, error) {
	s.stats.reset()
	j, err := openJournal(s.opts.Out)
	if err != nil {
		return s.stats.snapshot(), err
	}
	defer j.close()
	if removed, err := dataset.RemoveStaleTemps(s.opts.Out); err != nil {
		return s.stats.snapshot(), fmt.Errorf("serve: %w", err)
	} else if len(removed) > 0 {
		s.opts.Logf("serve: removed %d unfinished output(s) of an interrupted run: %v", len(removed), removed)
	}
	stopReport := s.startReport()
	defer stopReport()

	counted := map[string]bool{} // decided or skipped files already in the counts
	for {
		inputs, err := listInputs(s.opts.Watch)
		if err != nil {
			return s.stats.snapshot(), err
		}
		waiting := 0
		for _, in := range inputs {
			if ctx.Err() != nil {
				break
			}
			if r, ok := j.bad[in.rel]; ok && in.sameAs(r) {
				continue
			}
			prev, decided := j.done[in.rel]
			if decided && in.sameAs(prev) {
				if !counted[in.rel] {
					counted[in.rel] = true
					s.stats.skipped.Add(1)
				}
				continue
			}
			gen := 1
			if decided { // replaced since it was decided: its next generation
				gen = prev.generation() + 1
			}
			if ok, err := s.adoptOutput(j, in, gen); err != nil {
				return s.stats.snapshot(), err
			} else if ok {
				counted[in.rel] = true
				s.stats.skipped.Add(1)
				continue
			}
			if time.Since(in.mtime) < s.opts.Settle {
				waiting++
				continue
			}
			if decided && j.replaced[in.rel] != gen {
				s.opts.Logf("serve: %s was replaced since it was decided (%d bytes modified %s, now %d bytes modified %s); its decisions stay in %s, the new file is decided into %s",
					in.path, prev.Size, time.Unix(0, prev.MTimeNs).UTC().Format(time.RFC3339Nano), in.size, in.mtime.UTC().Format(time.RFC3339Nano),
					GenerationPath(s.opts.Out, in.rel, prev.generation()), GenerationPath(s.opts.Out, in.rel, gen))
				rec := record{Op: opReplaced, File: in.rel, Size: in.size, MTimeNs: in.mtime.UnixNano(), Generation: gen}
				if err := j.append(rec); err != nil {
					return s.stats.snapshot(), err
				}
			}
			done, err := s.decide(ctx, j, in, gen)
			if err != nil {
				if ctx.Err() != nil {
					break
				}
				return s.stats.snapshot(), err
			}
			if done {
				counted[in.rel] = true
			} else {
				waiting++
			}
		}
		if ctx.Err() != nil {
			if s.opts.Once {
				return s.stats.snapshot(), ctx.Err()
			}
			return s.stats.snapshot(), nil
		}
		if s.opts.Once && waiting == 0 {
			return s.stats.snapshot(), nil
		}
		select {
		case <-ctx.Done():
		case <-time.After(s.opts.Poll):
		}
	}
}

// adoptOutput handles an input whose decision file of generation gen exists but whose "done"
// line is missing (a run stopped between the rename and the journal): the output is the
// commit, so the journal is completed from it.
func (s *Server) adoptOutput(j *journal, in input, gen int) (bool, error) {
	out := GenerationPath(s.opts.Out, in.rel, gen)
	if _, err := os.Stat(out); err != nil {
		return false, nil
	}
	r, err := dataset.Open(out)
	if err != nil {
		return false, fmt.Errorf("serve: decision file %s exists but cannot be read (remove it to decide %s again): %w", out, in.rel, err)
	}
	s.opts.Logf("serve: %s was decided by an interrupted run; journal completed from %s", in.rel, out)
	return true, j.append(record{Op: opDone, File: in.rel, Size: in.size, MTimeNs: in.mtime.UnixNano(), Events: r.NumRows(), Generation: generationField(gen)})
}

// generationField is the journal's Generation of generation gen: omitted for the first.
func generationField(gen int) int {
	if gen <= 1 {
		return 0
	}
	return gen
}

// decide writes the decisions of generation gen of one input. It reports false when the input changed while
// being read (it is then decided again later). Errors are those of the output, the model or
// ctx; a bad input is journaled and skipped.
func (s *Server) decide(ctx context.Context, j *journal, in input, gen int) (bool, error) {
	rec := record{Op: opStart, File: in.rel, Size: in.size, MTimeNs: in.mtime.UnixNano(), Generation: generationField(gen)}
	if err := j.append(rec); err != nil {
		return false, err
	}
	out := GenerationPath(s.opts.Out, in.rel, gen)
	endBusy := s.stats.busyFrom()
	fs, err := s.decideFile(ctx, in, out, gen)
	endBusy()
	if err != nil {
		var fatal *fatalError
		if ctx.Err() != nil || errors.As(err, &fatal) {
			return false, err
		}
		s.opts.Logf("serve: skipping bad file %s: %v", in.path, err)
		s.stats.bad.Add(1)
		rec.Op, rec.Error = opBad, err.Error()
		return true, j.append(rec)
	}
	if !in.unchanged() {
		s.opts.Logf("serve: %s changed while being decided; it will be decided again", in.path)
		if err := os.Remove(out); err != nil {
			return false, fmt.Errorf("serve: %w", err)
		}
		return false, nil
	}
	rec.Op, rec.Events, rec.Triggered, rec.Passed = opDone, fs.events, fs.triggered, fs.passed
	if err := j.append(rec); err != nil {
		return false, err
	}
	s.stats.commit(fs)
	if s.opts.hooks.fileDone != nil {
		s.opts.hooks.fileDone(in.rel)
	}
	return true, nil
}

// fatalError marks errors that stop the server: writing the output, running the model.
type fatalError struct{ err error }

func (e *fatalError) Error() string { return e.err.Error() }
func (e *fatalError) Unwrap() error { return e.err }

func fatal(err error) error {
	if err == nil {
		return nil
	}
	return &fatalError{err}
}
