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
