package ingest

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/features"
	"github.com/godltrigger/godltrigger/pkg/parallel"
	"github.com/godltrigger/godltrigger/pkg/progress"
)

// Options configure a run.
type Options struct {
	Out      string           // output directory
	Samples  []Sample         // the inputs, one sample per class
	Shard    int              // this process's shard (0-based) ...
	Of       int              // ... of this many; 0 means 1
	Workers  int              // goroutines computing features; 0 means GOMAXPROCS
	Features features.Options // FixQuirks etc.
	Strict   bool             // a bad input file fails the run instead of being skipped
	Chunk    int              // events per unit of parallel work; 0 means 64
	Progress progress.Sink    // nil: no progress
	Logf     func(format string, args ...any)

	hooks hooks
}

// Run ingests the inputs of opts.Shard and returns what it did. Inputs whose output already
// exists are skipped, once their footers show the settings of this run (other settings are an
// error naming the setting). A bad input is listed in the summary and skipped, or with Strict
// ends the run with an error naming it; a run whose inputs are all bad is an error. An error
// of the output (a full disk, an unwritable destination) ends the run at once.
//
// A run that covered all its inputs marks the output complete: dataset.SuccessFile, or with
// Of > 1 its shard's marker, merged into dataset.SuccessFile by the last shard to finish
// (dataset.MarkShardSuccess). A run with inputs left to do removes the marker first.
func Run(ctx context.Context, opts Options) (*Summary, error) {
	start := time.Now()
	if err := opts.check(); err != nil {
		return nil, err
	}
	of := max(opts.Of, 1)
	if opts.Shard < 0 || opts.Shard >= of {
		return nil, fmt.Errorf("ingest: shard %d of %d: want 0 <= shard < n", opts.Shard, of)
	}
	all, err := planAll(opts.Samples)
	if err != nil {
		return nil, err
	}
	inputs := shareOf(all, opts.Shard, of)
	workers := opts.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	chunk := opts.Chunk
	if chunk == 0 {
		chunk = 64
	}
	logf := opts.Logf
	if logf == nil {
		logf = log.Printf
	}
	sum := &Summary{Out: opts.Out, Files: len(inputs), Selected: map[int64]int64{}, Outcomes: map[features.Outcome]int64{},
		Workers: workers, Shard: opts.Shard, Of: of, Names: map[int64]string{}}
	for _, smp := range opts.Samples {
		sum.Names[smp.Label] = smp.Name
	}

	settings := opts.settings()
	var todo []Input
	for _, in := range inputs {
		if p := OutputPath(opts.Out, in); exists(p) {
			if err := checkSettings(p, settings); err != nil {
				return nil, err
			}
			sum.FilesSkipped++
			continue
		}
		todo = append(todo, in)
	}
	r := &runner{opts: opts, chunk: chunk, logf: onceLogger(logf), sum: sum}
	if err := r.dirs.mkdir(opts.Out); err != nil {
		return nil, fmt.Errorf("ingest: output directory: %w", err)
	}
	defer r.dirs.removeEmpty()
	if len(todo) > 0 {
		if err := dataset.UnmarkSuccess(opts.Out, opts.Shard, of); err != nil {
			return nil, fmt.Errorf("ingest: %w", err)
		}
	}
	if err := cleanStale(opts.Out, todo); err != nil {
		return nil, err
	}

	r.bar = progress.NewBar(opts.Progress, "ingest", "events", 0)
	r.countEntries(todo)
	r.bar.SetNote("files 0/%d", len(todo))

	r.jobs = make(chan *chunkJob)
	r.free = make(chan *chunkJob, 2*workers+2)
	for i := 0; i < cap(r.free); i++ {
		r.free <- newChunkJob(chunk)
	}
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.work(opts.Features)
		}()
	}

	failed := parallel.For(ctx, len(todo), workers, func(ctx context.Context, i int) error {
		in := todo[i]
		err := r.file(ctx, in)
		var oerr *outputError
		switch {
		case err == nil, ctx.Err() != nil:
		case errors.As(err, &oerr):
			return fmt.Errorf("ingest: writing the output failed, run stopped (the input %s is not at fault): %w", in.Path, err)
		default:
			r.addBad(in.Path, err)
			if opts.Strict {
				return err
			}
		}
		return nil
	})
	close(r.jobs)
	wg.Wait()
	r.bar.Finish()
	sum.Elapsed = time.Since(start)
	sort.Slice(sum.Bad, func(i, j int) bool { return sum.Bad[i].Path < sum.Bad[j].Path })
	switch {
	case failed != nil && !errors.Is(failed, ctx.Err()): // ctx.Err(): interrupted, said below
		return sum, failed
	case ctx.Err() != nil:
		return sum, fmt.Errorf("ingest: interrupted after %d of %d files: %w", sum.FilesDone, len(todo), ctx.Err())
	case sum.Files > 0 && sum.FilesDone+sum.FilesSkipped == 0:
		return sum, fmt.Errorf("ingest: nothing ingested: all %d input files are bad (listed in the summary)", sum.Files)
	}
	if err := markDone(opts.Out, sum, stamp(all, settings), len(todo) > 0); err != nil {
		return sum, err
	}
	return sum, nil
}

// check rejects options that mean nothing.
func (o Options) check() error {
	switch {
	case o.Out == "":
		return errors.New("ingest: no output directory")
	case o.Workers < 0:
		return fmt.Errorf("ingest: %d workers: want 0 (all cores) or more", o.Workers)
	case o.Of < 0:
		return fmt.Errorf("ingest: %d shards: want 0 (one) or more", o.Of)
	case o.Chunk < 0:
		return fmt.Errorf("ingest: chunk of %d events: want 0 (the default) or more", o.Chunk)
	}
	return nil
}

// cleanStale removes temporary outputs that a killed run left for the inputs about to run.
func cleanStale(out string, todo []Input) error {
	for _, in := range todo {
		p := OutputPath(out, in)
		matches, _ := filepath.Glob(filepath.Join(filepath.Dir(p), "."+filepath.Base(p)+".tmp*"))
		matches2, _ := filepath.Glob(p + ".tmp*")
		for _, m := range append(matches, matches2...) {
			if err := os.Remove(m); err != nil {
				return fmt.Errorf("ingest: remove stale %s: %w", m, err)
			}
		}
	}
	return nil
}

// onceLogger drops repeated identical messages (e.g. "MuonTight missing, using Muon" per file).
func onceLogger(logf func(string, ...any)) func(string, ...any) {
	var mu sync.Mutex
	seen := map[string]bool{}
	return func(format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		mu.Lock()
		dup := seen[msg]
		seen[msg] = true
		mu.Unlock()
		if !dup {
			logf("%s", msg)
		}
	}
}
