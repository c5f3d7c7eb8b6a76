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

	"github.com/godltrigger/godltrigger/pkg/features"
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
// exists are skipped. A bad input is listed in the summary and skipped, or with Strict ends
// the run with an error naming it.
func Run(ctx context.Context, opts Options) (*Summary, error) {
	start := time.Now()
	if opts.Out == "" {
		return nil, errors.New("ingest: no output directory")
	}
	of := max(opts.Of, 1)
	inputs, err := Plan(opts.Samples, opts.Shard, of)
	if err != nil {
		return nil, err
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	chunk := opts.Chunk
	if chunk <= 0 {
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

	var todo []Input
	for _, in := range inputs {
		if exists(OutputPath(opts.Out, in)) {
			sum.FilesSkipped++
			continue
		}
		todo = append(todo, in)
	}
	if err := cleanStale(opts.Out, todo); err != nil {
		return nil, err
	}

	r := &runner{opts: opts, chunk: chunk, logf: onceLogger(logf), sum: sum}
	r.bar = progress.NewBar(opts.Progress, "ingest", "events", 0)
	r.countEntries(todo)
	r.bar.SetNote("files 0/%d", len(todo))

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
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

	files := make(chan Input)
	var fwg sync.WaitGroup
	var failed error
	var failOnce sync.Once
	for i := 0; i < min(workers, max(len(todo), 1)); i++ {
		fwg.Add(1)
		go func() {
			defer fwg.Done()
			for in := range files {
				if err := r.file(ctx, in); err != nil {
					if ctx.Err() != nil {
						continue
					}
					r.addBad(in.Path, err)
					if opts.Strict {
						failOnce.Do(func() { failed = err; cancel() })
					}
				}
			}
		}()
	}
feed:
	for _, in := range todo {
		select {
		case files <- in:
		case <-ctx.Done():
			break feed
		}
	}
	close(files)
	fwg.Wait()
	close(r.jobs)
	wg.Wait()
	r.bar.Finish()
	sum.Elapsed = time.Since(start)
	sort.Slice(sum.Bad, func(i, j int) bool { return sum.Bad[i].Path < sum.Bad[j].Path })
	switch {
	case failed != nil:
		return sum, failed
	case ctx.Err() != nil:
		return sum, fmt.Errorf("ingest: interrupted after %d of %d files: %w", sum.FilesDone, len(todo), ctx.Err())
	}
	return sum, nil
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
