package spec_test

import (
	"fmt"

	"github.com/godltrigger/godltrigger/pkg/spec"
)

// The shapes of an event's features and the name of the headline selector's class.
func Example() {
	fmt.Printf("%s: %d x %d\n", spec.ColumnGRUInput, spec.SequenceLength, spec.NumParticleFeatures)
	fmt.Printf("%s: %d %v\n", spec.ColumnHLFInput, spec.NumHLF, spec.HLF[:4])
	fmt.Printf("%s: %d %v\n", spec.ColumnEncodedLabel, spec.NumClasses, spec.Classes)
	fmt.Printf("%s selector AUC of the inclusive classifier: %.4f\n", spec.Classes[spec.TTbar], spec.ReferenceAUCInclusive)
	// Output:
	// GRU_input: 801 x 19
	// HLF_input: 14 [HT MET PhiMET MT]
	// encoded_label: 3 [qcd ttbar wjets]
	// ttbar selector AUC of the inclusive classifier: 0.9929
}
