package modeldir

import (
	"math"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/models"
)

// TestNonFiniteOptionsAreRejected gives the training options and the classifier numbers
// that are not numbers: each is refused by name before anything is written (model.json
// cannot even encode them).
func TestNonFiniteOptionsAreRejected(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		name string
		edit func(f *OptionsFile)
		says string
	}{
		{"NaN learning rate", func(f *OptionsFile) { f.Options.LearningRate = nan }, "learning rate must be a finite number > 0, got NaN"},
		{"infinite learning rate", func(f *OptionsFile) { f.Options.LearningRate = inf }, "learning rate must be a finite number > 0, got +Inf"},
		{"NaN beta1", func(f *OptionsFile) { f.Options.Beta1 = nan }, "Adam betas must be in [0, 1), got NaN"},
		{"NaN beta2", func(f *OptionsFile) { f.Options.Beta2 = nan }, "Adam betas must be in [0, 1), got 0.9, NaN"},
		{"NaN epsilon", func(f *OptionsFile) { f.Options.Epsilon = nan }, "Adam epsilon must be a finite number > 0, got NaN"},
		{"infinite epsilon", func(f *OptionsFile) { f.Options.Epsilon = inf }, "Adam epsilon must be a finite number > 0, got +Inf"},
		{"NaN dropout", func(f *OptionsFile) { f.Model.Dropout = nan }, "dropout must be in [0, 1), got NaN"},
		{"NaN gradient flush", func(f *OptionsFile) { f.Model.FlushGradBelow = nan }, "flush_grad_below must be >= 0, got NaN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := DefaultOptionsFile(models.KindInclusive)
			tc.edit(f)
			if err := f.Validate(); err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("Validate: %v; want an error containing %q", err, tc.says)
			}
		})
	}
}
