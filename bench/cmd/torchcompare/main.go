// Command torchcompare compares our classifiers with PyTorch twins on this CPU.
//
//	torchcompare speed [--seq-lens 50,200,801] [--min-time 5s]
//	torchcompare auc --prep DIR --model hlf [--epochs 5] [--max-particles 50] [--bucket-by-length]
//
// Build it with GOEXPERIMENT=simd (the Go backend's AVX-512/AVX2 kernels); speed times every
// backend of --backends that loads here (ONNX Runtime: set ONNXRUNTIME_SHARED_LIBRARY_PATH,
// see scripts/install-ort.sh). PyTorch comes from /usr/bin/python3 (scripts/install-bench.sh
// installs Debian's python3-torch).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/godltrigger/godltrigger/bench"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/train"
)

func main() { bench.Main("torchcompare", run) }

const usage = `usage: torchcompare speed|auc [flags]

speed: times training of the HLF classifier and of the particle GRU (batch 128, Adam), or of
       the classifiers --models names (the LSTM variants particle-lstm, inclusive-lstm too), on each
       GoMLX backend of --backends that loads here and of their PyTorch twins (2 and 1
       threads), case by case in one run, and prints rows/s, the ratios ours / fastest PyTorch
       and the first step (compilation) of each backend, with the load average. --models
       also takes inclusive and the Transformer variants inclusive-transformer and
       inclusive-transformer-masked (their twins: bench/torch_twin.py).
auc:   trains our classifier and its twin on the same prepared dataset with the same options,
       predicts the test set with both and prints the one-vs-rest AUC per class and the
       differences. On data prepared with 'dltrigger prepare --mask-padding' the twin packs
       the padding (leading all-zero rows) away, as our GRU masks it; --bucket-by-length
       trains ours with length bucketing (such data only). --ours DIR compares a model
       already trained on the same data (e.g. by 'dltrigger demo --mask-padding') with a twin
       trained with its options (epochs, early stopping, learning rate on plateau).

Examples:
  GOEXPERIMENT=simd go run ./bench/cmd/torchcompare speed
  GOEXPERIMENT=simd go run ./bench/cmd/torchcompare auc --prep prepared --model hlf --epochs 5
  GOEXPERIMENT=simd go run ./bench/cmd/torchcompare speed --models inclusive,inclusive-lstm,inclusive-transformer,inclusive-transformer-masked --seq-lens 50
  GOEXPERIMENT=simd go run ./bench/cmd/torchcompare auc --prep prepared --model inclusive-lstm --epochs 5
  GOEXPERIMENT=simd go run ./bench/cmd/torchcompare auc --prep prepared --model inclusive-transformer-masked --max-particles 50
`

func run(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(os.Stderr, usage)
		return flag.ErrHelp
	}
	switch args[0] {
	case "speed":
		return runSpeed(ctx, args[1:])
	case "auc":
		return runAUC(ctx, args[1:])
	}
	fmt.Fprint(os.Stderr, usage)
	return fmt.Errorf("unknown mode %q", args[0])
}

func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage, "\nflags of ", name, ":\n")
		fs.PrintDefaults()
	}
	return fs
}

func runSpeed(ctx context.Context, args []string) error {
	fs := newFlags("speed")
	python := fs.String("python", bench.DefaultPython, "Python `interpreter` with torch")
	modelsFlag := fs.String("models", "hlf,particle", "classifiers to time (`LIST` of hlf, particle, inclusive, particle-lstm, inclusive-lstm, inclusive-transformer, inclusive-transformer-masked)")
	seqLens := fs.String("seq-lens", "50,200,801", "sequence lengths of the sequence classifiers' cases (`LIST`)")
	normal, long, longSeq := bench.DefaultWindows()
	minTime := fs.Duration("min-time", normal.MinTime, "timed `duration` per case at least")
	minSteps := fs.Int("min-steps", normal.MinSteps, "timed steps per case at least")
	longSteps := fs.Int("long-steps", long.MaxSteps, "timed steps of the cases of at least --long-seq particles")
	fs.IntVar(&longSeq, "long-seq", longSeq, "sequence length from which --long-steps applies")
	threads := fs.String("threads", "2,1", "PyTorch thread counts (`LIST`); ratios are taken against the fastest")
	gruImpl := fs.String("gru-impl", "fused", "PyTorch GRU/LSTM masking: fused (no masking, same arithmetic), packed or loop")
	backends := fs.String("backends", "onnx,go", "GoMLX backend configurations to time (`LIST`, separated by commas, or by semicolons when a configuration has commas: \"go;go:parallelism=0,ops_sequential\"); those that do not load here are skipped, saying why")
	if err := fs.Parse(args); err != nil {
		return err
	}
	tw, err := openTorch(ctx, *python)
	if err != nil {
		return err
	}
	defer tw.Close()
	o := bench.SpeedOptions{Torch: tw, GRUImpl: *gruImpl, Log: os.Stderr, LongSeq: longSeq,
		Window:     bench.Window{MinTime: *minTime, MinSteps: *minSteps, Warmup: normal.Warmup},
		LongWindow: bench.Window{MinSteps: *longSteps, MaxSteps: *longSteps, Warmup: long.Warmup}}
	for _, m := range strings.Split(*modelsFlag, ",") {
		o.Models = append(o.Models, models.Kind(strings.TrimSpace(m)))
	}
	if o.Threads, err = bench.ParseInts(*threads); err != nil {
		return err
	}
	if o.SeqLens, err = bench.ParseInts(*seqLens); err != nil {
		return err
	}
	sep := ","
	if strings.Contains(*backends, ";") {
		sep = ";"
	}
	for _, config := range strings.Split(*backends, sep) {
		b, err := modeldir.BackendFromConfig(strings.TrimSpace(config))
		if err != nil {
			fmt.Fprintf(os.Stderr, "torchcompare: backend %q skipped: %v\n", config, err)
			continue
		}
		o.Backends = append(o.Backends, b)
	}
	if len(o.Backends) == 0 {
		return fmt.Errorf("none of the backends %q loads here", *backends)
	}
	rep, err := bench.CompareSpeed(ctx, o)
	if err != nil {
		return err
	}
	fmt.Printf("load average after the run: %v\n", bench.LoadAverage())
	return rep.WriteTable(os.Stdout)
}

