package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"

	"github.com/godltrigger/godltrigger/pkg/features"
	"github.com/godltrigger/godltrigger/pkg/serve"
)

func init() {
	register(&command{Name: "serve", Summary: "streaming inference: event files in a directory -> per-event trigger decisions", Run: runServe})
}

func runServe(ctx context.Context, args []string) error {
	return serveMain(ctx, args, os.Stdout, os.Stderr)
}

// serveMain is runServe with its outputs given: the final line goes to stdout, the rate
// report and the log to stderr.
func serveMain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "serve --model MODEL_DIR --watch DIR --out DIR [--class ttbar --threshold 0.5] [--once] [flags]", `
Streaming inference. Watches DIR (recursively) for Delphes ROOT files (*.root) and
ingested Parquet files (*.parquet) and writes, for every event, a trigger decision made
with a model trained by 'dltrigger train': the trigger emulation (lepton selection) and
the features of step 1, the scaling and particle ordering of step 2 (with the scaler kept
in the model), then the class probabilities and pass = P(--class) >= --threshold.
Events that fail the lepton trigger get a decision too (triggered 0, probabilities NaN).

Each input file gets one Parquet file OUT/<path>.decisions.parquet, one row per event
in entry order (entry, outcome, triggered, probabilities, pass), renamed into place when
complete. A file is taken once its modification time is --settle old; names that are
hidden, start with "_", contain ".tmp-" or end in .tmp or .part are never taken, so
writers may also write such a name and rename it into place. The journal
OUT/_serve_journal.jsonl makes restarts exactly-once: decided files are skipped, a file
interrupted by Ctrl-C or a crash is decided again, a bad file is reported and skipped,
and a decided file later replaced (new size or modification time) is decided again into
OUT/<path>.gen2.decisions.parquet (.gen3, ...), keeping the earlier decisions.
A rate report goes to stderr every --report and at the end. Without --once the server
runs until interrupted (Ctrl-C abandons the file at hand cleanly).

Example:
  dltrigger serve --model models/inclusive --watch incoming --out decisions &
  dltrigger generate --out staging --events 1000 && mv staging/ttbar incoming/
  # batch use: decide what is there, then exit
  dltrigger serve --model models/hlf --watch ingested --out decisions --once --threshold 0.8`)
	fs.SetOutput(stderr)
	model := fs.String("model", "", "model `DIR` written by 'dltrigger train' (required)")
	watch := fs.String("watch", "", "watched input `DIR` (required)")
	out := fs.String("out", "", "output `DIR` for decisions and the journal (required; not inside --watch)")
	class := fs.String("class", serve.DefaultClass, "class that selects: qcd, ttbar or wjets")
	threshold := fs.Float64("threshold", serve.DefaultThreshold, "an event passes when P(class) >= `P`")
	once := fs.Bool("once", false, "decide the files present, waiting for those still settling, then exit")
	poll := fs.Duration("poll", serve.DefaultPoll, "time between two looks at --watch")
	settle := fs.Duration("settle", serve.DefaultSettle, "a file is taken once unmodified for this long (0: at once, for rename-into-place writers)")
	batch := fs.Int("batch", serve.DefaultBatchEvents, "events read, featurized and predicted at a time (bounds memory)")
	workers := fs.Int("workers", 0, "goroutines computing features (default: all cores)")
	report := fs.Duration("report", serve.DefaultReportEvery, "interval of the rate report on stderr")
	fix := fs.Bool("fix-quirks", false, "trigger emulation and features with the original's quirks corrected (as 'ingest --fix-quirks')")
	quiet := fs.Bool("quiet", false, "no rate report or log lines")
	if _, err := parseArgs(fs, args, "", 0, 0); err != nil {
		return err
	}
	if err := requireFlags(fs, "model", "watch", "out"); err != nil {
		return err
	}
	if err := onlyChecking(ctx); err != nil {
		return err
	}
	switch {
	case *settle < 0:
		return fmt.Errorf("--settle %v: want 0 (take files at once) or more", *settle)
	case *settle == 0:
		*settle = -1 // serve.Options: < 0 takes files at once
	}
	opts := serve.Options{Model: *model, Watch: *watch, Out: *out, Class: *class, Threshold: *threshold,
		Once: *once, Poll: *poll, Settle: *settle, BatchEvents: *batch, Workers: *workers,
		Features: features.Options{FixQuirks: *fix}, ReportEvery: *report}
	if !*quiet {
		opts.Report = stderr
		opts.Logf = log.New(stderr, "", log.LstdFlags).Printf
	}
	srv, err := serve.New(opts)
	if err != nil {
		return err
	}
	defer srv.Close()
	st, err := srv.Run(ctx)
	if err != nil && !(errors.Is(err, context.Canceled) && ctx.Err() != nil) {
		return err
	}
	fmt.Fprintf(stdout, "serve: %v -> %s\n", st, *out)
	if err != nil {
		return fmt.Errorf("interrupted before every file was decided (run again to continue): %w", err)
	}
	return nil
}
