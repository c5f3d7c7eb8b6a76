package train

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/godltrigger/godltrigger/pkg/dataset"
)

// Keys of the provenance that PredictDataset writes into its output's key-value metadata: the
// model directory and what it is (model.json's classifier configuration and training options),
// the predicted dataset, and the feature specification of that dataset's rows (carried over from
// its files' own metadata; "unknown" when they carry none).
const (
	MetaProducer    = "dltrigger.producer"
	MetaModelDir    = "dltrigger.model_dir"
	MetaModel       = "dltrigger.model"
	MetaTraining    = "dltrigger.training"
	MetaInput       = "dltrigger.input"
	MetaFeatureSpec = "dltrigger.feature_spec"
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
	spec := map[string]bool{}
	for _, f := range in.Files() {
		if v, ok := f.Metadata()[MetaFeatureSpec]; ok {
			spec[v] = true
		}
	}
	specs := make([]string, 0, len(spec))
	for v := range spec {
		specs = append(specs, v)
	}
	sort.Strings(specs)
	if len(specs) == 0 {
		specs = []string{"unknown"}
	}
	return map[string]string{
		MetaProducer:    "dltrigger predict",
		MetaModelDir:    absPath(modelDir),
		MetaModel:       string(model),
		MetaTraining:    string(training),
		MetaInput:       absPath(in.Path()),
		MetaFeatureSpec: strings.Join(specs, ","),
	}, nil
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
