package tune

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/gomlx/compute"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/progress"
	"github.com/godltrigger/godltrigger/pkg/train"
)

// scratchDir is the directory of an output directory where folds train their models; it is
// emptied when a run starts (a crash leaves model directories there).
const scratchDir = "scratch"

// Config is a search.
type Config struct {
	Data   modeldir.Data // high-level features and labels; Setup.Fraction of the rows are used
	Points []Point       // the points of the whole search (Grid.Points or Grid.Random)
	Setup  Setup
	Out    string // output directory (one process at a time: Run holds its LockFile)
	// Workers is the number of models trained at once; <= 0: one per core.
	Workers int
	// Shard and Of split Points over processes: this one scores points Shard, Shard+Of, ...
	// Of <= 0 means 1.
	Shard, Of int
	// Backends makes each worker's backend; nil: DefaultBackends().
	Backends BackendFunc
	// Trainer trains and scores one fold; nil: TrainFold.
	Trainer Trainer
	// Progress shows a bar over the points; nil shows nothing.
	Progress progress.Sink
	// OnResult, when set, is called after each new result has been logged, from one goroutine
	// at a time.
	OnResult func(Result)
}

// Summary is the outcome of Run.
type Summary struct {
	Points  int           // points of this shard
	Skipped int           // of them already in the results log when the run started
	Done    int           // of them scored by this run
	Workers int           // models trained at once
	Rows    int           // rows of the sample split into folds
	Elapsed time.Duration // wall time of the run
	// Ranked are the results of the log that belong to Config.Points (from this run, from
	// earlier ones and, when shards share the directory, from other shards), best first.
	Ranked []Result
}

// ShardPoints returns the points of shard i of n: i, i+n, i+2n, ...
func ShardPoints(points []Point, i, n int) []Point {
	if n <= 1 {
		return points
	}
	var out []Point
	for k := i; k < len(points); k += n {
		out = append(out, points[k])
	}
	return out
}

// Run scores the points of this shard that the results log of cfg.Out does not hold yet,
// training cfg.Workers models at once, and appends each point's result to the log as soon as
// all its folds are scored. It then writes the final table (WriteOutputs) of all results of
// the log that belong to cfg.Points. Cancelling ctx stops the trainings in progress; the
// points already logged are kept, and a rerun continues with the others.
func Run(ctx context.Context, cfg Config) (*Summary, error) {
	start := time.Now()
	if err := cfg.Setup.Validate(); err != nil {
		return nil, err
	}
	if cfg.Of <= 0 {
		cfg.Of = 1
	}
	if cfg.Shard < 0 || cfg.Shard >= cfg.Of {
		return nil, fmt.Errorf("tune: shard %d is not in [0, %d)", cfg.Shard, cfg.Of)
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.NumCPU()
	}
	if cfg.Backends == nil {
		cfg.Backends = DefaultBackends()
	}
	if cfg.Trainer == nil {
		cfg.Trainer = TrainFold
	}
	for _, p := range cfg.Points {
		if err := p.Model().Validate(); err != nil {
			return nil, fmt.Errorf("tune: point %s: %w", p, err)
		}
		if err := p.Options(cfg.Setup.Seed).Validate(); err != nil {
			return nil, fmt.Errorf("tune: point %s: %w", p, err)
		}
	}
	cv, err := newCrossValidation(cfg.Data, cfg.Setup)
	if err != nil {
		return nil, err
	}
	lock, err := lockOut(cfg.Out)
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	scratch := filepath.Join(cfg.Out, scratchDir)
	if err := os.RemoveAll(scratch); err != nil {
		return nil, fmt.Errorf("tune: clear %s: %w", scratch, err)
	}
	log, logged, err := OpenResultLog(filepath.Join(cfg.Out, ResultsFile))
	if err != nil {
		return nil, err
	}
	defer log.Close()

	done := map[string]bool{}
	for _, r := range logged {
		done[r.Key] = true
	}
	mine := ShardPoints(cfg.Points, cfg.Shard, cfg.Of)
	var todo []Point
	for _, p := range mine {
		if !done[Key(p, cfg.Setup)] {
			todo = append(todo, p)
		}
	}
	sum := &Summary{Points: len(mine), Skipped: len(mine) - len(todo), Workers: min(cfg.Workers, max(1, len(todo)*cfg.Setup.Folds)), Rows: cv.rows}

	var fresh []Result
	if len(todo) > 0 {
		if err := os.MkdirAll(scratch, 0o755); err != nil {
			return nil, fmt.Errorf("tune: create %s: %w", scratch, err)
		}
		s := &search{cfg: cfg, cv: cv, log: log, scratch: scratch, points: todo}
		fresh, err = s.run(ctx, sum.Workers)
		os.RemoveAll(scratch)
	}
	sum.Done = len(fresh)
	ranked, werr := WriteOutputs(cfg.Out, ofPoints(append(logged, fresh...), cfg.Points, cfg.Setup))
	sum.Ranked = ranked
	sum.Elapsed = time.Since(start)
	return sum, errors.Join(err, werr)
}

