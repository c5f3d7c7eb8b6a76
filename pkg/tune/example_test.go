package tune_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/godltrigger/godltrigger/pkg/prep/preptest"
	"github.com/godltrigger/godltrigger/pkg/tune"
)

// Run scores each point of a grid by cross-validation on the prepared training set and ranks
// them, best (highest mean ttbar AUC) first. Here: 2 points of 1 epoch, 2 folds, on 100
// generated events per class (preptest.Prepare runs generate, ingest and prepare).
func ExampleRun() {
	dir, err := os.MkdirTemp("", "tune")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	prepared, err := preptest.Prepare(ctx, dir, 100, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	data, _, err := tune.LoadData(context.Background(), prepared) // its trainUndersampled_HLF_features.parquet
	if err != nil {
		fmt.Println(err)
		return
	}

	grid := tune.Grid{BatchSize: []int{32}, Epochs: []int{1}, NH1: []int{8, 16}, NH2: []int{8}, NH3: []int{4}}
	sum, err := tune.Run(ctx, tune.Config{
		Data:    data,
		Points:  grid.Points(),
		Setup:   tune.Setup{Folds: 2, Fraction: 1, Seed: 1},
		Out:     filepath.Join(dir, "tuning"),
		Workers: 1,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d points scored on %d rows\n", sum.Done, sum.Rows)
	best := sort.SliceIsSorted(sum.Ranked, func(i, j int) bool { return sum.Ranked[i].MeanAUC > sum.Ranked[j].MeanAUC })
	fmt.Printf("%d results, best first: %v, %d folds each\n", len(sum.Ranked), best, len(sum.Ranked[0].AUC))
	for _, name := range []string{tune.ResultsFile, tune.TableCSVFile, tune.BestOptionsFile} {
		_, err := os.Stat(filepath.Join(dir, "tuning", name))
		fmt.Println(name, err == nil)
	}
	// Output:
	// 2 points scored on 82 rows
	// 2 results, best first: true, 2 folds each
	// results.jsonl true
	// results.csv true
	// best_options.json true
}
