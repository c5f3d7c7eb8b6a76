package train

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/gomlx/compute"

	"github.com/godltrigger/godltrigger/pkg/cluster"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/prep"
	"github.com/godltrigger/godltrigger/pkg/progress"
	"github.com/godltrigger/godltrigger/pkg/spec"
)

// DatasetJob trains a classifier on prepared Parquet datasets.
type DatasetJob struct {
	Dir      string // model directory
	TrainDir string // e.g. prepared/trainUndersampled_HLF_features.parquet
	TestDir  string // validation rows, e.g. prepared/testUndersampled_HLF_features.parquet
	// Model and Options configure a new run; Resume takes them from Dir's model.json
	// instead (Options.Epochs, when > 0, still sets the number of epochs), and the way of
	// reading the data (memory or streaming, shuffle buffer) from Dir's data.json.
	Model   models.Config
	Options modeldir.Options
	Resume  bool
	// Restated, for a resumed run, holds the settings given again: each must equal the
	// run's records, as TrainDir, TestDir and ShuffleBuffer (when > 0) must (see Restated).
	Restated *Restated
	// ShuffleBuffer and MemoryLimitBytes are passed to OpenDataset (see DataConfig).
	ShuffleBuffer    int
	MemoryLimitBytes int64
	// ScalerPath is the scaler stored in model.json; "" looks for scaler.json in the parent
	// directory of TrainDir (where 'dltrigger prepare' writes it) and stores none if absent.
	ScalerPath string
	Backend    compute.Backend // nil: NewBackend
	Progress   progress.Sink
	Log        io.Writer
	Hooks      Hooks // see Job.Hooks
	// Comm, when it connects several processes, trains distributed (see Job.Comm): each rank
	// reads its share of TrainDir's rows (OpenDatasetShare); rank 0 alone reads TestDir, the
	// scaler and a resumed run's records, and writes to Dir.
	Comm cluster.Comm
}

// TrainDatasets opens the datasets with OpenDataset for the job's classifier and runs Train,
// or Resume when job.Resume is set, holding the model directory's lock (LockFile) from the
// start: a new run that fails before its first epoch completes leaves no model files.
func TrainDatasets(ctx context.Context, job DatasetJob) (_ *modeldir.History, err error) {
	comm := orSingle(job.Comm)
	root := comm.Rank() == 0
	if !root {
		job.Log, job.Progress = nil, nil
	}
	cfg, masked := DataConfig{}, false
	if root {
		var c *claim
		if c, err = claimModelDir(job.Dir); err == nil {
			defer func() {
				if rerr := c.release(err != nil); err == nil {
					err = rerr
				}
			}()
			cfg, masked, err = datasetConfig(job)
		}
	}
	cfg, err = fromRoot(comm, cfg, err)
	if err == nil && comm.Size() > 1 && cfg.BucketByLength {
		err = errors.New("train: length bucketing (--bucket-by-length) trains in one process only: train without --distributed, or without bucketing")
	}
	if err != nil {
		return nil, err
	}
	var valSrc Source
	var scaler json.RawMessage
	trainSrc, err := OpenDatasetShare(ctx, job.TrainDir, cfg, comm.Rank(), comm.Size())
	if root && err == nil {
		scaler, valSrc, err = prepareDatasetRun(ctx, job, comm, cfg, trainSrc)
	}
	if err = agree(comm, err); err != nil {
		return nil, err
	}
	if cfg.BucketByLength {
		trainSrc = NewBucketSource(trainSrc)
	}
	backend := job.Backend
	if backend == nil {
		backend, err = replicaBackend(comm, job.Log, cfg.Kind)
		if err = agree(comm, err); err != nil {
			return nil, err
		}
	}
	j := Job{Dir: job.Dir, Model: job.Model, Options: job.Options, Train: trainSrc, Validation: valSrc,
		Scaler: scaler, MaskPadding: masked, Backend: backend, Progress: job.Progress, Log: job.Log, Hooks: job.Hooks, Comm: comm, dirClaimed: true}
	if job.Resume {
		return Resume(ctx, j)
	}
	return Train(ctx, j)
}

