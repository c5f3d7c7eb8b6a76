package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/godltrigger/godltrigger/pkg/progress"
	"github.com/godltrigger/godltrigger/pkg/synth"
)

func init() {
	register(&command{Name: "generate", Summary: "write synthetic Delphes events (qcd, ttbar, wjets) as ROOT files", Run: runGenerate})
}

func runGenerate(ctx context.Context, args []string) error {
	fs := newFlags("generate", "generate --out DIR --events N [--seed S] [--per-file K] [--classes qcd,ttbar,wjets]", `
Generate writes synthetic Delphes events of the three classes of the pipeline (QCD multijet,
ttbar, W+jets) into DIR/<class>/<class>_NNNN.root, in the flat Delphes layout that ingest
reads. Events are physics-plausible (leptons, missing energy, jets with b-tags, hundreds of
tracks, photons and neutral hadrons with pileup) and depend only on the seed: a rerun keeps
the files already complete, so an interrupted run resumes where it stopped.

Example:
  dltrigger generate --out data/synth --events 100000 --seed 1`)
	out := fs.String("out", "", "output `directory` (required)")
	events := fs.Int("events", 0, "events per class (required)")
	seed := fs.Int64("seed", 1, "master seed")
	perFile := fs.Int("per-file", synth.DefaultEventsPerFile, "events per file")
	classes := fs.String("classes", "qcd,ttbar,wjets", "comma-separated classes to generate")
	workers := fs.Int("workers", 0, "files written at once (0: all cores)")
	comp := fs.String("compression", "lz4", "basket compression: lz4, zlib or none")
	quiet := fs.Bool("quiet", false, "no progress bar")
	if _, err := parseArgs(fs, args, "", 0, 0); err != nil {
		return err
	}
	if err := requireFlags(fs, "out"); err != nil {
		return err
	}
	if *events <= 0 {
		return usageErrorf(fs, "a positive --events is required")
	}
	cs, err := synth.ParseClasses(*classes)
	if err != nil {
		return err
	}
	if err := onlyChecking(ctx); err != nil {
		return err
	}
	sink := &lastState{Sink: progress.NewTerminal(os.Stderr)}
	if *quiet {
		sink.Sink = progress.Discard{}
	}
	files, err := synth.Generate(ctx, *out, synth.Options{
		Events: *events, Seed: *seed, EventsPerFile: *perFile, Classes: cs, Workers: *workers,
		Compression: *comp, Progress: sink,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stdout, "generate: %d files in %s\n", len(files), *out)
	for _, c := range cs {
		fmt.Fprintf(os.Stdout, "  %-6s %d events\n", c, *events)
	}
	st := sink.last
	fmt.Fprintf(os.Stdout, "  generated %d events in %s (%.0f events/s); %d events were already on disk\n",
		st.Done, st.Elapsed.Round(time.Millisecond), st.Rate(), int64(*events*len(cs))-st.Done)
	return nil
}

// lastState forwards progress to a Sink and keeps the final state for the summary.
type lastState struct {
	progress.Sink
	last progress.State
}

func (l *lastState) Show(s progress.State, final bool) {
	l.last = s
	l.Sink.Show(s, final)
}
