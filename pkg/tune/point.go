package tune

import (
	"fmt"
	"strconv"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
)

// Point is one setting of the searched hyperparameters of the HLF classifier, or of a tree
// ensemble (Trees).
type Point struct {
	BatchSize int    `json:"batch_size"`
	Epochs    int    `json:"epochs"`
	Hidden    [3]int `json:"hidden"` // nh_1, nh_2, nh_3
	// Trees, when set, makes the point a tree ensemble's instead (the fields above are unused).
	Trees TreePoint `json:"trees,omitzero"`
}

// String renders the point as "batch 64 epochs 10 hidden 50-20-10".
func (p Point) String() string {
	if p.isTree() {
		return p.Trees.String()
	}
	return fmt.Sprintf("batch %d epochs %d hidden %d-%d-%d", p.BatchSize, p.Epochs, p.Hidden[0], p.Hidden[1], p.Hidden[2])
}

// Model is the HLF classifier of the point (or its tree ensemble).
func (p Point) Model() models.Config {
	if p.isTree() {
		return p.Trees.model()
	}
	c := models.DefaultConfig(models.KindHLF)
	c.HLFHidden = []int{p.Hidden[0], p.Hidden[1], p.Hidden[2]}
	return c
}

// Options are the training settings of the point: Keras's Adam defaults
// (modeldir.DefaultOptions) with the point's batch size and epochs and the given seed.
func (p Point) Options(seed int64) modeldir.Options {
	o := modeldir.DefaultOptions()
	o.Seed = seed
	if !p.isTree() { // a tree ensemble reads the seed only
		o.BatchSize, o.Epochs = p.BatchSize, p.Epochs
	}
	return o
}

// Setup is what, besides the point, decides a cross-validated score: the number of folds,
// the fraction of the dataset sampled and the seed of the sample, of the fold split and of
// the training (initial weights and data order).
type Setup struct {
	Folds    int     `json:"folds"`
	Fraction float64 `json:"fraction"`
	Seed     int64   `json:"seed"`
}

// DefaultSetup is the published procedure: 5 folds on a 2% sample; seed 42.
func DefaultSetup() Setup { return Setup{Folds: 5, Fraction: 0.02, Seed: 42} }

// Validate reports a setup that cannot run.
func (s Setup) Validate() error {
	switch {
	case s.Folds < 2:
		return fmt.Errorf("tune: need at least 2 folds, got %d", s.Folds)
	case !(s.Fraction > 0 && s.Fraction <= 1):
		return fmt.Errorf("tune: sample fraction must be in (0, 1], got %v", s.Fraction)
	}
	return nil
}

// Key identifies the score of p under s, e.g. "b64-e10-h50.20.10-k5-f0.02-s42". It is stable
// across runs and machines: a rerun skips the points whose key is already in the results.
func Key(p Point, s Setup) string {
	setup := fmt.Sprintf("k%d-f%s-s%d", s.Folds, strconv.FormatFloat(s.Fraction, 'g', -1, 64), s.Seed)
	if p.isTree() {
		return p.Trees.key() + "-" + setup
	}
	return fmt.Sprintf("b%d-e%d-h%d.%d.%d-%s", p.BatchSize, p.Epochs, p.Hidden[0], p.Hidden[1], p.Hidden[2], setup)
}
