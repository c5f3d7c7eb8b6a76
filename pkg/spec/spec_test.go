package spec

import "testing"

// TestTables checks the tables against PIPELINE.md's numbers and that no entry is missing
// (an empty name) or repeated.
func TestTables(t *testing.T) {
	tables := []struct {
		name  string
		names []string
		want  int
	}{
		{"HLF", HLF[:], 14},
		{"Particle", Particle[:], 19},
		{"Classes", Classes[:], 3},
	}
	for _, tc := range tables {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.names) != tc.want {
				t.Errorf("%d names, PIPELINE.md has %d", len(tc.names), tc.want)
			}
			seen := map[string]int{}
			for i, n := range tc.names {
				if n == "" {
					t.Errorf("entry %d has no name", i)
				}
				if j, ok := seen[n]; ok {
					t.Errorf("%q is entry %d and %d", n, j, i)
				}
				seen[n] = i
			}
		})
	}
	if SequenceLength != 801 {
		t.Errorf("SequenceLength = %d, PIPELINE.md has 801 rows", SequenceLength)
	}
	if Classes[TTbar] != "ttbar" || Classes[QCD] != "qcd" || Classes[WJets] != "wjets" {
		t.Errorf("labels out of order: %v", Classes)
	}
	if !(ReferenceAUCHLF < ReferenceAUCParticle && ReferenceAUCParticle < ReferenceAUCInclusive) {
		t.Errorf("reference AUCs %v, %v, %v: not the paper's ordering", ReferenceAUCHLF, ReferenceAUCParticle, ReferenceAUCInclusive)
	}
}

// TestOriginalVariants checks that the original's variants quote the reference AUCs and list
// an AUC per class.
func TestOriginalVariants(t *testing.T) {
	for _, v := range []Variant{OriginalInclusiveGRU, OriginalInclusiveLSTM, OriginalInclusiveTransformer} {
		for c, auc := range v.AUC {
			if !(auc > 0.99 && auc < 1) {
				t.Errorf("%s: AUC of %s %v, want the published value", v.Name, Classes[c], auc)
			}
		}
		if v.Parameters <= 0 || !(v.Accuracy > 0.9 && v.Accuracy < 1) {
			t.Errorf("%s: %d parameters, accuracy %v", v.Name, v.Parameters, v.Accuracy)
		}
	}
	if OriginalInclusiveLSTM.AUC[TTbar] != ReferenceAUCInclusiveLSTM || OriginalInclusiveTransformer.AUC[TTbar] != ReferenceAUCInclusiveTransformer {
		t.Error("the variants' ttbar AUCs differ from the reference constants")
	}
}
