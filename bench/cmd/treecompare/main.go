// Command treecompare trains XGBoost, the random forest (XGBoost's random-forest mode) and
// the HLF network on the same prepared HLF data in one run, and prints the training time and
// the test-set AUCs (from the probabilities) and accuracy of each.
//
//	go run ./cmd/dltrigger generate --out bench-data/events --events 20000
//	go run ./cmd/dltrigger ingest --sample qcd=bench-data/events/qcd --sample ttbar=bench-data/events/ttbar \
//	    --sample wjets=bench-data/events/wjets --out bench-data/ingested
//	go run ./cmd/dltrigger prepare --in bench-data/ingested --out bench-data/prepared
//	GOMLX_BACKEND=go:parallelism=-1 OMP_WAIT_POLICY=PASSIVE go run -tags xgboost ./bench/cmd/treecompare --prep bench-data/prepared
//
// XGBoost is linked only with -tags xgboost (scripts/install-xgboost.sh installs the library).
// On a shared machine OMP_WAIT_POLICY=PASSIVE keeps XGBoost's OpenMP threads from spin-waiting
// (see bench/README.md).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/godltrigger/godltrigger/bench"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/xgboost"
)

func main() { bench.Main("treecompare", run) }

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("treecompare", flag.ContinueOnError)
	prep := fs.String("prep", "", "prepared dataset `DIR` (output of 'dltrigger prepare'; required)")
	epochs := fs.Int("epochs", 20, "epochs of the HLF network")
	seed := fs.Int64("seed", 42, "seed of XGBoost's subsampling and of the network's weights and data order")
	threads := fs.Int("threads", 0, "XGBoost threads (0: all cores)")
	maxRows := fs.Int("max-rows", 0, "use at most this many training rows (0: all)")
	work := fs.String("work", "", "work `DIR` for the models (default: a temporary one, removed)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *prep == "" {
		fs.Usage()
		return fmt.Errorf("--prep is required")
	}
	if err := xgboost.Check(); err != nil {
		return err
	}
	trainData, testData, err := bench.LoadPrepared(ctx, *prep, models.KindXGBoost, 0)
	if err != nil {
		return err
	}
	if *maxRows > 0 {
		trainData = bench.Head(trainData, *maxRows)
	}
	dir, done, err := bench.WorkDir(*work, "treecompare-")
	if err != nil {
		return err
	}
	defer done()
	maj, minor, patch := xgboost.Version()
	fmt.Printf("prepared data: %s; XGBoost %d.%d.%d; load average before: %v\n", *prep, maj, minor, patch, bench.LoadAverage())
	rep, err := bench.CompareTrees(ctx, bench.TreesJob{Train: trainData, Test: testData, Epochs: *epochs, Seed: *seed,
		Threads: *threads, WorkDir: dir, Log: os.Stderr})
	if err != nil {
		return err
	}
	return rep.WriteTable(os.Stdout)
}