// datasetConfig is how to read the job's datasets: for a resumed run, the kind and the
// particles of its model.json and the way of reading of its data.json. masked says whether
// the classifier reads sequences prepared with padding masking (paddingMasked).
func datasetConfig(job DatasetJob) (_ DataConfig, masked bool, _ error) {
	if !job.Resume {
		masked = models.DefaultConfig(job.Model.Kind).UsesSequence() && paddingMasked(job.TrainDir)
		return DataConfig{Kind: job.Model.Kind, MaxParticles: job.Options.MaxParticles, Truncate: job.Options.Truncation(),
			BucketByLength: job.Options.BucketByLength, ShuffleBuffer: job.ShuffleBuffer, MemoryLimitBytes: job.MemoryLimitBytes}, masked, nil
	}
	info, err := modeldir.ReadInfo(job.Dir)
	if err != nil {
		return DataConfig{}, false, fmt.Errorf("%w (nothing to resume)", err)
	}
	// The recorded way of reading gives the same order as before the interruption.
	rec, recorded := modeldir.ReadDataRecord(job.Dir)
	if recorded != nil && !errors.Is(recorded, os.ErrNotExist) {
		return DataConfig{}, false, recorded
	}
	if err := job.checkRestated(info, rec); err != nil {
		return DataConfig{}, false, err
	}
	masked = info.Model.UsesSequence() && paddingMasked(job.TrainDir)
	if info.Model.UsesSequence() && masked != info.MaskPadding {
		return DataConfig{}, false, fmt.Errorf("train: resume %s: the training data %s was prepared with padding masking %v, the run with %v (%s): the data was prepared again; train into another directory",
			job.Dir, job.TrainDir, masked, info.MaskPadding, filepath.Join(job.Dir, modeldir.ModelFile))
	}
	if recorded == nil {
		job.ShuffleBuffer, job.MemoryLimitBytes = rec.ShuffleBuffer, math.MaxInt64
		if rec.Streamed {
			job.MemoryLimitBytes = -1
		}
	}
	return DataConfig{Kind: info.Model.Kind, MaxParticles: info.Options.MaxParticles, Truncate: info.Options.Truncation(),
		BucketByLength: info.Options.BucketByLength, ShuffleBuffer: job.ShuffleBuffer, MemoryLimitBytes: job.MemoryLimitBytes}, masked, nil
}

// prepareDatasetRun reads the scaler and opens the validation dataset, logs the data and
// records, for a new run, how the training data is read (data.json).
func prepareDatasetRun(ctx context.Context, job DatasetJob, comm cluster.Comm, cfg DataConfig, trainSrc Source) (json.RawMessage, Source, error) {
	scaler, err := readScaler(job.ScalerPath, job.TrainDir)
	if err != nil {
		return nil, nil, err
	}
	valSrc, err := OpenDataset(ctx, job.TestDir, cfg)
	if err != nil {
		return nil, nil, err
	}
	if job.Log != nil {
		share := ""
		if comm.Size() > 1 {
			share = fmt.Sprintf(" in rank 0's share of %d", comm.Size())
		}
		fmt.Fprintf(job.Log, "data: %d training rows%s (%s), %d validation rows (%s)\n",
			trainSrc.Rows(), share, sourceKind(trainSrc), valSrc.Rows(), sourceKind(valSrc))
	}
	if !job.Resume {
		if h, err := modeldir.ReadHistory(job.Dir); err == nil && h.Epochs() == 0 { // else Train refuses the directory
			rec := modeldir.DataRecord{Train: absPath(job.TrainDir), Test: absPath(job.TestDir)}
			if p, ok := trainSrc.(*ParquetSource); ok {
				rec.Streamed, rec.ShuffleBuffer = true, p.ShuffleBuffer()
			}
			if err := os.MkdirAll(job.Dir, 0o755); err != nil {
				return nil, nil, fmt.Errorf("train: create model directory: %w", err)
			}
			if err := modeldir.WriteDataRecord(job.Dir, rec); err != nil {
				return nil, nil, err
			}
		}
	}
	return scaler, valSrc, nil
}

func sourceKind(s Source) string {
	if p, ok := s.(*ParquetSource); ok {
		return fmt.Sprintf("streamed, shuffle buffer %d rows", p.ShuffleBuffer())
	}
	return "in memory"
}

// paddingMasked reports whether the prepared dataset dir records padding masking
// (prep.PaddingMasked); false when it records no preparation (e.g. Spark's datasets).
func paddingMasked(dir string) bool {
	masked, err := prep.PaddingMasked(dir)
	return err == nil && masked
}

// readScaler reads the scaler JSON at path, or at trainDir/../scaler.json when path is ""
// (nil when that file does not exist).
func readScaler(path, trainDir string) (json.RawMessage, error) {
	explicit := path != ""
	if !explicit {
		path = filepath.Join(filepath.Dir(filepath.Clean(trainDir)), spec.ScalerFile)
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && !explicit {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("train: read scaler: %w", err)
	}
	if !json.Valid(data) {
		return nil, fmt.Errorf("train: scaler %s is not valid JSON", path)
	}
	return json.RawMessage(data), nil
}

// ReadScaler reads the scaler JSON at path, or at trainDir/../scaler.json when path is "" (nil
// when that file does not exist), as TrainDatasets stores it in model.json.
func ReadScaler(path, trainDir string) (json.RawMessage, error) { return readScaler(path, trainDir) }

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
