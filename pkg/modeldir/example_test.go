package modeldir_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/train"
)

// ExampleLoad trains a small HLF network on synthetic rows, then loads its model directory
// and predicts class probabilities for new rows.
func ExampleLoad() {
	dir, err := os.MkdirTemp("", "example-load")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	dir = filepath.Join(dir, "hlf")
	rows, err := train.NewMemorySource(train.SyntheticData(32, 1, 1))
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg := models.DefaultConfig(models.KindHLF)
	cfg.HLFHidden = []int{8}
	opts := modeldir.DefaultOptions()
	opts.Epochs, opts.BatchSize = 1, 16
	if _, err := train.Train(context.Background(), train.Job{Dir: dir, Model: cfg, Options: opts, Train: rows, Validation: rows}); err != nil {
		fmt.Println(err)
		return
	}

	p, err := modeldir.Load(dir, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer p.Close()
	newRows := train.SyntheticData(5, 1, 3)
	probs, err := p.Predict(modeldir.Data{HLF: newRows.HLF})
	if err != nil {
		fmt.Println(err)
		return
	}
	sum := 0.0
	for _, v := range probs[:models.NumClasses] {
		sum += float64(v)
	}
	fmt.Printf("%s classifier: %d probabilities (5 rows x %d classes), row 0 sums to %.3f\n",
		p.Info.Model.Kind, len(probs), models.NumClasses, sum)
	// Output:
	// hlf classifier: 15 probabilities (5 rows x 3 classes), row 0 sums to 1.000
}
