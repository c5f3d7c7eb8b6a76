package models

import "fmt"

// The tree ensembles on the high-level features, trained with XGBoost (package trees) as the
// original's Spark ML notebooks did: gradient-boosted trees and a random forest.
const (
	KindXGBoost Kind = "xgboost" // gradient-boosted trees, multi:softprob
	KindRF      Kind = "rf"      // random forest: XGBoost's random-forest mode (one round of parallel trees)
)

// Tree reports whether the kind is a tree ensemble rather than a network.
func (k Kind) Tree() bool { return k == KindXGBoost || k == KindRF }

// Tree methods XGBoost offers on the CPU.
var treeMethods = []string{"hist", "approx", "exact"}

// TreeConfig is the configuration of a tree ensemble, under XGBoost's parameter names.
type TreeConfig struct {
	MaxDepth int     `json:"max_depth"`
	Eta      float64 `json:"eta"` // learning rate (shrinkage of each round)
	// Rounds is the number of boosting rounds, at most (see EarlyStopping).
	Rounds int `json:"rounds"`
	// NumParallelTree is the number of trees grown per class and round: 1 for boosting, the
	// forest's size for a random forest.
	NumParallelTree int     `json:"num_parallel_tree"`
	Subsample       float64 `json:"subsample"`        // share of the rows each tree sees
	ColsampleByNode float64 `json:"colsample_bynode"` // share of the features each split considers
	// EarlyStopping stops boosting when the test set's mlogloss has not improved for this many
	// rounds and keeps the rounds up to the best one; 0 boosts all Rounds.
	EarlyStopping int    `json:"early_stopping_rounds"`
	TreeMethod    string `json:"tree_method"` // hist, approx or exact
}

// DefaultTreeConfig is the original's setting of each tree kind: XGBoost's defaults as
// SparkXGBClassifier used them (depth 6, eta 0.3, 100 rounds), with early stopping after 10
// rounds without improvement; the random forest of Spark ML (100 trees of depth 10) in
// XGBoost's random-forest mode (eta 1, one round, rows and features subsampled to 0.8).
func DefaultTreeConfig(kind Kind) *TreeConfig {
	switch kind {
	case KindXGBoost:
		return &TreeConfig{MaxDepth: 6, Eta: 0.3, Rounds: 100, NumParallelTree: 1, Subsample: 1, ColsampleByNode: 1,
			EarlyStopping: 10, TreeMethod: "hist"}
	case KindRF:
		return &TreeConfig{MaxDepth: 10, Eta: 1, Rounds: 1, NumParallelTree: 100, Subsample: 0.8, ColsampleByNode: 0.8,
			TreeMethod: "hist"}
	}
	return nil
}

// Validate reports a configuration XGBoost cannot train.
func (c *TreeConfig) Validate() error {
	switch {
	case c == nil:
		return fmt.Errorf("models: tree ensemble without \"trees\" configuration")
	case c.MaxDepth <= 0:
		return fmt.Errorf("models: trees: max_depth must be > 0, got %d", c.MaxDepth)
	case !(c.Eta > 0 && c.Eta <= 1):
		return fmt.Errorf("models: trees: eta must be in (0, 1], got %v", c.Eta)
	case c.Rounds <= 0:
		return fmt.Errorf("models: trees: rounds must be > 0, got %d", c.Rounds)
	case c.NumParallelTree <= 0:
		return fmt.Errorf("models: trees: num_parallel_tree must be > 0, got %d", c.NumParallelTree)
	case !(c.Subsample > 0 && c.Subsample <= 1):
		return fmt.Errorf("models: trees: subsample must be in (0, 1], got %v", c.Subsample)
	case !(c.ColsampleByNode > 0 && c.ColsampleByNode <= 1):
		return fmt.Errorf("models: trees: colsample_bynode must be in (0, 1], got %v", c.ColsampleByNode)
	case c.EarlyStopping < 0:
		return fmt.Errorf("models: trees: early_stopping_rounds must be >= 0, got %d", c.EarlyStopping)
	}
	for _, m := range treeMethods {
		if c.TreeMethod == m {
			return nil
		}
	}
	return fmt.Errorf("models: trees: tree_method %q, want one of %v", c.TreeMethod, treeMethods)
}
