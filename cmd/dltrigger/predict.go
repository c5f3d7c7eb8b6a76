package main

import (
	"context"
	"fmt"
	"os"

	"github.com/godltrigger/godltrigger/pkg/evaluate"
	"github.com/godltrigger/godltrigger/pkg/progress"
)

func init() {
	register(&command{Name: "predict", Summary: "class probabilities of every event of a dataset", Run: runPredict})
}

func runPredict(ctx context.Context, args []string) error {
	fs := newFlags("predict", "predict --model MODEL_DIR --in DIR --out FILE.parquet", `
Computes, with a model trained by 'dltrigger train', the class probabilities of every
event of a prepared dataset (full, HLF or inclusive layout, ours or Spark's) and writes
them, in the input's order, to one Parquet file: probabilities array<double>(3) (qcd,
ttbar, wjets) and, when the input is labelled, label bigint.

Example:
  dltrigger predict --model models/hlf --in prepared/testUndersampled_HLF_features.parquet \
      --out hlf_predictions.parquet`)
	model := fs.String("model", "", "model `DIR` (required)")
	in := fs.String("in", "", "input dataset `DIR` (required; --test is accepted too)")
	out := fs.String("out", "", "output Parquet `FILE` (required)")
	quiet := fs.Bool("quiet", false, "no progress bar")
	aliasFlag(fs, "test", "in")
	if _, err := parseArgs(fs, args, "", 0, 0); err != nil {
		return err
	}
	if err := requireFlags(fs, "model", "in", "out"); err != nil {
		return err
	}
	if err := onlyChecking(ctx); err != nil {
		return err
	}
	var opts evaluate.PredictOptions
	if !*quiet {
		opts.Progress = progress.NewTerminal(os.Stderr)
	}
	n, err := evaluate.PredictDataset(ctx, *model, *in, *out, opts)
	if err != nil {
		return err
	}
	fmt.Printf("%d events -> %s\n", n, *out)
	return nil
}
