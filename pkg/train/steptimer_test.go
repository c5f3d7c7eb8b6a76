package train

import (
	"reflect"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
)

func TestSyntheticDataDeterministicAndPadded(t *testing.T) {
	a, b := SyntheticData(16, 8, 3), SyntheticData(16, 8, 3)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed, different data")
	}
	if reflect.DeepEqual(a, SyntheticData(16, 8, 4)) {
		t.Fatal("different seeds, same data")
	}
	if len(a.HLF) != 16*models.NumHLF || len(a.Seq) != 16*8*models.NumFeatures || len(a.Labels) != 16 {
		t.Fatalf("sizes %d %d %d", len(a.HLF), len(a.Seq), len(a.Labels))
	}
	// Every sequence keeps at least 8/4 = 2 real steps; anything after the true length is zero.
	for i := 0; i < 16; i++ {
		seq := a.Seq[i*8*models.NumFeatures : (i+1)*8*models.NumFeatures]
		if seq[0] == 0 && seq[1] == 0 {
			t.Fatalf("row %d: first step is padding", i)
		}
		padded := false
		for s := 0; s < 8; s++ {
			zero := true
			for _, v := range seq[s*models.NumFeatures : (s+1)*models.NumFeatures] {
				zero = zero && v == 0
			}
			if padded && !zero {
				t.Fatalf("row %d: step %d holds values after padding", i, s)
			}
			padded = padded || zero
		}
	}
}

func TestStepTimerRunsSteps(t *testing.T) {
	cfg := models.DefaultConfig(models.KindParticle)
	cfg.FlushGradBelow = 0
	st, err := NewStepTimer(testBackend, cfg, modeldir.DefaultOptions(), SyntheticData(8, 4, 1))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if st.Rows != 8 {
		t.Fatalf("rows %d, want 8", st.Rows)
	}
	for i := 0; i < 2; i++ {
		if err := st.Step(); err != nil {
			t.Fatal(err)
		}
	}
}
