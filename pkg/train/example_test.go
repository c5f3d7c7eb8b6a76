package train_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/train"
)

// ExampleTrain trains the HLF network for two epochs on synthetic in-memory rows and reads
// back the model directory's history.
func ExampleTrain() {
	dir, err := os.MkdirTemp("", "example-train")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	trainRows, err := train.NewMemorySource(train.SyntheticData(64, 1, 1))
	if err != nil {
		fmt.Println(err)
		return
	}
	valRows, err := train.NewMemorySource(train.SyntheticData(16, 1, 2))
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg := models.DefaultConfig(models.KindHLF)
	cfg.HLFHidden = []int{8}
	opts := modeldir.DefaultOptions()
	opts.Epochs, opts.BatchSize = 2, 16
	hist, err := train.Train(context.Background(), train.Job{
		Dir: filepath.Join(dir, "hlf"), Model: cfg, Options: opts, Train: trainRows, Validation: valRows,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	finite := true
	for _, l := range append(hist.Loss, hist.ValLoss...) {
		finite = finite && !math.IsNaN(l) && !math.IsInf(l, 0)
	}
	fmt.Println("epochs:", hist.Epochs(), "finite losses:", finite)
	_, err = os.Stat(filepath.Join(dir, "hlf", modeldir.ModelFile))
	fmt.Println("model.json written:", err == nil)
	// Output:
	// epochs: 2 finite losses: true
	// model.json written: true
}
