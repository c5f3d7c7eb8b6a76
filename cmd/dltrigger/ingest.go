package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/godltrigger/godltrigger/pkg/features"
	"github.com/godltrigger/godltrigger/pkg/ingest"
	"github.com/godltrigger/godltrigger/pkg/progress"
)

func init() {
	register(&command{Name: "ingest", Summary: "step 1: Delphes files -> trigger selection -> features Parquet", Run: runIngest})
}

// sampleFlags collects repeated --sample values.
type sampleFlags []ingest.Sample

func (s *sampleFlags) String() string { return fmt.Sprint(len(*s), " samples") }
func (s *sampleFlags) Set(v string) error {
	smp, err := ingest.ParseSample(v)
	if err != nil {
		return err
	}
	*s = append(*s, smp)
	return nil
}

func runIngest(ctx context.Context, args []string) error {
	return ingestMain(ctx, args, os.Stdout, os.Stderr, os.Getenv)
}

// ingestMain is runIngest with its outputs and environment given: the summary goes to stdout,
// the progress bar and log to stderr.
func ingestMain(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlags("ingest", "ingest --sample NAME=GLOB [--sample NAME=GLOB ...] --out DIR [flags]", `
Step 1 of the pipeline. Reads the Delphes ROOT files of each sample (local paths, globs,
directories or root://host:port//path URLs on EOS), keeps the events that pass the
trigger emulation (an isolated electron or muon with pT > 23 GeV), and writes for each
the 801x19 particle features (lfeatures) and the 14 high-level features (hfeatures) as
snappy Parquet, partitioned by label as Spark wrote them: DIR/label=K/part-*.parquet.

One output file per input file, renamed into place only when complete: rerun a killed
or failed run with the same flags and it skips what is done (outputs made with other
settings, e.g. without --fix-quirks, are an error). A run that covered all its inputs
writes DIR/_SUCCESS, which prepare requires (with --of, the last shard to finish writes
it). An unreadable input is reported and skipped (--strict: the run fails on it); an
error of the output, such as a full disk, or a run with no good input fails. At the end a summary lists the
files, the events read and selected per class, why the others were dropped, and the
bad inputs. --shard/--of split the inputs over jobs writing into the same DIR; the
shard defaults from SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX or OMPI_COMM_WORLD_RANK.

Example:
  dltrigger generate --out events --events 2000
  dltrigger ingest --sample qcd=events/qcd --sample ttbar=events/ttbar \
                   --sample wjets=events/wjets --out ingested
  # the same as a Slurm array of 4 jobs:
  sbatch --array=0-3 --wrap "dltrigger ingest --sample ... --out ingested --quiet"`)
	fs.SetOutput(stderr)
	var samples sampleFlags
	fs.Var(&samples, "sample", "a class and its inputs, `NAME=GLOB[,GLOB]`: NAME is qcd, ttbar, wjets (labels 0, 1, 2) or a label number; repeat per class")
	out := fs.String("out", "", "output `DIR` (required)")
	shard := &optionalInt{v: -1}
	fs.Var(shard, "shard", "this job's shard `i`, 0-based (default from the scheduler's environment, else 0)")
	of := fs.Int("of", 0, "number of shards `n` (default from the environment, else 1)")
	workers := fs.Int("workers", 0, "goroutines computing features (default: all cores)")
	strict := fs.Bool("strict", false, "fail on the first bad input file instead of skipping it")
	fix := fs.Bool("fix-quirks", false, "correct the original's quirks (Δφ folding in isolation, lepton by pT, MT with a square root)")
	quiet := fs.Bool("quiet", false, "no progress bar")
	if _, err := parseArgs(fs, args, "", 0, 0); err != nil {
		return err
	}
	if *out == "" || len(samples) == 0 {
		return usageErrorf(fs, "--out and at least one --sample are required")
	}
	i, n, err := resolveShard(shard.v, *of, getenv)
	if err != nil {
		return err
	}
	if err := onlyChecking(ctx); err != nil {
		return err
	}
	var sink progress.Sink = progress.NewTerminal(stderr)
	if *quiet {
		sink = nil
	}
	sum, err := ingest.Run(ctx, ingest.Options{
		Out: *out, Samples: samples, Shard: i, Of: n, Workers: *workers,
		Features: features.Options{FixQuirks: *fix}, Strict: *strict, Progress: sink,
		Logf: func(format string, args ...any) { fmt.Fprintf(stderr, format+"\n", args...) },
	})
	if sum != nil {
		sum.Print(stdout)
	}
	return err
}

// optionalInt is an int flag whose unset value (v as initialised) is not shown as a default.
type optionalInt struct{ v int }

func (o *optionalInt) String() string { return "" }
func (o *optionalInt) Set(s string) error {
	v, err := strconv.Atoi(s)
	if err != nil || v < 0 {
		return fmt.Errorf("want a non-negative integer")
	}
	o.v = v
	return nil
}

// resolveShard applies the environment's defaults to --shard and --of.
func resolveShard(shard, of int, getenv func(string) string) (int, int, error) {
	if of < 0 {
		return 0, 0, fmt.Errorf("--of %d: want a positive number of shards", of)
	}
	ei, en, src, ok, err := ingest.ShardFromEnv(getenv)
	if err != nil {
		return 0, 0, err
	}
	if shard < 0 {
		shard = 0
		if ok {
			shard = ei
		}
	}
	if of <= 0 {
		of = 1
		if ok && en > 0 {
			of = en
		} else if ok && shard > 0 {
			return 0, 0, fmt.Errorf("shard %d from %s but no shard count: pass --of", shard, src)
		}
	}
	if shard >= of {
		return 0, 0, fmt.Errorf("--shard %d is not below --of %d", shard, of)
	}
	return shard, of, nil
}
