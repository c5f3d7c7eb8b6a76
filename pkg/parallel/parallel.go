package parallel

import (
	"context"
	"runtime"

	"golang.org/x/sync/errgroup"
)

// For calls fn(ctx, i) for every i in [0, n), at most workers calls at once (workers < 1: one
// per core, GOMAXPROCS). Calls may run in any order; a function that writes its result at
// index i keeps the order of the items.
//
// The first error that fn returns cancels the ctx passed to the calls still running, no
// further call starts, and For returns that error once the running calls have returned.
// Without an error from fn, For returns ctx.Err(): a ctx that ends stops the start of further
// calls, and the caller learns that not every item ran.
func For(ctx context.Context, n, workers int, fn func(ctx context.Context, i int) error) error {
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for i := range n {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			// Go waits for a free worker: an error raised meanwhile leaves this item undone.
			if gctx.Err() != nil {
				return nil
			}
			return fn(gctx, i)
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return ctx.Err()
}