func runAUC(ctx context.Context, args []string) error {
	fs := newFlags("auc")
	python := fs.String("python", bench.DefaultPython, "Python `interpreter` with torch")
	prep := fs.String("prep", "", "prepared dataset `DIR` (output of 'dltrigger prepare'; required)")
	kind := fs.String("model", "hlf", "classifier `KIND`: hlf, particle, inclusive, particle-lstm, inclusive-lstm, inclusive-transformer or inclusive-transformer-masked")
	def := modeldir.DefaultOptions()
	epochs := fs.Int("epochs", def.Epochs, "training epochs")
	seed := fs.Int64("seed", def.Seed, "seed of the weights and the data order")
	maxParticles := fs.Int("max-particles", 50, "particle rows kept per event")
	maxRows := fs.Int("max-rows", 0, "use at most this many training rows (0: all)")
	threads := fs.Int("threads", 2, "PyTorch threads")
	bucket := fs.Bool("bucket-by-length", false, "train ours with length bucketing (data prepared with --mask-padding)")
	work := fs.String("work", "", "work `DIR` for the exported data and our model (default: a temporary one, removed)")
	patience := fs.Int("patience", 0, "both: stop after `N` epochs without a lower test loss, serving the best epoch (0: train every epoch)")
	lrPatience := fs.Int("lr-plateau-patience", 0, "both: divide the learning rate by 10 after `N` epochs without a lower test loss")
	ours := fs.String("ours", "", "model `DIR` already trained on --prep's training set (e.g. by 'dltrigger demo'): "+
		"not trained again; the twin trains with its model.json's options")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *prep == "" {
		fs.Usage()
		return fmt.Errorf("--prep is required")
	}
	var info *modeldir.Info
	if *ours != "" {
		var err error
		if info, err = modeldir.ReadInfo(*ours); err != nil {
			return err
		}
		var restated []string
		fs.Visit(func(f *flag.Flag) {
			switch f.Name {
			case "model", "epochs", "seed", "max-particles", "bucket-by-length", "patience", "lr-plateau-patience", "max-rows":
				restated = append(restated, "--"+f.Name)
			}
		})
		if len(restated) > 0 {
			return fmt.Errorf("--ours %s: %s come from its model.json; leave them out", *ours, strings.Join(restated, ", "))
		}
		*kind, *maxParticles = string(info.Model.Kind), info.Options.MaxParticles
		if *maxParticles <= 0 {
			*maxParticles = models.MaxParticles
		}
	}
	tw, err := openTorch(ctx, *python)
	if err != nil {
		return err
	}
	defer tw.Close()
	k := models.Kind(*kind)
	if err := models.DefaultConfig(k).Validate(); err != nil {
		return err
	}
	trainDir, _ := bench.PreparedPaths(*prep, k)
	if *bucket {
		if err := train.CheckBucketable(trainDir, k); err != nil {
			return err
		}
	}
	trainData, testData, err := bench.LoadPrepared(ctx, *prep, k, *maxParticles)
	if err != nil {
		return err
	}
	if *maxRows > 0 {
		trainData = bench.Head(trainData, *maxRows)
	}
	dir, done, err := bench.WorkDir(*work, "torchcompare-")
	if err != nil {
		return err
	}
	defer done()
	opts := def
	opts.Epochs, opts.Seed, opts.BucketByLength = *epochs, *seed, *bucket
	opts.EarlyStoppingPatience, opts.RestoreBest, opts.LRPlateauPatience = *patience, *patience > 0, *lrPatience
	if models.DefaultConfig(k).UsesSequence() {
		opts.MaxParticles = *maxParticles
	}
	if info != nil {
		opts = info.Options
	}
	start := time.Now()
	rep, err := bench.CompareAUC(ctx, bench.AUCJob{Torch: tw, Model: k, Options: opts, Train: trainData,
		Test: testData, WorkDir: dir, OursDir: *ours, Threads: *threads, Log: os.Stderr})
	if err != nil {
		return err
	}
	fmt.Printf("prepared data: %s (%.0f s in all)\n", *prep, time.Since(start).Seconds())
	return rep.WriteTable(os.Stdout)
}

func openTorch(ctx context.Context, python string) (*bench.Torch, error) {
	tw, err := bench.NewTorch(python)
	if err != nil {
		return nil, err
	}
	version, err := tw.Check(ctx)
	if err != nil {
		tw.Close()
		return nil, err
	}
	fmt.Fprintf(os.Stderr, "torchcompare: %s (%s)\n", version, python)
	return tw, nil
}
