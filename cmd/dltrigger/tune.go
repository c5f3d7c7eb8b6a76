package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/godltrigger/godltrigger/pkg/progress"
	"github.com/godltrigger/godltrigger/pkg/spec"
	"github.com/godltrigger/godltrigger/pkg/tune"
	"github.com/godltrigger/godltrigger/pkg/xgboost"
)

func init() {
	register(&command{Name: "tune", Summary: "step 3: grid or random search of the HLF classifier (or trees), k-fold CV", Run: runTune})
	register(&command{Name: "tune merge", Summary: "join the results of tuning shards into one table", Run: runTuneMerge})
}

func runTune(ctx context.Context, args []string) error {
	return tuneMain(ctx, args, os.Stdout, os.Stderr)
}

func runTuneMerge(ctx context.Context, args []string) error {
	return tuneMergeMain(ctx, args, os.Stdout, os.Stderr)
}

// tuneMain is 'dltrigger tune' writing its table to stdout, its usage and progress to stderr.
func tuneMain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("tune", "tune --train DIR --out DIR [--grid FILE|default] [flags]", `
Searches the hyperparameters of the HLF classifier: batch size, epochs and the sizes of
its three hidden layers. Each point is scored by k-fold cross-validation on a stratified
sample of the training set: the mean ROC AUC of the ttbar selector over the held-out
folds (accuracy alongside). The default grid is the original's 243 points (batch 64, 100,
200; epochs 10, 30, 50; nh_1 50, 100, 150; nh_2 20, 50, 100; nh_3 10, 20, 50); a grid
FILE is JSON: {"batch_size": [64], "epochs": [10, 30], "nh_1": [50], "nh_2": [20],
"nh_3": [10, 20]}. --random K scores K points drawn from the grid with --seed.

The tree ensembles (binary built with -tags xgboost) search their depth, eta, rounds and
subsample: --grid xgboost or --grid rf gives a default search around the original's setting,
and a grid FILE naming the ensemble, {"model": "xgboost", "max_depth": [4, 6], "eta": [0.3],
"rounds": [50, 100], "subsample": [0.8, 1]}, a search of one's own. Each fold trains the
rounds given (no early stopping) on one thread; best_options.json then holds the ensemble.

--workers models train at once, one per core by default, each on its own thread. Every
finished point is appended to DIR/results.jsonl at once: rerunning the same command
after a crash or Ctrl-C skips the points already there. The table, best first, is
printed and written to DIR/results.csv and DIR/results.md, and the best point to
DIR/best_options.json for 'dltrigger train --options'. --shard/--of split the points over
machines (defaults from SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX or
OMPI_COMM_WORLD_RANK); join their directories with 'dltrigger tune merge'.

Example:
  dltrigger tune --train prepared --out tuning --grid default --folds 5 --fraction 0.02
  dltrigger train --model hlf --options tuning/best_options.json --train prepared/trainUndersampled_HLF_features.parquet ...`)
	trainDir := fs.String("train", "", "prepared HLF training `DIR` (or the prepare output holding "+spec.TrainHLF+"; required)")
	out := fs.String("out", "", "output `DIR` (required)")
	gridFile := fs.String("grid", "default", "grid `FILE` (JSON), \"default\" (243 points), \"xgboost\" or \"rf\"")
	folds := fs.Int("folds", tune.DefaultSetup().Folds, "cross-validation folds")
	fraction := fs.Float64("fraction", tune.DefaultSetup().Fraction, "share of the training rows sampled for the search")
	seed := fs.Int64("seed", tune.DefaultSetup().Seed, "seed of the sample, the folds, the training and --random")
	random := fs.Int("random", 0, "score `K` random points of the grid instead of all")
	workers := fs.Int("workers", 0, "models trained at once (default: one per core)")
	shard := fs.Int("shard", -1, "this job's shard `i` (0-based; default from the scheduler's environment, else 0)")
	of := fs.Int("of", 0, "number of shards `n` (default from the environment, else 1)")
	top := fs.Int("top", 20, "rows of the table printed (all are written)")
	quiet := fs.Bool("quiet", false, "no progress bar")
	fs.SetOutput(stderr)
	if _, err := parseArgs(fs, args, "", 0, 0); err != nil {
		return err
	}
	if err := requireFlags(fs, "train", "out"); err != nil {
		return err
	}
	switch {
	case *folds < 2:
		return usageErrorf(fs, "--folds %d: want at least 2", *folds)
	case !(*fraction > 0 && *fraction <= 1):
		return usageErrorf(fs, "--fraction %v: want a share of the rows in (0, 1]", *fraction)
	case *random < 0:
		return usageErrorf(fs, "--random %d: want 0 (every point of the grid) or more points", *random)
	case *workers < 0:
		return usageErrorf(fs, "--workers %d: want 0 (one per core) or more", *workers)
	case *top < 0:
		return usageErrorf(fs, "--top %d: want 0 or more rows", *top)
	}
	i, n, err := resolveShard(*shard, *of, os.Getenv)
	if err != nil {
		return err
	}
	if err := onlyChecking(ctx); err != nil {
		return err
	}
	grid, err := tune.ReadSpace(*gridFile)
	if err != nil {
		return err
	}
	if _, ok := grid.(tune.TreeGrid); ok {
		if err := xgboost.Check(); err != nil {
			return err
		}
	}
	points := grid.Points()
	if *random > 0 {
		points = grid.Random(*random, *seed)
	}
	data, dir, err := tune.LoadData(ctx, *trainDir)
	if err != nil {
		return err
	}
	var sink progress.Sink = progress.NewTerminal(stderr)
	if *quiet {
		sink = nil
	}
	setup := tune.Setup{Folds: *folds, Fraction: *fraction, Seed: *seed}
	fmt.Fprintf(stdout, "tune: %d points (shard %d of %d), %d folds of a %g sample of %d rows in %s\n",
		len(tune.ShardPoints(points, i, n)), i, n, setup.Folds, setup.Fraction, len(data.Labels), dir)
	sum, err := tune.Run(ctx, tune.Config{Data: data, Points: points, Setup: setup, Out: *out,
		Workers: *workers, Shard: i, Of: n, Progress: sink})
	if sum != nil {
		fmt.Fprintf(stdout, "tune: %d points scored now, %d already done; workers %d, rows sampled %d, %s\n",
			sum.Done, sum.Skipped, sum.Workers, sum.Rows, sum.Elapsed.Round(1e7))
		printTuneTable(stdout, sum.Ranked, *top, *out)
	}
	return err
}

