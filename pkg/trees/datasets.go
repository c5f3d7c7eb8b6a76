package trees

import (
	"context"
	"fmt"
	"io"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/progress"
	"github.com/godltrigger/godltrigger/pkg/train"
	"github.com/godltrigger/godltrigger/pkg/xgboost"
)

// DatasetJob trains a tree ensemble on prepared Parquet datasets.
type DatasetJob struct {
	Dir      string // model directory
	TrainDir string // e.g. prepared/trainUndersampled_HLF_features.parquet (ours or Spark's layout)
	TestDir  string // e.g. prepared/testUndersampled_HLF_features.parquet: evaluated every round
	Model    models.Config
	Seed     int64
	Threads  int // 0: all cores
	// ScalerPath is the scaler stored in model.json; "" takes scaler.json beside TrainDir when
	// there is one (as train.TrainDatasets does).
	ScalerPath string
	Progress   progress.Sink
	Log        io.Writer
}

// TrainDatasets loads the high-level features and labels of the two datasets into memory with
// train.LoadData, the scaler with train.ReadScaler, and runs Train (data.json records the
// datasets).
func TrainDatasets(ctx context.Context, job DatasetJob) (*Result, error) {
	if err := xgboost.Check(); err != nil {
		return nil, fmt.Errorf("trees: %w", err)
	}
	if err := checkEmpty(job.Dir); err != nil {
		return nil, err
	}
	cfg := train.DataConfig{Kind: job.Model.Kind}
	var sets [2]modeldir.Data
	for i, dir := range []string{job.TrainDir, job.TestDir} {
		d, err := train.LoadData(ctx, dir, cfg)
		if err != nil {
			return nil, fmt.Errorf("trees: %w", err)
		}
		if d.Labels == nil {
			return nil, fmt.Errorf("trees: dataset %s has no labels (encoded_label or label)", dir)
		}
		sets[i] = d
	}
	scaler, err := train.ReadScaler(job.ScalerPath, job.TrainDir)
	if err != nil {
		return nil, fmt.Errorf("trees: %w", err)
	}
	if job.Log != nil {
		fmt.Fprintf(job.Log, "data: %d training rows, %d test rows (in memory); XGBoost, %s\n",
			len(sets[0].Labels), len(sets[1].Labels), threadsText(job.Threads))
	}
	return Train(ctx, Job{Dir: job.Dir, Model: job.Model, Seed: job.Seed, Threads: job.Threads,
		Train: sets[0], Test: sets[1], Scaler: scaler, Data: &modeldir.DataRecord{Train: job.TrainDir, Test: job.TestDir},
		Progress: job.Progress, Log: job.Log})
}

func threadsText(n int) string {
	if n == 0 {
		return "all cores"
	}
	return fmt.Sprintf("%d threads", n)
}
