package ingest

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/godltrigger/godltrigger/pkg/delphes"
	"github.com/godltrigger/godltrigger/pkg/features"
	"github.com/godltrigger/godltrigger/pkg/progress"
)

// runner holds the state shared by the goroutines of one run.
type runner struct {
	opts  Options
	chunk int
	logf  func(string, ...any)
	bar   *progress.Bar
	jobs  chan *chunkJob // chunks of events waiting for features
	free  chan *chunkJob // recycled chunks: bounds the memory in flight

	muonOnce sync.Once

	dirs dirs // folders this run made

	mu   sync.Mutex
	sum  *Summary
	done int
}

// outputError is an error of the output (the disk, the destination), never of an input: it
// stops the run.
type outputError struct{ err error }

func (e *outputError) Error() string { return e.err.Error() }
func (e *outputError) Unwrap() error { return e.err }

// chunkJob is a run of consecutive events of one file and, once worked, their features.
type chunkJob struct {
	seq      int
	n        int
	events   []delphes.Event
	outcomes []features.Outcome
	l, h     []float64 // features of the selected events, in order
	selected int
	bad      error // the first selected event with a value that is not finite
	results  chan<- *chunkJob
}

func newChunkJob(n int) *chunkJob {
	return &chunkJob{
		events:   make([]delphes.Event, n),
		outcomes: make([]features.Outcome, n),
		l:        make([]float64, n*features.NumParticles*features.NumColumns),
		h:        make([]float64, n*features.NumHLF),
	}
}

// work computes the features of chunks until r.jobs is closed.
func (r *runner) work(opts features.Options) {
	x := features.NewExtractor(opts)
	const nl, nh = features.NumParticles * features.NumColumns, features.NumHLF
	for j := range r.jobs {
		j.selected, j.bad = 0, nil
		for i := 0; i < j.n; i++ {
			k := j.selected
			l, h := j.l[k*nl:(k+1)*nl], j.h[k*nh:(k+1)*nh]
			o := x.Extract(&j.events[i], l, h)
			j.outcomes[i] = o
			if o != features.Selected {
				continue
			}
			if err := features.CheckFinite(h, l); err != nil && j.bad == nil {
				j.bad = fmt.Errorf("event %d: %w", j.events[i].Entry, err)
			}
			j.selected++
		}
		j.results <- j
	}
}

// countEntries sets the bar's total from the inputs' entry counts (a bad input shows up later).
func (r *runner) countEntries(todo []Input) {
	var total int64
	for _, in := range todo {
		f, err := delphes.Open(in.Path, delphes.WithLogf(func(string, ...any) {}))
		if err != nil {
			continue
		}
		total += f.Entries()
		f.Close()
	}
	r.bar.SetTotal(total)
}

func (r *runner) addBad(path string, err error) {
	r.mu.Lock()
	r.sum.Bad = append(r.sum.Bad, BadFile{Path: path, Err: err})
	r.mu.Unlock()
	r.logf("ingest: skipping %s: %v", path, err)
}

type readResult struct {
	chunks int
	err    error
}

// file ingests one input into its output file.
func (r *runner) file(ctx context.Context, in Input) (err error) {
	f, err := delphes.Open(in.Path, delphes.WithLogf(func(string, ...any) {}))
	if err != nil {
		return err
	}
	defer f.Close()
	if f.MuonBranch() != "MuonTight" {
		r.muonOnce.Do(func() {
			r.logf("ingest: %s has no MuonTight collection: muons are read from %s (said once for the run)", in.Path, f.MuonBranch())
		})
	}
	out, err := r.createOutput(OutputPath(r.opts.Out, in), in)
	if err != nil {
		return &outputError{err}
	}

	results := make(chan *chunkJob, cap(r.free))
	readDone := make(chan readResult, 1)
	go func() {
		seq := 0
		var cur *chunkJob
		err := f.Read(ctx, func(ev *delphes.Event) error {
			if cur == nil {
				select {
				case cur = <-r.free:
				case <-ctx.Done():
					return ctx.Err()
				}
				cur.seq, cur.n, cur.results = seq, 0, results
			}
			cur.events[cur.n].CopyFrom(ev)
			cur.n++
			if cur.n == r.chunk {
				r.jobs <- cur
				seq++
				cur = nil
			}
			return nil
		})
		if cur != nil {
			if cur.n > 0 {
				r.jobs <- cur
				seq++
			} else {
				r.free <- cur
			}
		}
		readDone <- readResult{chunks: seq, err: err}
	}()

	var (
		pending  = map[int]*chunkJob{}
		next     = 0
		total    = -1
		readErr  error
		badErr   error // non-finite features: the input's fault
		writeErr error
		events   int64
		selected int64
		outcomes = map[features.Outcome]int64{}
	)
	for total < 0 || next < total {
		select {
		case rr := <-readDone:
			total, readErr = rr.chunks, rr.err
		case j := <-results:
			pending[j.seq] = j
			for {
				p, ok := pending[next]
				if !ok {
					break
				}
				delete(pending, next)
				next++
				if badErr == nil && p.bad != nil {
					badErr = fmt.Errorf("ingest: %s: %w", in.Path, p.bad)
				}
				if writeErr == nil && badErr == nil && r.opts.hooks.writeErr != nil {
					writeErr = r.opts.hooks.writeErr(in)
				}
				if writeErr == nil && badErr == nil {
					writeErr = out.writeChunk(p)
					if writeErr == nil && r.opts.hooks.chunkWritten != nil {
						r.opts.hooks.chunkWritten(in, p.seq)
					}
				}
				for _, o := range p.outcomes[:p.n] {
					outcomes[o]++
				}
				events += int64(p.n)
				selected += int64(p.selected)
				r.bar.Add(int64(p.n))
				r.free <- p
			}
		}
	}
	if writeErr != nil {
		out.abort()
		return &outputError{writeErr}
	}
	if err := errors.Join(readErr, badErr); err != nil {
		out.abort()
		return err
	}
	if err := out.close(); err != nil {
		return &outputError{err}
	}
	if r.opts.hooks.fileDone != nil {
		r.opts.hooks.fileDone(in)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sum.FilesDone++
	r.sum.Events += events
	r.sum.Selected[in.Label] += selected
	for o, n := range outcomes {
		r.sum.Outcomes[o] += n
	}
	r.done++
	r.bar.SetNote("files %d/%d", r.done, r.sum.Files-r.sum.FilesSkipped)
	return nil
}
