package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/godltrigger/godltrigger/pkg/prep"
	"github.com/godltrigger/godltrigger/pkg/progress"
)

func init() {
	register(&command{Name: "prepare", Summary: "step 2: scale, balance, split and shuffle the ingested features", Run: runPrepare})
}

func runPrepare(ctx context.Context, args []string) error {
	fs := newFlags("prepare", "prepare --in INGESTED_DIR --out DIR [flags]", `
Turns the output of 'dltrigger ingest' into the training and test datasets of the
original, with the names and schemas of the published ones (trainUndersampled*.parquet,
testUndersampled*.parquet: full, _HLF_features and _InclusiveClassifier), plus
scaler.json, the fitted min-max scaler of the 14 high-level features.

HLF_input is min-max scaled over the whole input; GRU_input is the 801 particle rows
sorted by decreasing ΔR to the lepton and standardized per event; classes are balanced
to the smallest one by seeded Bernoulli sampling; rows are split at random into train
and test; train is shuffled. Works on inputs larger than memory: peak memory is set by
--memory, not by the input size.

--mask-padding makes GRU_input maskable. By default (as the original) the padding rows of
an event (the zero rows after its real particles) are sorted and standardized with the
real ones, so they are no longer zero and the GRU's Masking(0) masks nothing. With
--mask-padding the padding rows stay exactly zero (all 19 values) and come first, the real
rows follow, sorted by decreasing ΔR (the lepton last, as by default) and standardized over
the real rows only: the GRU then skips the padding, and 'dltrigger train
--bucket-by-length' can trim it. The setting is recorded in the datasets' metadata.

Example:
  dltrigger prepare --in ingested --out prepared --seed 42`)
	in := fs.String("in", "", "ingested dataset `DIR` (required)")
	out := fs.String("out", "", "output `DIR` (required)")
	seed := fs.Int64("seed", 42, "random seed of sampling, split and shuffle")
	testFrac := fs.Float64("test-fraction", 0.2, "share of rows in the test set")
	memMiB := fs.Int64("memory", prep.DefaultMemoryBytes>>20, "memory bound in `MiB`")
	workers := fs.Int("workers", 0, "goroutines (default: all cores)")
	parts := fs.Int("parts", 0, "at least `N` part files per training set, one share per rank of 'train --distributed' (default: as memory needs)")
	maskPadding := fs.Bool("mask-padding", false, "keep padding rows exactly 0 and first, standardize over the real particles only (default: the original's preparation)")
	force := fs.Bool("force", false, "prepare again even when DIR already holds a complete output (without it, one of other settings is an error)")
	quiet := fs.Bool("quiet", false, "no progress bars")
	if _, err := parseArgs(fs, args, "", 0, 0); err != nil {
		return err
	}
	if err := requireFlags(fs, "in", "out"); err != nil {
		return err
	}
	if err := onlyChecking(ctx); err != nil {
		return err
	}
	opts := prep.Options{In: *in, Out: *out, Seed: *seed, TestFraction: *testFrac, MemoryBytes: *memMiB << 20, Workers: *workers, Parts: *parts, MaskPadding: *maskPadding}
	if !*force {
		if reuse, err := prep.Reuse(opts); err != nil || reuse {
			if reuse {
				fmt.Printf("prepare: %s already holds a complete output of these settings (use --force to redo it)\n", *out)
			}
			return err
		}
	}
	if !*quiet {
		opts.Progress = progress.NewTerminal(os.Stderr)
	}
	sum, err := prep.Run(ctx, opts)
	if err != nil {
		return err
	}
	printPrepareSummary(os.Stdout, sum, *out)
	return nil
}

func printPrepareSummary(w io.Writer, s *prep.Summary, out string) {
	var labels []int64
	for l := range s.In {
		labels = append(labels, l)
	}
	sort.Slice(labels, func(i, j int) bool { return labels[i] < labels[j] })
	fmt.Fprintf(w, "%-8s %10s %10s %10s %10s\n", "label", "in", "fraction", "train", "test")
	for _, l := range labels {
		fmt.Fprintf(w, "%-8d %10d %10.4f %10d %10d\n", l, s.In[l], s.Fraction[l], s.Train[l], s.Test[l])
	}
	fmt.Fprintf(w, "%d shuffle bucket(s), %.1fs, %.0f input rows/s; outputs and scaler.json in %s\n", s.Buckets, s.Elapsed.Seconds(), s.RowsPerS, out)
}