// ofPoints keeps the results of the given points under setup s (the first of any key).
func ofPoints(results []Result, points []Point, s Setup) []Result {
	want := map[string]bool{}
	for _, p := range points {
		want[Key(p, s)] = true
	}
	var out []Result
	for _, r := range results {
		if want[r.Key] {
			out = append(out, r)
			want[r.Key] = false
		}
	}
	return out
}

// crossValidation holds the sample and its folds, shared read-only by the workers.
type crossValidation struct {
	rows  int
	train []modeldir.Data // per fold: the rows of the other folds
	test  []modeldir.Data // per fold: its rows
}

func newCrossValidation(d modeldir.Data, s Setup) (*crossValidation, error) {
	if _, err := train.NewMemorySource(d); err != nil {
		return nil, fmt.Errorf("tune: %w", err)
	}
	if d.HLF == nil {
		return nil, errors.New("tune: the data has no high-level features")
	}
	sample := subset(d, Sample(d.Labels, s.Fraction, s.Seed))
	if len(sample.Labels) < 2*s.Folds {
		return nil, fmt.Errorf("tune: a %v sample of %d rows has %d rows, too few for %d folds",
			s.Fraction, len(d.Labels), len(sample.Labels), s.Folds)
	}
	folds := Folds(sample.Labels, s.Folds, s.Seed)
	if err := checkFolds(sample.Labels, folds); err != nil {
		return nil, err
	}
	cv := &crossValidation{rows: len(sample.Labels)}
	for _, f := range folds {
		cv.test = append(cv.test, subset(sample, f))
		cv.train = append(cv.train, subset(sample, complement(len(sample.Labels), f)))
	}
	return cv, nil
}

// search runs the fold trainings of a list of points on a pool of workers.
type search struct {
	cfg     Config
	cv      *crossValidation
	log     *ResultLog
	scratch string
	points  []Point

	mu      sync.Mutex
	pending []*pointState // per point, in the order of points
	fresh   []Result
	best    *Result
}

// pointState collects the fold scores of one point.
type pointState struct {
	scores  []FoldScore
	left    int
	seconds float64
}

type foldTask struct{ point, fold int }

func (s *search) run(ctx context.Context, workers int) ([]Result, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	k := s.cfg.Setup.Folds
	for range s.points {
		s.pending = append(s.pending, &pointState{scores: make([]FoldScore, k), left: k})
	}
	backendList := make([]compute.Backend, workers)
	for w := range backendList {
		b, err := s.cfg.Backends()
		if err != nil {
			return nil, err
		}
		backendList[w] = b
	}
	bar := progress.NewBar(s.cfg.Progress, "tune", "points", int64(len(s.points)))
	defer bar.Finish()

	tasks := make(chan foldTask)
	go func() { // folds of one point next to each other: points finish in order
		defer close(tasks)
		for p := range s.points {
			for f := 0; f < k; f++ {
				select {
				case tasks <- foldTask{p, f}:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range tasks {
				if ctx.Err() != nil {
					return
				}
				if err := s.runFold(ctx, backendList[w], t, bar); err != nil {
					cancel(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := context.Cause(ctx); err != nil {
		return s.fresh, err
	}
	return s.fresh, nil
}

// runFold trains and scores one fold in a scratch directory and, when it is the point's last,
// logs the point's result.
func (s *search) runFold(ctx context.Context, backend compute.Backend, t foldTask, bar *progress.Bar) error {
	p := s.points[t.point]
	dir, err := os.MkdirTemp(s.scratch, fmt.Sprintf("%s-fold%d-", Key(p, s.cfg.Setup), t.fold))
	if err != nil {
		return fmt.Errorf("tune: %w", err)
	}
	defer os.RemoveAll(dir)
	start := time.Now()
	score, err := s.cfg.Trainer(ctx, FoldJob{
		Point: p, Fold: t.fold, Seed: s.cfg.Setup.Seed,
		Train: s.cv.train[t.fold], Test: s.cv.test[t.fold],
		Backend: backend, Dir: dir,
	})
	if err != nil {
		if ctx.Err() != nil { // cancelled: not this fold's fault
			return context.Cause(ctx)
		}
		return fmt.Errorf("tune: %s fold %d: %w", p, t.fold+1, err)
	}
	seconds := time.Since(start).Seconds()

	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.pending[t.point]
	st.scores[t.fold] = score
	st.seconds += seconds
	st.left--
	if st.left > 0 {
		return nil
	}
	r := NewResult(p, s.cfg.Setup, st.scores, s.cv.rows, st.seconds)
	if err := s.log.Append(r); err != nil {
		return err
	}
	s.fresh = append(s.fresh, r)
	if s.best == nil || Rank([]Result{*s.best, r})[0].Key == r.Key {
		s.best = &r
	}
	bar.Add(1)
	bar.SetNote("best AUC %.4f: %s", s.best.MeanAUC, s.best.Point)
	if s.cfg.OnResult != nil {
		s.cfg.OnResult(r)
	}
	return nil
}
