package tune

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/train"
)

// counter wraps TrainFold and counts the trainings of each key.
type counter struct {
	mu    sync.Mutex
	calls map[string]int
}

func (c *counter) trainer(setup Setup) Trainer {
	return func(ctx context.Context, job FoldJob) (FoldScore, error) {
		c.mu.Lock()
		if c.calls == nil {
			c.calls = map[string]int{}
		}
		c.calls[Key(job.Point, setup)]++
		c.mu.Unlock()
		return TrainFold(ctx, job)
	}
}

func TestRunInterruptResume(t *testing.T) {
	data, out, setup := blobs(30, 1), t.TempDir(), tinySetup()
	points := smallGrid().Points()

	// First run: cancelled as soon as 3 points are logged.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	first := &counter{}
	var logged []string
	sum, err := Run(ctx, Config{Data: data, Points: points, Setup: setup, Out: out, Workers: 2,
		Trainer: first.trainer(setup),
		OnResult: func(r Result) {
			logged = append(logged, r.Key)
			if len(logged) == 3 {
				cancel()
			}
		}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run returned %v, want context.Canceled", err)
	}
	if sum.Done < 3 || sum.Done == len(points) || len(sum.Ranked) != sum.Done {
		t.Fatalf("interrupted run: %d done, %d in the table; want 3 or 4 (both workers may finish), fewer than %d",
			sum.Done, len(sum.Ranked), len(points))
	}
	onDisk, err := ReadResults(filepath.Join(out, ResultsFile))
	mustRun(t, err)
	if len(onDisk) != sum.Done {
		t.Fatalf("%d results on disk, %d reported done", len(onDisk), sum.Done)
	}
	if _, err := os.Stat(filepath.Join(out, scratchDir)); !os.IsNotExist(err) {
		t.Errorf("scratch directory left behind: %v", err)
	}

	// Second run: only the missing points train, each fold once.
	second := &counter{}
	sum2, err := Run(context.Background(), Config{Data: data, Points: points, Setup: setup, Out: out, Workers: 2,
		Trainer: second.trainer(setup)})
	mustRun(t, err)
	if sum2.Skipped != len(onDisk) || sum2.Done != len(points)-len(onDisk) || len(sum2.Ranked) != len(points) {
		t.Fatalf("resumed run: skipped %d done %d table %d; want %d, %d, %d",
			sum2.Skipped, sum2.Done, len(sum2.Ranked), len(onDisk), len(points)-len(onDisk), len(points))
	}
	for _, r := range onDisk {
		if n := second.calls[r.Key]; n != 0 {
			t.Errorf("finished point %s trained %d more times", r.Key, n)
		}
	}
	total := 0
	for key, n := range second.calls {
		if n != setup.Folds {
			t.Errorf("point %s trained %d folds, want %d", key, n, setup.Folds)
		}
		total += n
	}
	if total != (len(points)-len(onDisk))*setup.Folds {
		t.Errorf("resumed run trained %d folds, want %d", total, (len(points)-len(onDisk))*setup.Folds)
	}

	// Third run: nothing left.
	third := &counter{}
	sum3, err := Run(context.Background(), Config{Data: data, Points: points, Setup: setup, Out: out, Trainer: third.trainer(setup)})
	mustRun(t, err)
	if len(third.calls) != 0 || sum3.Skipped != len(points) {
		t.Errorf("complete run retrained %v (skipped %d)", third.calls, sum3.Skipped)
	}
	for _, name := range []string{TableCSVFile, TableMarkdownFile, BestOptionsFile} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("output %s: %v", name, err)
		}
	}
	csv, err := os.ReadFile(filepath.Join(out, TableCSVFile))
	mustRun(t, err)
	if lines := strings.Count(string(csv), "\n"); lines != len(points)+1 {
		t.Errorf("CSV has %d lines, want a header and %d points", lines, len(points))
	}
}

