package modeldir

import (
	"github.com/godltrigger/godltrigger/pkg/atomicfile"

	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/godltrigger/godltrigger/pkg/models"
)

// A model directory is self-describing:
//
//	model.json       Info: the classifier's kind and sizes, the training options, the scaler
//	history.json     History: per-epoch loss and accuracy, the checkpoints of the last and the
//	                 best epoch, the state of early stopping and of the learning rate
//	checkpoint/      GoMLX checkpoints (weights, optimizer state, random generator state)
//	checkpoint/best/ the checkpoint of the epoch with the lowest validation loss
const (
	ModelFile     = "model.json"
	HistoryFile   = "history.json"
	CheckpointDir = "checkpoint"
	BestDir       = "best" // in CheckpointDir
	// ModelFormat identifies model.json's layout and the checkpoint's variables: /2 holds the
	// GRU's weights fused in Keras's layout (GoMLX v0.28).
	ModelFormat = "godltrigger-model/2"
	// LegacyModelFormat is a model trained with GoMLX v0.26 (per-gate GRU weights): it loads
	// for inference and export, its GRU weights fused on load, but cannot be resumed.
	LegacyModelFormat = "godltrigger-model/1"
)

// Info is the content of model.json.
type Info struct {
	Format  string        `json:"format"`
	Model   models.Config `json:"model"`
	Options Options       `json:"training"`
	// Scaler holds the feature scaling that the preparation step fitted (min-max ranges of the
	// high-level features), kept verbatim so that inference can apply it to new events.
	Scaler json.RawMessage `json:"scaler,omitempty"`
	// MaskPadding says that the training data's GRU_input was prepared with 'dltrigger prepare
	// --mask-padding' (prep.Options.MaskPadding): inference on raw events prepares them so.
	MaskPadding bool `json:"mask_padding,omitempty"`

	// Checkpoint and Skipped are set where the weights are loaded (Load,
	// ReadWeights): the checkpoint read, the newest complete one, and "NAME: cause" for
	// each newer one skipped as damaged.
	Checkpoint string   `json:"-"`
	Skipped    []string `json:"-"`
}

// History is the content of history.json: one entry per completed epoch.
type History struct {
	Loss        []float64 `json:"loss"`
	Accuracy    []float64 `json:"accuracy"`
	ValLoss     []float64 `json:"val_loss"`
	ValAccuracy []float64 `json:"val_accuracy"`
	// RowsPerSecond is the training throughput of each epoch (not a result: it varies by run).
	RowsPerSecond []float64 `json:"rows_per_second"`
	// Checkpoint is the base name (in checkpoint/) of the state after the last epoch.
	Checkpoint string `json:"checkpoint"`

	// LearningRate is the learning rate each epoch trained with, and NextLearningRate the one
	// the next epoch trains with (also in the checkpoint: Adam's variable).
	LearningRate     []float64 `json:"learning_rate,omitempty"`
	NextLearningRate float64   `json:"next_learning_rate,omitempty"`
	// BestEpoch is the epoch (from 1) with the lowest validation loss, and BestCheckpoint the
	// base name of its checkpoint in checkpoint/best/; 0 and "" before any.
	BestEpoch      int    `json:"best_epoch,omitempty"`
	BestCheckpoint string `json:"best_checkpoint,omitempty"`
	// PlateauWait is the number of epochs since the validation loss improved or the learning
	// rate was reduced, whichever came last (what Options.LRPlateauPatience counts).
	PlateauWait int `json:"plateau_wait,omitempty"`
	// StoppedEpoch is the epoch (from 1) after which early stopping ended the run; 0 when it
	// did not. A stopped run is complete: Resume trains it no further.
	StoppedEpoch int `json:"stopped_epoch,omitempty"`
}

// Epochs is the number of completed epochs.
func (h *History) Epochs() int { return len(h.Loss) }

// ServedEpoch is the epoch (from 1) whose weights a model directory trained with opts serves
// (evaluate, predict, serve, export): the best one with opts.RestoreBest, else the last.
func (h *History) ServedEpoch(opts Options) int {
	if opts.RestoreBest && h.BestEpoch > 0 {
		return h.BestEpoch
	}
	return h.Epochs()
}

// Complete reports whether the run has trained all of its epochs or was stopped early.
func (h *History) Complete(epochs int) bool { return h.Epochs() >= epochs || h.StoppedEpoch > 0 }