// tuneMergeMain is 'dltrigger tune merge'.
func tuneMergeMain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("tune merge", "tune merge --out DIR RESULT_DIR...", `
Joins the results of 'dltrigger tune' shards (their output directories or results.jsonl
files) into DIR: results.jsonl, the table (results.csv, results.md) and
best_options.json. A point scored in several inputs keeps its first result.

Example:
  dltrigger tune --train prepared --out tune-0 --shard 0 --of 2
  dltrigger tune --train prepared --out tune-1 --shard 1 --of 2
  dltrigger tune merge --out tuning tune-0 tune-1`)
	out := fs.String("out", "", "output `DIR` (required)")
	top := fs.Int("top", 20, "rows of the table printed (all are written)")
	fs.SetOutput(stderr)
	dirs, err := parseArgs(fs, args, "RESULT_DIR", 1, -1)
	if err != nil {
		return err
	}
	if err := requireFlags(fs, "out"); err != nil {
		return err
	}
	if err := onlyChecking(ctx); err != nil {
		return err
	}
	sum, err := tune.Merge(*out, dirs)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "tune merge: %d inputs, %d points, %d duplicates dropped\n", sum.Inputs, len(sum.Ranked), sum.Duplicates)
	printTuneTable(stdout, sum.Ranked, *top, *out)
	return nil
}

func printTuneTable(w io.Writer, ranked []tune.Result, top int, out string) {
	if len(ranked) == 0 {
		return
	}
	tune.PrintTable(w, ranked, top)
	fmt.Fprintf(w, "table: %s, %s; best options: %s\n", filepath.Join(out, tune.TableCSVFile),
		filepath.Join(out, tune.TableMarkdownFile), filepath.Join(out, tune.BestOptionsFile))
}
