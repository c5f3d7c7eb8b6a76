package modeldir

import (
	"fmt"
	"math"

	"github.com/godltrigger/godltrigger/pkg/models"
)

// Options are the training settings saved in model.json.
type Options struct {
	Epochs       int     `json:"epochs"`
	BatchSize    int     `json:"batch_size"`
	Seed         int64   `json:"seed"`                    // initial weights, dropout and data order
	LearningRate float64 `json:"learning_rate"`           // Adam
	Beta1        float64 `json:"beta1"`                   // Adam
	Beta2        float64 `json:"beta2"`                   // Adam
	Epsilon      float64 `json:"epsilon"`                 // Adam
	MaxParticles int     `json:"max_particles,omitempty"` // particle rows kept (see Truncate); 0 keeps all
	// Truncate says which MaxParticles rows are kept: the last ones, nearest the lepton (new
	// runs), or the first ones (model directories written before it was recorded: empty).
	Truncate models.Truncation `json:"truncate,omitempty"`
	// BucketByLength groups the training rows by real particle count into batches trimmed of
	// their padding rows (NewBucketSource), so that a step costs what its real particles cost.
	// Exact for the GRU classifiers, which mask all-zero rows; DatasetJob allows it only on
	// datasets prepared with 'dltrigger prepare --mask-padding' and trains one process only.
	BucketByLength bool `json:"bucket_by_length,omitempty"`

	// Controls of a long training, as Keras's callbacks (package train applies them). An epoch improves
	// when its validation loss is lower than every earlier one; the checkpoint of the best
	// epoch is always kept besides the last.

	// EarlyStoppingPatience > 0 ends the run after that many epochs in a row without
	// improvement (EarlyStopping(monitor="val_loss", patience)); 0 trains every epoch.
	EarlyStoppingPatience int `json:"early_stopping_patience,omitempty"`
	// RestoreBest makes the model directory serve the weights of the best epoch
	// (restore_best_weights): evaluate, predict, serve and export load its checkpoint. A
	// resumed run continues from the last epoch's state.
	RestoreBest bool `json:"restore_best,omitempty"`
	// LRPlateauPatience > 0 multiplies the learning rate by LRPlateauFactor after that many
	// epochs without improvement, not below MinLR, then waits as long again
	// (ReduceLROnPlateau(monitor="val_loss", factor, patience, min_lr)); 0 keeps it.
	LRPlateauPatience int     `json:"lr_plateau_patience,omitempty"`
	LRPlateauFactor   float64 `json:"lr_plateau_factor,omitempty"`
	MinLR             float64 `json:"min_lr,omitempty"`
}

// DefaultOptions are Keras's defaults as the reference used them: Adam(lr 1e-3, beta1 0.9,
// beta2 0.999, epsilon 1e-7), batch 128; 5 epochs, seed 42.
// A truncated sequence keeps the particles nearest the lepton. Early stopping and the
// reduction of the learning rate are off; when switched on, the factor is Keras's 0.1.
func DefaultOptions() Options {
	return Options{Epochs: 5, BatchSize: 128, Seed: 42, LearningRate: 1e-3, Beta1: 0.9, Beta2: 0.999, Epsilon: 1e-7,
		Truncate: models.TruncateLast, LRPlateauFactor: 0.1}
}

// Truncation is the truncation the options read: Truncate, or TruncateFirst when it is not
// recorded (model directories written before it was).
func (o Options) Truncation() models.Truncation {
	if o.Truncate == "" {
		return models.TruncateFirst
	}
	return o.Truncate
}

// Validate reports settings that cannot train.
func (o Options) Validate() error {
	switch {
	case o.Epochs <= 0:
		return fmt.Errorf("modeldir: epochs must be > 0, got %d", o.Epochs)
	case o.BatchSize <= 0:
		return fmt.Errorf("modeldir: batch size must be > 0, got %d", o.BatchSize)
	case !(o.LearningRate > 0) || math.IsInf(o.LearningRate, 1):
		return fmt.Errorf("modeldir: learning rate must be a finite number > 0, got %v", o.LearningRate)
	case !(o.Beta1 >= 0 && o.Beta1 < 1 && o.Beta2 >= 0 && o.Beta2 < 1):
		return fmt.Errorf("modeldir: Adam betas must be in [0, 1), got %v, %v", o.Beta1, o.Beta2)
	case !(o.Epsilon > 0) || math.IsInf(o.Epsilon, 1):
		return fmt.Errorf("modeldir: Adam epsilon must be a finite number > 0, got %v", o.Epsilon)
	case o.MaxParticles < 0 || o.MaxParticles > models.MaxParticles:
		return fmt.Errorf("modeldir: max particles must be 0 (all) to %d, the particle rows of an event; got %d", models.MaxParticles, o.MaxParticles)
	}
	switch {
	case o.EarlyStoppingPatience < 0:
		return fmt.Errorf("modeldir: early stopping patience must be >= 0 (0: off), got %d", o.EarlyStoppingPatience)
	case o.LRPlateauPatience < 0:
		return fmt.Errorf("modeldir: learning-rate plateau patience must be >= 0 (0: off), got %d", o.LRPlateauPatience)
	case o.LRPlateauPatience > 0 && (o.LRPlateauFactor <= 0 || o.LRPlateauFactor >= 1):
		return fmt.Errorf("modeldir: learning-rate plateau factor must be in (0, 1), got %v", o.LRPlateauFactor)
	case o.MinLR < 0 || o.MinLR > o.LearningRate:
		return fmt.Errorf("modeldir: min learning rate must be in [0, %v] (the learning rate), got %v", o.LearningRate, o.MinLR)
	}
	if err := o.Truncate.Validate(); err != nil {
		return fmt.Errorf("modeldir: %w", err)
	}
	return nil
}
