// Package parallel runs the items of a list on a bounded number of goroutines: the one worker
// pool of the pipeline (the files of generate, ingest and prepare, the downloads of fetch).
//
//	err := parallel.For(ctx, len(files), workers, func(ctx context.Context, i int) error {
//		return convert(ctx, files[i], outs[i]) // results by index keep the input order
//	})
//
// The first error cancels the context of the calls in flight and starts no further item; For
// returns that error. A caller that collects errors instead of stopping at the first one
// records them itself and returns nil from its function.
package parallel
