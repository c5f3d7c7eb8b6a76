package train

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
//	model.json    ModelInfo: the classifier's kind and sizes, the training options, the scaler
//	history.json  History: per-epoch loss and accuracy, and the checkpoint of the last epoch
//	checkpoint/   GoMLX checkpoints (weights, optimizer state, random generator state)
const (
	ModelFile     = "model.json"
	HistoryFile   = "history.json"
	CheckpointDir = "checkpoint"
	// ModelFormat identifies model.json's layout and the checkpoint's variables: /2 holds the
	// GRU's weights fused in Keras's layout (GoMLX v0.28).
	ModelFormat = "godltrigger-model/2"
	// legacyModelFormat is a model trained with GoMLX v0.26 (per-gate GRU weights): it loads
	// for inference and export, its GRU weights fused on load, but cannot be resumed.
	legacyModelFormat = "godltrigger-model/1"
)

// ModelInfo is the content of model.json.
type ModelInfo struct {
	Format  string        `json:"format"`
	Model   models.Config `json:"model"`
	Options Options       `json:"training"`
	// Scaler holds the feature scaling that the preparation step fitted (min-max ranges of the
	// high-level features), kept verbatim so that inference can apply it to new events.
	Scaler json.RawMessage `json:"scaler,omitempty"`

	// Checkpoint and Skipped are set where the weights are loaded (LoadPredictor,
	// ModelWeights): the checkpoint read, the newest complete one, and "NAME: cause" for
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
}

// Epochs is the number of completed epochs.
func (h *History) Epochs() int { return len(h.Loss) }

// ReadModelInfo reads dir/model.json.
func ReadModelInfo(dir string) (*ModelInfo, error) {
	var info ModelInfo
	if err := readJSON(filepath.Join(dir, ModelFile), &info); err != nil {
		return nil, err
	}
	if info.Format != ModelFormat && info.Format != legacyModelFormat {
		return nil, fmt.Errorf("train: %s: format %q, want %q", filepath.Join(dir, ModelFile), info.Format, ModelFormat)
	}
	if err := info.Model.Validate(); err != nil {
		return nil, fmt.Errorf("train: %s: %w", filepath.Join(dir, ModelFile), err)
	}
	return &info, nil
}

// Legacy reports a model directory written by an older version (GoMLX v0.26, per-gate GRU
// weights): it serves inference and export, but cannot be resumed.
func (info *ModelInfo) Legacy() bool { return info.Format == legacyModelFormat }

// WriteModelInfo writes dir/model.json (atomically), creating dir if needed; a new ModelInfo
// (empty Format) gets the current format.
func WriteModelInfo(dir string, info *ModelInfo) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("train: create model directory: %w", err)
	}
	if info.Format == "" {
		info.Format = ModelFormat
	}
	return writeJSON(filepath.Join(dir, ModelFile), info)
}

// SetScaler stores the preparation step's scaler (any JSON-encodable value) in dir/model.json.
func SetScaler(dir string, scaler any) error {
	info, err := ReadModelInfo(dir)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(scaler)
	if err != nil {
		return fmt.Errorf("train: encode scaler for %s: %w", filepath.Join(dir, ModelFile), err)
	}
	info.Scaler = raw
	return WriteModelInfo(dir, info)
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
	if len(h.Accuracy) != n || len(h.ValLoss) != n || len(h.ValAccuracy) != n {
		return nil, fmt.Errorf("train: %s: series of different lengths", filepath.Join(dir, HistoryFile))
	}
	return &h, nil
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("train: read %s: %w", path, err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("train: decode %s: %w", path, err)
	}
	return nil
}

// writeJSON writes v to a temporary file next to path and renames it into place.
func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("train: encode %s: %w", path, err)
	}
	if err := atomicfile.WriteFile(path, append(data, '\n')); err != nil {
		return fmt.Errorf("train: %w", err)
	}
	return nil
}
