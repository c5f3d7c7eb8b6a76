package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/progress"
	"github.com/godltrigger/godltrigger/pkg/trees"
	"github.com/godltrigger/godltrigger/pkg/xgboost"
)

// treeKind is the tree ensemble that the train command line asks for (--model, else the kind
// of an --options file), or "" for a network.
func treeKind(args []string) models.Kind {
	var kind, options string
	for i := 0; i < len(args); i++ {
		name, value, hasValue := strings.Cut(strings.TrimLeft(args[i], "-"), "=")
		if args[i] == "--" || !strings.HasPrefix(args[i], "-") {
			break
		}
		if name != "model" && name != "options" {
			continue
		}
		if !hasValue && i+1 < len(args) {
			i++
			value = args[i]
		}
		if name == "model" {
			kind = value
		} else {
			options = value
		}
	}
	if kind == "" && options != "" {
		if f, err := modeldir.ReadOptionsFile(options, ""); err == nil {
			kind = string(f.Model.Kind)
		}
	}
	if k := models.Kind(kind); k.Tree() {
		return k
	}
	return ""
}

// runTrainTrees is 'dltrigger train --model xgboost|rf'.
func runTrainTrees(ctx context.Context, args []string) error {
	fs := newFlags("train", "train --model xgboost|rf --train DIR --test DIR --out MODEL_DIR [flags]", `
Trains a tree ensemble on the 14 high-level features with XGBoost, as the original's Spark ML
notebooks did: xgboost is gradient-boosted trees (multi:softprob; XGBoost's defaults as
SparkXGBClassifier used them: depth 6, eta 0.3, at most 100 rounds) with early stopping
on the test set's mlogloss (10 rounds without improvement; the rounds up to the best are
kept); rf is Spark MLlib's random forest (100 trees of depth 10) in XGBoost's random-forest
mode: one round of 100 parallel trees, eta 1, rows and features per split subsampled to 0.8.
The datasets are the HLF ones (ours or Spark's layout; labels from encoded_label or label),
loaded into memory. MODEL_DIR receives XGBoost's model (xgboost.json, XGBoost's JSON format),
model.json (the settings and the scaler), history.json (mlogloss and accuracy of every round
on both sets) and data.json; 'dltrigger evaluate', 'predict' and 'serve' use it as any model.

--options FILE reads {"model": {"kind": "xgboost", "trees": {...}}, "options": {"seed": 42}}
(as 'dltrigger tune' writes it); flags given explicitly override its values.

XGBoost's C library is linked only into a binary built with -tags xgboost (the library:
scripts/install-xgboost.sh). On a machine shared with other work, set OMP_WAIT_POLICY=PASSIVE:
XGBoost's OpenMP threads spin-wait otherwise, which can make training ten times slower.

Example:
  go build -tags xgboost -o dltrigger ./cmd/dltrigger
  dltrigger train --model xgboost --train prepared/trainUndersampled_HLF_features.parquet \
      --test prepared/testUndersampled_HLF_features.parquet --out models/xgboost
  dltrigger train --model rf --train ... --test ... --out models/rf --trees 100 --max-depth 10`)
	kind := fs.String("model", "", "tree ensemble `KIND`: xgboost or rf")
	trainDir := fs.String("train", "", "training dataset `DIR` (required)")
	testDir := fs.String("test", "", "test dataset `DIR`, evaluated every round (required)")
	out := fs.String("out", "", "model `DIR` (required)")
	optionsFile := fs.String("options", "", "training options `FILE` (JSON)")
	seed := fs.Int64("seed", modeldir.DefaultOptions().Seed, "XGBoost's seed (row and feature subsampling)")
	threads := fs.Int("threads", 0, "XGBoost threads (0: all cores)")
	quiet := fs.Bool("quiet", false, "no progress bar")
	var tc models.TreeConfig
	fs.IntVar(&tc.MaxDepth, "max-depth", 0, "tree depth (default: 6 for xgboost, 10 for rf)")
	fs.Float64Var(&tc.Eta, "eta", 0, "learning rate (default: 0.3 for xgboost, 1 for rf)")
	fs.IntVar(&tc.Rounds, "rounds", 0, "boosting rounds, at most (default: 100 for xgboost, 1 for rf)")
	fs.IntVar(&tc.NumParallelTree, "trees", 0, "trees per class and round, num_parallel_tree (default: 1 for xgboost, 100 for rf)")
	fs.Float64Var(&tc.Subsample, "subsample", 0, "share of the rows per tree (default: 1 for xgboost, 0.8 for rf)")
	fs.Float64Var(&tc.ColsampleByNode, "colsample-bynode", 0, "share of the features per split (default: 1 for xgboost, 0.8 for rf)")
	fs.IntVar(&tc.EarlyStopping, "early-stopping", 0, "stop after `N` rounds without a better test mlogloss, 0 never (default: 10 for xgboost)")
	fs.StringVar(&tc.TreeMethod, "tree-method", "", "XGBoost's tree_method: hist, approx or exact (default hist)")
	if _, err := parseArgs(fs, args, "", 0, 0); err != nil {
		return err
	}
	if err := requireFlags(fs, "train", "test", "out"); err != nil {
		return err
	}
	if err := onlyChecking(ctx); err != nil {
		return err
	}
	if err := xgboost.Check(); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	cfg := modeldir.DefaultOptionsFile(models.Kind(*kind))
	if *optionsFile != "" {
		var err error
		if cfg, err = modeldir.ReadOptionsFile(*optionsFile, models.Kind(*kind)); err != nil {
			return err
		}
	}
	if !cfg.Model.Kind.Tree() {
		return fmt.Errorf("--model %q is not a tree ensemble (xgboost or rf)", cfg.Model.Kind)
	}
	t := cfg.Model.Trees
	for name, apply := range map[string]func(){
		"max-depth": func() { t.MaxDepth = tc.MaxDepth }, "eta": func() { t.Eta = tc.Eta },
		"rounds": func() { t.Rounds = tc.Rounds }, "trees": func() { t.NumParallelTree = tc.NumParallelTree },
		"subsample": func() { t.Subsample = tc.Subsample }, "colsample-bynode": func() { t.ColsampleByNode = tc.ColsampleByNode },
		"early-stopping": func() { t.EarlyStopping = tc.EarlyStopping }, "tree-method": func() { t.TreeMethod = tc.TreeMethod },
	} {
		if set[name] {
			apply()
		}
	}
	if set["seed"] || *optionsFile == "" {
		cfg.Options.Seed = *seed
	}
	if err := cfg.Model.Validate(); err != nil {
		return err
	}
	job := trees.DatasetJob{Dir: *out, TrainDir: *trainDir, TestDir: *testDir, Model: cfg.Model,
		Seed: cfg.Options.Seed, Threads: *threads, Log: os.Stdout}
	if !*quiet {
		job.Progress = progress.NewTerminal(os.Stderr)
	}
	res, err := trees.TrainDatasets(ctx, job)
	if err != nil {
		return err
	}
	printTreeSummary(os.Stdout, cfg.Model.Kind, res, *out)
	return nil
}

func printTreeSummary(w io.Writer, kind models.Kind, r *trees.Result, dir string) {
	h, b := r.History, r.Best()
	fmt.Fprintf(w, "trained %s: %d rounds in %.1fs, kept %d: loss %.4f accuracy %.4f val_loss %.4f val_accuracy %.4f; model in %s\n",
		kind, r.Rounds, r.Seconds, r.Kept, h.Loss[b], h.Accuracy[b], h.ValLoss[b], h.ValAccuracy[b], dir)
}
