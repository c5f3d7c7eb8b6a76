package train

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/godltrigger/godltrigger/pkg/dataset"
)

// Keys of the provenance that PredictDataset writes into its output's key-value metadata, beside
// dataset's MetaProducer, MetaInput (the predicted dataset) and MetaFeatureSpec (carried over
// from that dataset's files; "unknown" when they carry none): the model directory and what it
// is (model.json's classifier configuration and training options).
const (
	MetaModelDir = "dltrigger.model_dir"
	MetaModel    = "dltrigger.model"    // JSON: models.Config
	MetaTraining = "dltrigger.training" // JSON: Options
)

// predictionProvenance is the key-value metadata of a prediction file.
func predictionProvenance(modelDir string, info *ModelInfo, in *dataset.Reader) (map[string]string, error) {
	model, err := json.Marshal(info.Model)
	if err != nil {
		return nil, fmt.Errorf("train: provenance: %w", err)
	}
	training, err := json.Marshal(info.Options)
	if err != nil {
		return nil, fmt.Errorf("train: provenance: %w", err)
	}
	specs := in.MetadataValues(dataset.MetaFeatureSpec)
	if len(specs) == 0 {
		specs = []string{"unknown"}
	}
	return map[string]string{
		dataset.MetaProducer:    "dltrigger predict",
		MetaModelDir:            absPath(modelDir),
		MetaModel:               string(model),
		MetaTraining:            string(training),
		dataset.MetaInput:       absPath(in.Path()),
		dataset.MetaFeatureSpec: strings.Join(specs, ","),
	}, nil
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
