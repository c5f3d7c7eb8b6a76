package train

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
	MaxParticles int     `json:"max_particles,omitempty"` // keep the first S particle rows; 0 keeps all
}

// DefaultOptions are Keras's defaults as the reference used them: Adam(lr 1e-3, beta1 0.9,
// beta2 0.999, epsilon 1e-7), batch 128; 5 epochs, seed 42.
func DefaultOptions() Options {
	return Options{Epochs: 5, BatchSize: 128, Seed: 42, LearningRate: 1e-3, Beta1: 0.9, Beta2: 0.999, Epsilon: 1e-7}
}

// Validate reports settings that cannot train.
func (o Options) Validate() error {
	switch {
	case o.Epochs <= 0:
		return fmt.Errorf("train: epochs must be > 0, got %d", o.Epochs)
	case o.BatchSize <= 0:
		return fmt.Errorf("train: batch size must be > 0, got %d", o.BatchSize)
	case !(o.LearningRate > 0) || math.IsInf(o.LearningRate, 1):
		return fmt.Errorf("train: learning rate must be a finite number > 0, got %v", o.LearningRate)
	case !(o.Beta1 >= 0 && o.Beta1 < 1 && o.Beta2 >= 0 && o.Beta2 < 1):
		return fmt.Errorf("train: Adam betas must be in [0, 1), got %v, %v", o.Beta1, o.Beta2)
	case !(o.Epsilon > 0) || math.IsInf(o.Epsilon, 1):
		return fmt.Errorf("train: Adam epsilon must be a finite number > 0, got %v", o.Epsilon)
	case o.MaxParticles < 0 || o.MaxParticles > models.MaxParticles:
		return fmt.Errorf("train: max particles must be 0 (all) to %d, the particle rows of an event; got %d", models.MaxParticles, o.MaxParticles)
	}
	return nil
}
