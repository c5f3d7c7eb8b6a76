// Package serve is streaming inference: it watches a directory for event files and writes,
// for every event, a trigger decision made by a trained classifier (a model directory of package modeldir).
//
//	srv, err := serve.New(serve.Options{
//		Model: "models/inclusive", Watch: "incoming", Out: "decisions",
//		Class: "ttbar", Threshold: 0.5, Report: os.Stderr,
//	})
//	if err != nil { ... }
//	defer srv.Close()
//	stats, err := srv.Run(ctx) // until ctx is cancelled; Options.Once: until all is decided
//	ds, err := serve.ReadDecisions(ctx, "decisions/run1/file7.root.decisions.parquet")
//
// # Inputs
//
// The watched directory is walked recursively. Two kinds of files are inputs:
//
//   - *.root: Delphes files. Every event is run through the trigger emulation and the
//     feature computation of step 1 (package features); the events that pass are turned
//     into model inputs as step 2 does (package prep: the model's fitted min-max scaler,
//     ΔR sort, standardization, the max_particles rows the model was trained on: those its
//     truncate option names, by default the nearest the lepton).
//   - *.parquet: ingested part files (step 1 output, hfeatures and lfeatures). All their
//     rows passed the trigger when they were ingested; entry is the row index.
//
// A file is taken only when complete, by two conventions: names that are hidden (".x"),
// start with "_", contain ".tmp-" or end in ".tmp" or ".part" are never taken, so a writer
// that writes such a name and renames the file into place is always safe; and a file is
// taken only once its modification time is at least Options.Settle old (default 2 s), so a
// writer that appends in place is safe as long as it never pauses longer than that. A file
// whose size or modification time changes while it is being decided is decided again.
//
// # Outputs
//
// Each input gets one decision file, OUT/<path in WATCH>.decisions.parquet (see Schema): one
// row per event, in entry order — entry, outcome of the trigger emulation, triggered flag,
// the three class probabilities (NaN for events that failed the trigger) and pass (triggered
// and P(class) >= threshold). Its footer names the source file, the model and the working
// point. Decision files are written under a temporary name and renamed when complete, so
// the output directory is a dataset that package dataset reads at any time and that never
// shows a partial file.
//
// # Exactly once
//
// The journal (JournalFile, in OUT) records the start, end or failure of every file; the
// renamed decision file is the commit. A restarted server skips decided files, removes the
// temporary outputs a stopped run left, and decides interrupted files from the start. An
// unreadable file is reported by name, journaled as bad and skipped (again only once it
// changes); it does not stop the stream. Inputs are identified by their path, size and
// modification time: a file replaced after it was decided is decided again, also after a
// restart, into a decision file of its own (GenerationPath: OUT/<path>.gen2.decisions.parquet,
// .gen3, ...), so earlier decisions are never overwritten; the log and a "replaced" journal
// record say so. A lock on the journal keeps a second server off the same output directory.
//
// # Memory and speed
//
// Events are read, featurized and predicted in batches of Options.BatchEvents; the features
// of one batch (float32 model inputs, ~60 KB per event for the full 801-row sequence) and one
// row group of decisions are all a server holds. Feature computation runs on
// Options.Workers goroutines; the model runs on the GoMLX backend that package modeldir chooses.
// The triggered events of a batch are predicted together, padded to a multiple of 1/16 of
// the batch, so that only a few graph shapes are compiled.
package serve