// ReadInfo reads dir/model.json.
func ReadInfo(dir string) (*Info, error) {
	var info Info
	if err := readJSON(filepath.Join(dir, ModelFile), &info); err != nil {
		return nil, err
	}
	if info.Format != ModelFormat && info.Format != LegacyModelFormat {
		return nil, fmt.Errorf("modeldir: %s: format %q, want %q", filepath.Join(dir, ModelFile), info.Format, ModelFormat)
	}
	if err := info.Model.Validate(); err != nil {
		return nil, fmt.Errorf("modeldir: %s: %w", filepath.Join(dir, ModelFile), err)
	}
	return &info, nil
}

// Legacy reports a model directory written by an older version (GoMLX v0.26, per-gate GRU
// weights): it serves inference and export, but cannot be resumed.
func (info *Info) Legacy() bool { return info.Format == LegacyModelFormat }

// WriteInfo writes dir/model.json (atomically), creating dir if needed; a new Info
// (empty Format) gets the current format.
func WriteInfo(dir string, info *Info) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("modeldir: create model directory: %w", err)
	}
	if info.Format == "" {
		info.Format = ModelFormat
	}
	return writeJSON(filepath.Join(dir, ModelFile), info)
}

// SetScaler stores the preparation step's scaler (any JSON-encodable value) in dir/model.json.
func SetScaler(dir string, scaler any) error {
	info, err := ReadInfo(dir)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(scaler)
	if err != nil {
		return fmt.Errorf("modeldir: encode scaler for %s: %w", filepath.Join(dir, ModelFile), err)
	}
	info.Scaler = raw
	return WriteInfo(dir, info)
}

// ReadHistory reads dir/history.json; a directory without one has an empty history.
func ReadHistory(dir string) (*History, error) {
	var h History
	err := readJSON(filepath.Join(dir, HistoryFile), &h)
	if errors.Is(err, os.ErrNotExist) {
		return &History{}, nil
	}
	if err != nil {
		return nil, err
	}
	n := len(h.Loss)
	if len(h.Accuracy) != n || len(h.ValLoss) != n || len(h.ValAccuracy) != n || len(h.LearningRate) > n {
		return nil, fmt.Errorf("modeldir: %s: series of different lengths", filepath.Join(dir, HistoryFile))
	}
	if h.BestEpoch < 0 || h.BestEpoch > n || (h.BestEpoch > 0) != (h.BestCheckpoint != "") || h.StoppedEpoch < 0 || h.StoppedEpoch > n {
		return nil, fmt.Errorf("modeldir: %s: best epoch %d (checkpoint %q) or stopped epoch %d outside the %d epochs",
			filepath.Join(dir, HistoryFile), h.BestEpoch, h.BestCheckpoint, h.StoppedEpoch, n)
	}
	return &h, nil
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("modeldir: read %s: %w", path, err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("modeldir: decode %s: %w", path, err)
	}
	return nil
}

// writeJSON writes v to a temporary file next to path and renames it into place.
func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("modeldir: encode %s: %w", path, err)
	}
	if err := atomicfile.WriteFile(path, append(data, '\n')); err != nil {
		return fmt.Errorf("modeldir: %w", err)
	}
	return nil
}

// WriteHistory writes dir/history.json atomically.
func WriteHistory(dir string, h *History) error { return writeJSON(filepath.Join(dir, HistoryFile), h) }

// ReadDataRecord reads dir/data.json (DataFile); a directory without one gives an error
// matching os.ErrNotExist.
func ReadDataRecord(dir string) (DataRecord, error) {
	var rec DataRecord
	err := readJSON(filepath.Join(dir, DataFile), &rec)
	return rec, err
}

// WriteDataRecord writes dir/data.json (DataFile) atomically.
func WriteDataRecord(dir string, rec DataRecord) error {
	return writeJSON(filepath.Join(dir, DataFile), rec)
}

// DataFile, in a model directory, records how train.TrainDatasets read the training data, so that
// a resumed run reads it in the same order.
const DataFile = "data.json"

// DataRecord is the content of DataFile.
type DataRecord struct {
	Train         string `json:"train"`
	Test          string `json:"test"`
	Streamed      bool   `json:"streamed"`                 // a train.ParquetSource, not a MemorySource
	ShuffleBuffer int    `json:"shuffle_buffer,omitempty"` // its buffer rows
}
