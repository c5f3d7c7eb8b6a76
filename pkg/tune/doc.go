// Package tune is step 3 of the pipeline: the hyperparameter search of the HLF classifier (and
// of the tree ensembles: TreeGrid, ReadSpace).
// Each point of a grid (batch size, epochs and the three hidden layer sizes; DefaultGrid is
// the published 243 points) is scored by k-fold cross-validation on a sample of the training
// set: the mean ROC AUC of the ttbar selector over the held-out folds, with the accuracy
// alongside.
//
//	data, _, err := tune.LoadData(ctx, "prepared")        // trainUndersampled_HLF_features.parquet
//	sum, err := tune.Run(ctx, tune.Config{
//		Data:   data,
//		Points: tune.DefaultGrid().Points(),         // or Grid.Random(k, seed)
//		Setup:  tune.DefaultSetup(),                 // 5 folds, 2% sample, seed 42
//		Out:    "tuning",
//		Workers: 0,                                  // one model per core
//		Progress: progress.NewTerminal(os.Stderr),
//	})
//	tune.PrintTable(os.Stdout, sum.Ranked, 10)
//
// # Workers
//
// Run trains Workers models at once in one process, one fold at a time each. With several
// workers each has its own pure-Go backend running on its own goroutine only
// (SingleThreadedConfig), so that models never wait on a shared worker pool; see
// DefaultBackends.
//
// # Output directory
//
//	results.jsonl      one Result per line, appended and synced as each point finishes
//	results.csv        the final table, best first (mean and std over the folds, time)
//	results.md         the same as Markdown
//	best_options.json  the best point as a training options file (dltrigger train --options)
//	scratch/           models of the folds in progress (removed)
//
// A point is identified by Key (its parameters, the folds, the fraction and the seed). A
// rerun after a crash or an interrupt reads results.jsonl (ignoring a torn last line) and
// trains only the points missing there.
//
// # Shards
//
// Shard i of n scores the points i, i+n, ... of the list (Grid.Points and Grid.Random give the
// same list on every machine). Each shard writes its own directory; Merge joins them.
package tune
