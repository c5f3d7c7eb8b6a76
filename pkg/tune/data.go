package tune

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/spec"
	"github.com/godltrigger/godltrigger/pkg/train"
)

// LoadData reads the high-level features and labels of a prepared dataset into memory. dir
// is the dataset itself or the preparation step's output directory, where the HLF training
// set (spec.TrainHLF) is taken. It returns the data and the dataset directory read.
func LoadData(ctx context.Context, dir string) (modeldir.Data, string, error) {
	if fi, err := os.Stat(filepath.Join(dir, spec.TrainHLF)); err == nil && fi.IsDir() {
		dir = filepath.Join(dir, spec.TrainHLF)
	}
	d, err := train.LoadData(ctx, dir, train.DataConfig{Kind: models.KindHLF})
	if err != nil {
		return modeldir.Data{}, dir, fmt.Errorf("tune: %w", err)
	}
	if d.Labels == nil {
		return modeldir.Data{}, dir, fmt.Errorf("tune: dataset %s has no labels (encoded_label or label)", dir)
	}
	return d, dir, nil
}
