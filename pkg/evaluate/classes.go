package evaluate

import (
	"fmt"
	"math"

	"github.com/godltrigger/godltrigger/pkg/models"
)

// Class labels of the three samples (PIPELINE.md, "Classes and input files").
const (
	QCD   = 0 // QCD multijet
	TTbar = 1 // top-quark pair production, the headline trigger selector
	WJets = 2 // W+jets, W -> lepton neutrino
)

// NumClasses is the number of classes of the trigger topology classifier.
const NumClasses = 3

// ClassNames returns the names used as keys in metrics.json and as plot
// labels, indexed by class label: "qcd", "ttbar", "wjets" (models.ClassNames).
func ClassNames() []string { return models.ClassNames() }

// checkPredictions validates a flat row-major probability matrix against
// its labels: len(probs) == len(labels)*nClasses, every label in
// [0, nClasses), no NaN probability.
func checkPredictions(probs []float64, nClasses int, labels []int) error {
	if nClasses < 2 {
		return fmt.Errorf("evaluate: %d classes, need at least 2", nClasses)
	}
	if len(labels) == 0 {
		return fmt.Errorf("evaluate: no events")
	}
	if len(probs) != len(labels)*nClasses {
		return fmt.Errorf("evaluate: %d probabilities for %d events of %d classes, want %d",
			len(probs), len(labels), nClasses, len(labels)*nClasses)
	}
	for i, l := range labels {
		if l < 0 || l >= nClasses {
			return fmt.Errorf("evaluate: event %d: label %d outside [0, %d)", i, l, nClasses)
		}
	}
	for i, p := range probs {
		if math.IsNaN(p) {
			return fmt.Errorf("evaluate: event %d class %d: probability is NaN", i/nClasses, i%nClasses)
		}
	}
	return nil
}

// classNamesFor returns names when it has one entry per class, the default
// names for three classes, and "class0", "class1", ... otherwise.
func classNamesFor(names []string, nClasses int) ([]string, error) {
	if names != nil {
		if len(names) != nClasses {
			return nil, fmt.Errorf("evaluate: %d class names for %d classes", len(names), nClasses)
		}
		return names, nil
	}
	if nClasses == NumClasses {
		return ClassNames(), nil
	}
	out := make([]string, nClasses)
	for i := range out {
		out[i] = fmt.Sprintf("class%d", i)
	}
	return out, nil
}
