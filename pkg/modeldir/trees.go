package modeldir

import (
	"fmt"
	"path/filepath"

	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/xgboost"
)

// TreeModelFile is, in the directory of a tree ensemble (models.KindXGBoost, models.KindRF),
// the model in XGBoost's own JSON format, holding the trees of the rounds kept. The directory
// also holds model.json (the kind and its models.TreeConfig, Options.Seed, the scaler),
// history.json (per-round mlogloss and accuracy on the training and test sets) and data.json;
// it has no checkpoint/. Package trees writes it.
const TreeModelFile = "xgboost.json"

// ProbabilityModel maps rows of model inputs to class probabilities: what a Predictor runs,
// chosen by the kind recorded in model.json. The networks run GoMLX graphs; the tree ensembles
// run XGBoost (treeModel).
type ProbabilityModel interface {
	// Predict returns the class probabilities [N, 3], row-major, of the N rows of d.
	Predict(d Data) ([]float32, error)
	Close()
}

// treeModel predicts with the XGBoost model of a tree ensemble's directory.
type treeModel struct {
	cfg     models.Config
	booster *xgboost.Booster
}

// loadTreeModel loads dir's TreeModelFile (a binary built without -tags xgboost says so).
func loadTreeModel(dir string, info *Info) (ProbabilityModel, error) {
	b, err := xgboost.LoadBooster(filepath.Join(dir, TreeModelFile))
	if err != nil {
		return nil, fmt.Errorf("modeldir: %s model %s: %w", info.Model.Kind, dir, err)
	}
	return &treeModel{cfg: info.Model, booster: b}, nil
}

// Predict returns XGBoost's probabilities of the high-level features of d.
func (m *treeModel) Predict(d Data) ([]float32, error) {
	n, err := rowCount(m.cfg, d)
	if err != nil {
		return nil, err
	}
	dm, err := xgboost.NewDMatrix(d.HLF, n, models.NumHLF)
	if err != nil {
		return nil, fmt.Errorf("modeldir: predict: %w", err)
	}
	defer dm.Close()
	probs, shape, err := m.booster.Predict(dm, 0)
	if err != nil {
		return nil, fmt.Errorf("modeldir: predict: %w", err)
	}
	if len(shape) != 2 || shape[0] != n || shape[1] != models.NumClasses {
		return nil, fmt.Errorf("modeldir: predict: XGBoost answered shape %v for %d rows, want [%d %d] (not a %d-class multi:softprob model?)",
			shape, n, n, models.NumClasses, models.NumClasses)
	}
	return probs, nil
}

func (m *treeModel) Close() { m.booster.Close() }
