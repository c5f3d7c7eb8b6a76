package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"

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
	fs := newFlags("ingest", "ingest --sample qcd=GLOB --sample ttbar=GLOB --sample wjets=GLOB --out DIR [flags]", `
Reads the Delphes ROOT files of each sample (local paths, globs, directories or
root://host:port//path URLs on EOS), keeps the events that pass the trigger emulation
(one isolated electron or muon with pT > 23 GeV), and writes for each the 801x19
particle features (lfeatures), the 14 high-level features (hfeatures) and the label as
snappy Parquet, partitioned by label: DIR/label=0/part-....parquet, as Spark wrote them.

One output per input file, renamed into place when complete: rerunning a killed run
skips what is done. --shard/--of split the input files over jobs; the shard index
defaults from SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX or OMPI_COMM_WORLD_RANK.

Example:
  dltrigger generate --out events --events 2000
  dltrigger ingest --sample qcd=events/qcd --sample ttbar=events/ttbar \
                   --sample wjets=events/wjets --out ingested`)
	var samples sampleFlags
	fs.Var(&samples, "sample", "`NAME=GLOB[,GLOB]`: a class (qcd, ttbar, wjets or a label number) and its inputs; repeat per class")
	out := fs.String("out", "", "output `DIR` (required)")
	shard := fs.Int("shard", -1, "this job's shard `i` (0-based; default from the scheduler's environment, else 0)")
	of := fs.Int("of", 0, "number of shards `n` (default from the environment, else 1)")
	workers := fs.Int("workers", 0, "goroutines computing features (default: all cores)")
	strict := fs.Bool("strict", false, "fail on the first bad input file instead of skipping it")
	fix := fs.Bool("fix-quirks", false, "correct the original's quirks (Δφ folding in isolation, lepton by pT, MT with a square root)")
	quiet := fs.Bool("quiet", false, "no progress bar")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" || len(samples) == 0 {
		fs.Usage()
		return fmt.Errorf("ingest: --out and at least one --sample are required")
	}
	i, n, err := resolveShard(*shard, *of, os.Getenv)
	if err != nil {
		return err
	}
	var sink progress.Sink = progress.NewTerminal(os.Stderr)
	if *quiet {
		sink = nil
	}
	sum, err := ingest.Run(ctx, ingest.Options{
		Out: *out, Samples: samples, Shard: i, Of: n, Workers: *workers,
		Features: features.Options{FixQuirks: *fix}, Strict: *strict, Progress: sink,
	})
	if sum != nil {
		printIngestSummary(os.Stdout, sum, samples)
	}
	return err
}

// resolveShard applies the environment's defaults to --shard and --of.
func resolveShard(shard, of int, getenv func(string) string) (int, int, error) {
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
			return 0, 0, fmt.Errorf("ingest: shard %d from %s but no shard count: pass --of", shard, src)
		}
	}
	if shard >= of {
		return 0, 0, fmt.Errorf("ingest: --shard %d is not below --of %d", shard, of)
	}
	return shard, of, nil
}

func printIngestSummary(w io.Writer, s *ingest.Summary, samples []ingest.Sample) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "files\tdone\tskipped (complete)\tbad\tevents read\ttime\tevents/s\t\n")
	fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%d\t%s\t%.0f\t\n", s.Files, s.FilesDone, s.FilesSkipped, len(s.Bad), s.Events, s.Elapsed.Round(1e7), s.Rate())
	tw.Flush()
	names := map[int64]string{}
	for _, smp := range samples {
		names[smp.Label] = smp.Name
	}
	var labels []int64
	for l := range s.Selected {
		labels = append(labels, l)
	}
	sort.Slice(labels, func(i, j int) bool { return labels[i] < labels[j] })
	var parts []string
	for _, l := range labels {
		parts = append(parts, fmt.Sprintf("%s (label %d): %d", names[l], l, s.Selected[l]))
	}
	fmt.Fprintf(w, "selected: %s\n", strings.Join(parts, ", "))
	var outs []string
	for o, c := range s.Outcomes {
		outs = append(outs, fmt.Sprintf("%v: %d", o, c))
	}
	sort.Strings(outs)
	fmt.Fprintf(w, "outcomes: %s\n", strings.Join(outs, ", "))
	for _, b := range s.Bad {
		fmt.Fprintf(w, "bad input: %s: %v\n", b.Path, b.Err)
	}
}
