package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"time"

	"github.com/godltrigger/godltrigger/pkg/cluster"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/progress"
	"github.com/godltrigger/godltrigger/pkg/train"
)

func init() {
	register(&command{Name: "train", Summary: "step 4: train a classifier on the prepared datasets", Run: runTrain})
}

func runTrain(ctx context.Context, args []string) error {
	if treeKind(args) != "" {
		return runTrainTrees(ctx, args)
	}
	fs := newFlags("train", "train --model KIND --train DIR --test DIR --out MODEL_DIR [flags]", `
Trains one of the three classifiers of the study (hlf: dense network on the 14 high-level
features; particle: GRU on the particle sequence; inclusive: both), or one of the
original's LSTM variants (particle-lstm, inclusive-lstm: an LSTM of 50 units in place of
the GRU, all else the same), on a prepared dataset
(tree ensembles on the high-level features: see 'dltrigger train --model xgboost -h')
and validates it on the test set after every epoch: Adam with Keras's defaults, categorical
cross-entropy, batch 128. Datasets that fit in --memory are loaded; larger ones are
streamed with a shuffle buffer. MODEL_DIR receives model.json (architecture, options and
the scaler from the prepared directory), history.json and a checkpoint per epoch; a killed
run continues with --resume and ends exactly as an uninterrupted one.

The inclusive classifier also has two Transformer variants. inclusive-transformer is the
original's (8-head self-attention over all rows, no mask, no positional encoding,
LayerNorm, Dense(20) per row, Flatten, Dense(10): 173,378 parameters at 801 particles; the
Flatten sizes one layer by the particles read, so --max-particles K gives a model that reads
exactly K rows, with K x 200 + 13,178 parameters). inclusive-transformer-masked is ours:
all-zero padding rows masked out of the attention and a mean over the real particles
instead of the Flatten (13,378 parameters for any length; with the default preparation no
row is all zero and the masking changes nothing). Their sizes are options of
--options FILE ("attention_heads", "attention_key_dim", "time_distributed_units",
"particle_dense_units", "inclusive_hidden", "dropout"; "pair_bias": true adds a learned ΔR
bias to the masked variant's attention). The attention costs particles² per head: use
--max-particles on a CPU.

--max-particles K reads K particle rows of each event's 801 (all when the event has no
more): the K nearest the lepton. The preparation step sorts the rows by ΔR to the lepton,
decreasing, so these are the last K rows, the lepton last; --truncate first keeps the first
K instead (the farthest: forward pileup, without the lepton), as model directories trained
before the choice was recorded in model.json ("truncate") read. Predict, evaluate, serve
and export read the rows the model directory records.

--bucket-by-length groups the training rows by their real number of particles into batches
trimmed of their padding rows, so that a step costs what the real particles cost, not 801
rows (the GRU skips all-zero rows, so the trimmed batches train the same model). Batch
lengths are a few fixed ones (32, 48, 64, 96, ..., 512, 728, then the sequence length,
capped at --max-particles), one compiled graph each; the order stays a function of --seed,
so --resume is exact. It needs datasets prepared with 'dltrigger prepare --mask-padding'
(padding rows exactly 0), one process (not --distributed), and a model that masks padding
(every sequence classifier but inclusive-transformer, whose Flatten reads fixed rows).
Recorded in model.json.

Training controls, as Keras's callbacks, watch the validation loss after every epoch (an
epoch improves when its val_loss is lower than every earlier one); the best epoch's
checkpoint is always kept (MODEL_DIR/checkpoint/best) besides the last:
  --early-stopping-patience N  stop after N epochs in a row without improvement
  --restore-best               evaluate, predict, serve and export use the best epoch's
                               weights instead of the last epoch's
  --lr-plateau-patience N      multiply the learning rate by --lr-plateau-factor after N
                               epochs without improvement (and N more after each
                               reduction), not below --min-lr
They are recorded in model.json, their state (best epoch, learning rate per epoch, epochs
waited, the epoch that stopped the run) in history.json and the checkpoint: --resume
decides exactly as the uninterrupted run would. A run that early stopping ended is
complete; --resume --epochs does not train it further.

--options FILE reads a JSON configuration {"model": {...}, "options": {...}} (as the
tuning step writes it); flags given explicitly override its values.

--distributed mpi trains synchronously data-parallel over MPI, one process per rank started
by mpirun: each rank reads its share of the training files and computes the gradients of
its batch; the ranks average them every step (global batch = --batch-size x ranks). Rank 0
validates, checkpoints and prints. It needs a binary built with -tags mpi (Open MPI:
scripts/install-mpi.sh); set GOMLX_BACKEND=go:parallelism=0,ops_sequential when ranks
share the cores (the default when a rank has fewer than 2 cores).

Example:
  dltrigger train --model hlf --train prepared/trainUndersampled_HLF_features.parquet \
      --test prepared/testUndersampled_HLF_features.parquet --out models/hlf --epochs 5
  GOEXPERIMENT=simd go build -tags mpi -o dltrigger-mpi ./cmd/dltrigger
  mpirun -np 2 ./dltrigger-mpi train --distributed mpi --model hlf --train ... --test ... --out models/hlf`)
	kind := fs.String("model", "", "classifier `KIND`: hlf, particle, inclusive, particle-lstm, inclusive-lstm, inclusive-transformer or inclusive-transformer-masked")
	trainDir := fs.String("train", "", "training dataset `DIR` (required)")
	testDir := fs.String("test", "", "validation dataset `DIR` (required)")
	out := fs.String("out", "", "model `DIR` (required)")
	def := modeldir.DefaultOptions()
	epochs := fs.Int("epochs", def.Epochs, "epochs (with --resume: the total to reach)")
	batch := fs.Int("batch-size", def.BatchSize, "rows per batch")
	lr := fs.Float64("lr", def.LearningRate, "Adam learning rate")
	seed := fs.Int64("seed", def.Seed, "seed of the initial weights, dropout and data order")
	maxParticles := fs.Int("max-particles", models.MaxParticles, fmt.Sprintf("particle rows kept per event: the `K` nearest the lepton (0: all %d)", models.MaxParticles))
	truncate := fs.String("truncate", string(def.Truncate), fmt.Sprintf("which --max-particles rows: `%s` (nearest the lepton) or %s (farthest)", models.TruncateLast, models.TruncateFirst))
	bucket := fs.Bool("bucket-by-length", def.BucketByLength, "batches of rows of similar real length, trimmed of padding (data prepared with --mask-padding)")
	patience := fs.Int("early-stopping-patience", def.EarlyStoppingPatience, "stop after `N` epochs without a lower val_loss (0: off)")
	restoreBest := fs.Bool("restore-best", def.RestoreBest, "serve the weights of the epoch with the lowest val_loss, not the last")
	plateau := fs.Int("lr-plateau-patience", def.LRPlateauPatience, "reduce the learning rate after `N` epochs without a lower val_loss (0: off)")
	factor := fs.Float64("lr-plateau-factor", def.LRPlateauFactor, "multiply the learning rate by this `factor` on a plateau, in (0, 1)")
	minLR := fs.Float64("min-lr", def.MinLR, "the learning rate is not reduced below this `rate`")
	resume := fs.Bool("resume", false, "continue the run in --out from its last checkpoint, with the settings it recorded: settings given again must equal them (--epochs sets the epochs to reach)")
	optionsFile := fs.String("options", "", "training options `FILE` (JSON)")
	shuffle := fs.Int("shuffle-buffer", 0, "`rows` of the shuffle buffer when streaming (0: default)")
	memMiB := fs.Int64("memory", train.DefaultMemoryLimitBytes>>20, "load datasets up to this many `MiB` into memory, stream larger ones (<0: always stream)")
	quiet := fs.Bool("quiet", false, "no progress bars")
	dist := fs.String("distributed", cluster.None, "data-parallel `mode`: none, or mpi (under mpirun; binary built with -tags mpi)")
	if _, err := parseArgs(fs, args, "", 0, 0); err != nil {
		return err
	}
	if err := requireFlags(fs, "train", "test", "out"); err != nil {
		return err
	}
	switch {
	case *epochs < 1:
		return usageErrorf(fs, "--epochs %d: want at least 1", *epochs)
	case *batch < 1:
		return usageErrorf(fs, "--batch-size %d: want at least 1 row", *batch)
	case !(*lr > 0) || math.IsInf(*lr, 1):
		return usageErrorf(fs, "--lr %v: want a finite number > 0", *lr)
	case *shuffle < 0:
		return usageErrorf(fs, "--shuffle-buffer %d: want 0 (the default size) or more rows", *shuffle)
	}
	if *maxParticles < 0 || *maxParticles > models.MaxParticles {
		return usageErrorf(fs, "--max-particles %d: want 0 (all) to %d, the particle rows of an event", *maxParticles, models.MaxParticles)
	}
	if t := models.Truncation(*truncate); t == "" || t.Validate() != nil {
		return usageErrorf(fs, "--truncate %q: want %s or %s", *truncate, models.TruncateLast, models.TruncateFirst)
	}
	if !*resume && *optionsFile == "" && *kind == "" {
		return usageErrorf(fs, "--model (or --options) is required")
	}
	if err := onlyChecking(ctx); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	comm, err := cluster.New(*dist)
	if err != nil {
		return err
	}
	defer comm.Close()

	job := train.DatasetJob{Dir: *out, TrainDir: *trainDir, TestDir: *testDir, Resume: *resume,
		ShuffleBuffer: *shuffle, MemoryLimitBytes: *memMiB << 20, Log: os.Stdout, Comm: comm}
	if !*quiet && comm.Rank() == 0 {
		job.Progress = progress.NewTerminal(os.Stderr)
	}
	var cfg *modeldir.OptionsFile
	switch {
	case *optionsFile != "":
		if cfg, err = modeldir.ReadOptionsFile(*optionsFile, models.Kind(*kind)); err != nil {
			return err
		}
	case *resume && *kind == "":
		cfg = &modeldir.OptionsFile{Options: modeldir.DefaultOptions()}
	default:
		cfg = modeldir.DefaultOptionsFile(models.Kind(*kind))
	}
	o := &cfg.Options
	optionFlags := map[string]struct {
		member string // in model.json's "training"
		apply  func()
	}{
		"epochs": {"epochs", func() { o.Epochs = *epochs }}, "batch-size": {"batch_size", func() { o.BatchSize = *batch }},
		"lr": {"learning_rate", func() { o.LearningRate = *lr }}, "seed": {"seed", func() { o.Seed = *seed }},
		"max-particles":           {"max_particles", func() { o.MaxParticles = *maxParticles }},
		"truncate":                {"truncate", func() { o.Truncate = models.Truncation(*truncate) }},
		"bucket-by-length":        {"bucket_by_length", func() { o.BucketByLength = *bucket }},
		"early-stopping-patience": {"early_stopping_patience", func() { o.EarlyStoppingPatience = *patience }},
		"restore-best":            {"restore_best", func() { o.RestoreBest = *restoreBest }},
		"lr-plateau-patience":     {"lr_plateau_patience", func() { o.LRPlateauPatience = *plateau }},
		"lr-plateau-factor":       {"lr_plateau_factor", func() { o.LRPlateauFactor = *factor }},
		"min-lr":                  {"min_lr", func() { o.MinLR = *minLR }},
	}
	for name, f := range optionFlags {
		if set[name] || (!*resume && *optionsFile == "" && name == "max-particles") {
			f.apply()
		}
	}
	if *resume {
		// The run continues with its recorded settings: those given again must equal them.
		r := &train.Restated{Kind: models.Kind(*kind), Options: *o, Given: map[string]string{}}
		if *optionsFile != "" {
			r.Model, r.ModelFrom = &cfg.Model, "--options "+*optionsFile
			r.GiveAll(r.ModelFrom)
		}
		for name, f := range optionFlags {
			if set[name] {
				r.Given[f.member] = "--" + name
			}
		}
		job.Restated = r
		if set["epochs"] || *optionsFile != "" {
			job.Options.Epochs = o.Epochs
		}
	} else {
		if !cfg.Model.UsesSequence() {
			o.MaxParticles = 0
		}
		if err := cfg.Validate(); err != nil {
			return err
		}
		job.Model, job.Options = cfg.Model, cfg.Options
	}
	start := time.Now()
	hist, err := train.TrainDatasets(ctx, job)
	if err != nil {
		return err
	}
	if comm.Rank() == 0 {
		printTrainSummary(os.Stdout, hist, *out, time.Since(start))
	}
	return nil
}

func printTrainSummary(w io.Writer, h *modeldir.History, dir string, elapsed time.Duration) {
	n := h.Epochs()
	if n == 0 {
		fmt.Fprintf(w, "nothing trained (%s)\n", dir)
		return
	}
	fmt.Fprintf(w, "trained %d epochs in %.1fs: loss %.4f accuracy %.4f val_loss %.4f val_accuracy %.4f; model in %s\n",
		n, elapsed.Seconds(), h.Loss[n-1], h.Accuracy[n-1], h.ValLoss[n-1], h.ValAccuracy[n-1], dir)
}
