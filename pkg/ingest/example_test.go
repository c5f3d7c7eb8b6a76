package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/features"
	"github.com/godltrigger/godltrigger/pkg/ingest"
	"github.com/godltrigger/godltrigger/pkg/synth"
)

// Run turns Delphes files into the Parquet dataset of features, one sample (class) each:
// here 60 generated events of each class, in one file per class.
func ExampleRun() {
	dir, err := os.MkdirTemp("", "ingest")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	events := filepath.Join(dir, "events")
	if _, err := synth.Generate(ctx, events, synth.Options{Events: 60, Seed: 1}); err != nil {
		fmt.Println(err)
		return
	}

	var samples []ingest.Sample
	for _, name := range []string{"qcd", "ttbar", "wjets"} {
		s, err := ingest.ParseSample(name + "=" + filepath.Join(events, name))
		if err != nil {
			fmt.Println(err)
			return
		}
		samples = append(samples, s)
	}
	out := filepath.Join(dir, "ingested")
	sum, err := ingest.Run(ctx, ingest.Options{Out: out, Samples: samples, Workers: 2, Logf: func(string, ...any) {}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d files, %d events, complete %v\n", sum.FilesDone, sum.Events, sum.Complete)
	for label := int64(0); label < 3; label++ {
		fmt.Printf("label %d (%s): %d selected\n", label, sum.Names[label], sum.Selected[label])
	}
	// One Parquet file per input in a Hive partition per label (named after the input and a
	// hash of its path), and the marker of a complete output.
	partitions, _ := filepath.Glob(filepath.Join(out, "label=*"))
	for _, p := range partitions {
		parts, _ := filepath.Glob(filepath.Join(p, "part-*.parquet"))
		fmt.Printf("%s: %d part file\n", filepath.Base(p), len(parts))
	}
	_, err = os.Stat(filepath.Join(out, dataset.SuccessFile))
	fmt.Println(dataset.SuccessFile, err == nil)
	// Output:
	// 3 files, 180 events, complete true
	// label 0 (qcd): 24 selected
	// label 1 (ttbar): 57 selected
	// label 2 (wjets): 57 selected
	// label=0: 1 part file
	// label=1: 1 part file
	// label=2: 1 part file
	// _SUCCESS true
}

func ExampleParseSample() {
	s, err := ingest.ParseSample("ttbar=data/ttbar/*.root,root://eos.example//store/ttbar")
	if err != nil {
		panic(err)
	}
	fmt.Println(s.Name, s.Label, s.Patterns)
	_, err = ingest.ParseSample("zjets=data/z")
	fmt.Println(err)
	// Output:
	// ttbar 1 [data/ttbar/*.root root://eos.example//store/ttbar]
	// ingest: sample "zjets=data/z": unknown class "zjets" (want qcd, ttbar, wjets or a label number)
}

func ExampleOutputPath() {
	in := ingest.Input{Path: "data/ttbar/events_0001.root", Label: 1, Sample: "ttbar"}
	fmt.Println(ingest.OutputPath("ingested", in))
	// Output:
	// ingested/label=1/part-events_0001-7e114678.parquet
}

func ExampleShardFromEnv() {
	env := map[string]string{"SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "8"}
	i, n, src, ok, err := ingest.ShardFromEnv(func(k string) string { return env[k] })
	fmt.Println(i, n, src, ok, err)
	// Output:
	// 4 8 SLURM_ARRAY_TASK_ID true <nil>
}

func ExampleSummary_Print() {
	s := &ingest.Summary{
		Out: "ingested", Files: 7, FilesDone: 6, Events: 90, Elapsed: 230 * time.Millisecond, Workers: 2, Of: 1,
		Selected: map[int64]int64{0: 6, 1: 30, 2: 28},
		Outcomes: map[features.Outcome]int64{features.Selected: 64, features.DroppedNoIsolatedLepton: 26},
		Names:    map[int64]string{0: "qcd", 1: "ttbar", 2: "wjets"},
		Bad:      []ingest.BadFile{{Path: "events/wjets/x.root", Err: errors.New("delphes: open events/wjets/x.root: not a readable ROOT file")}},
		Complete: true,
	}
	s.Print(os.Stdout)
	s.Shard, s.Of, s.Complete, s.Bad = 2, 4, false, []ingest.BadFile{{Path: "y.root", Err: errors.New("truncated")}}
	s.Print(os.Stdout)
	// Output:
	// ingest: 7 input files: 6 ingested now, 0 complete before, 1 bad
	// events: 90 read in 230ms (391 events/s, 2 workers)
	// selected: 64 of 90 (71.1%): qcd (label 0) 6, ttbar (label 1) 30, wjets (label 2) 28
	// dropped: no isolated lepton 26
	// bad input, skipped: delphes: open events/wjets/x.root: not a readable ROOT file
	// output: ingested/label=K/part-*.parquet
	// complete: ingested/_SUCCESS
	// ingest: 7 input files (--shard 2 --of 4): 6 ingested now, 0 complete before, 1 bad
	// events: 90 read in 230ms (391 events/s, 2 workers)
	// selected: 64 of 90 (71.1%): qcd (label 0) 6, ttbar (label 1) 30, wjets (label 2) 28
	// dropped: no isolated lepton 26
	// bad input, skipped: y.root: truncated
	// output: ingested/label=K/part-*.parquet
}