func TestShardsMergeEqualSingleRun(t *testing.T) {
	data, setup := blobs(30, 2), tinySetup()
	points := smallGrid().Points()
	single := t.TempDir()
	sum, err := Run(context.Background(), Config{Data: data, Points: points, Setup: setup, Out: single, Workers: 2})
	mustRun(t, err)
	var dirs []string
	for i := 0; i < 2; i++ {
		dir := t.TempDir()
		s, err := Run(context.Background(), Config{Data: data, Points: points, Setup: setup, Out: dir, Workers: 1, Shard: i, Of: 2,
			Backends: ConfigBackends(SingleThreadedConfig)})
		mustRun(t, err)
		if s.Points != len(points)/2 || s.Done != s.Points {
			t.Fatalf("shard %d scored %d of %d points, want %d", i, s.Done, s.Points, len(points)/2)
		}
		dirs = append(dirs, dir)
	}
	merged := filepath.Join(t.TempDir(), "merged")
	m, err := Merge(merged, dirs)
	mustRun(t, err)
	if m.Duplicates != 0 || len(m.Ranked) != len(sum.Ranked) {
		t.Fatalf("merged %d results (%d duplicates), single run %d", len(m.Ranked), m.Duplicates, len(sum.Ranked))
	}
	want := map[string]Result{}
	for _, r := range sum.Ranked {
		want[r.Key] = r
	}
	for _, r := range m.Ranked {
		w, ok := want[r.Key]
		if !ok {
			t.Errorf("merged key %s not in the single run", r.Key)
			continue
		}
		for f := range w.AUC {
			if r.AUC[f] != w.AUC[f] || r.Accuracy[f] != w.Accuracy[f] {
				t.Errorf("%s fold %d: AUC %v accuracy %v, single run %v %v", r.Key, f, r.AUC[f], r.Accuracy[f], w.AUC[f], w.Accuracy[f])
			}
		}
	}
	// Merging the merge with a shard again only finds duplicates.
	again, err := Merge(merged, []string{merged, dirs[0]})
	mustRun(t, err)
	if again.Duplicates != len(points)/2 || len(again.Ranked) != len(points) {
		t.Errorf("re-merge: %d duplicates, %d results", again.Duplicates, len(again.Ranked))
	}
}

func TestBestOptionsTrain(t *testing.T) {
	data, out, setup := blobs(30, 3), t.TempDir(), tinySetup()
	grid := Grid{BatchSize: []int{16}, Epochs: []int{1, 2}, NH1: []int{8}, NH2: []int{6}, NH3: []int{4, 5}}
	sum, err := Run(context.Background(), Config{Data: data, Points: grid.Points(), Setup: setup, Out: out, Workers: 2})
	mustRun(t, err)
	opts, err := modeldir.ReadOptionsFile(filepath.Join(out, BestOptionsFile), models.KindHLF)
	mustRun(t, err)
	best := sum.Ranked[0].Point
	if opts.Options.BatchSize != best.BatchSize || opts.Options.Epochs != best.Epochs || opts.Options.Seed != setup.Seed ||
		len(opts.Model.HLFHidden) != 3 || opts.Model.HLFHidden[2] != best.Hidden[2] {
		t.Fatalf("options file %+v does not describe the best point %v", opts, best)
	}
	src, err := train.NewMemorySource(data)
	mustRun(t, err)
	backend, err := DefaultBackends()()
	mustRun(t, err)
	hist, err := train.Train(context.Background(), train.Job{Dir: filepath.Join(t.TempDir(), "model"),
		Model: opts.Model, Options: opts.Options, Train: src, Validation: src, Backend: backend})
	mustRun(t, err)
	if hist.Epochs() != best.Epochs {
		t.Errorf("trained %d epochs, want %d", hist.Epochs(), best.Epochs)
	}
}

func TestRunErrors(t *testing.T) {
	data := blobs(30, 1)
	fails := func(context.Context, FoldJob) (FoldScore, error) { return FoldScore{}, errors.New("boom") }
	for _, tc := range []struct {
		name string
		cfg  Config
		err  string
	}{
		{"one fold", Config{Data: data, Setup: Setup{Folds: 1, Fraction: 1}}, "at least 2 folds"},
		{"fraction", Config{Data: data, Setup: Setup{Folds: 3, Fraction: 0}}, "fraction"},
		{"shard", Config{Data: data, Setup: tinySetup(), Shard: 2, Of: 2}, "shard 2"},
		{"tiny sample", Config{Data: data, Setup: Setup{Folds: 5, Fraction: 0.05, Seed: 1}}, "too few"},
		{"bad point", Config{Data: data, Setup: tinySetup(), Points: []Point{{BatchSize: 0, Epochs: 1, Hidden: [3]int{1, 1, 1}}}}, "batch size"},
		{"trainer", Config{Data: data, Setup: tinySetup(), Points: smallGrid().Points(), Trainer: fails}, "boom"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.Out = t.TempDir()
			_, err := Run(context.Background(), tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.HasPrefix(err.Error(), "tune: ") {
				t.Fatalf("error %v, want a tune: error containing %q", err, tc.err)
			}
		})
	}
}
