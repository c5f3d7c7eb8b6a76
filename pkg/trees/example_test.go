//go:build xgboost

package trees_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/trees"
)

// separable returns n rows per class whose first high-level feature tells the class: about
// 0.1, 0.5 or 0.9 for qcd, ttbar and wjets; the other 13 features are constant.
func separable(n int) modeldir.Data {
	var d modeldir.Data
	for i := 0; i < n; i++ {
		for c := 0; c < models.NumClasses; c++ {
			row := make([]float32, models.NumHLF)
			row[0] = 0.1 + 0.4*float32(c) + 0.01*float32(i%5)
			for f := 1; f < models.NumHLF; f++ {
				row[f] = 0.5
			}
			d.HLF = append(d.HLF, row...)
			d.Labels = append(d.Labels, c)
		}
	}
	return d
}

// Five boosting rounds of XGBoost on a few rows in memory, then the saved model directory's
// predictions, as modeldir serves every classifier's.
func ExampleTrain() {
	work, err := os.MkdirTemp("", "trees-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(work)

	cfg := models.DefaultConfig(models.KindXGBoost)
	cfg.Trees.Rounds, cfg.Trees.EarlyStopping = 5, 0
	dir := filepath.Join(work, "xgboost")
	res, err := trees.Train(context.Background(), trees.Job{
		Dir: dir, Model: cfg, Seed: 42, Threads: 1,
		Train: separable(20), Test: separable(5),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("rounds:", res.Rounds, "kept:", res.Kept, "test accuracy:", res.History.ValAccuracy[res.Best()])

	rows := separable(1) // one row of each class
	probs, err := modeldir.Predict(dir, nil, modeldir.Data{HLF: rows.HLF})
	if err != nil {
		log.Fatal(err)
	}
	for i, label := range rows.Labels {
		p := probs[i*models.NumClasses : (i+1)*models.NumClasses]
		best := 0
		for c := range p {
			if p[c] > p[best] {
				best = c
			}
		}
		fmt.Println("class", label, "predicted", best)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range entries {
		fmt.Println("wrote:", e.Name())
	}
	// Output:
	// rounds: 5 kept: 5 test accuracy: 1
	// class 0 predicted 0
	// class 1 predicted 1
	// class 2 predicted 2
	// wrote: history.json
	// wrote: model.json
	// wrote: xgboost.json
}
