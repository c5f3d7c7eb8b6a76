package prep_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/features"
	"github.com/godltrigger/godltrigger/pkg/prep"
)

// The per-event transform must give, bit for bit, what Run writes for the same rows.
func TestEventTransformEqualsRun(t *testing.T) {
	in := ingested(t)
	out := t.TempDir()
	if _, err := prep.Run(context.Background(), prep.Options{In: in, Out: out, Seed: 42, Logf: t.Logf}); err != nil {
		t.Fatal(err)
	}
	scaler, err := prep.LoadMinMax(filepath.Join(out, prep.ScalerFile))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := prep.NewEventTransform(scaler)
	if err != nil {
		t.Fatal(err)
	}
	hlf := make([]float64, features.NumHLF)
	gru := make([]float64, features.NumParticles*features.NumColumns)
	for _, name := range []string{prep.TrainFull, prep.TestFull} {
		t.Run(name, func(t *testing.T) {
			r, err := dataset.Open(filepath.Join(out, name))
			if err != nil {
				t.Fatal(err)
			}
			rows := 0
			err = r.Scan(context.Background(), dataset.Full(), 0, func(b *dataset.Batch) error {
				for i := 0; i < b.Rows; i++ {
					tr.HLFInput(hlf, b.RowFloat64s("hfeatures", i))
					tr.GRUInput(gru, b.RowFloat64s("lfeatures", i))
					for k, v := range b.RowFloat64s("HLF_input", i) {
						if hlf[k] != v {
							t.Fatalf("row %d: HLF_input[%d] = %v, per-event transform gives %v", rows, k, v, hlf[k])
						}
					}
					for k, v := range b.RowFloat64s("GRU_input", i) {
						if gru[k] != v {
							t.Fatalf("row %d: GRU_input[%d] = %v, per-event transform gives %v", rows, k, v, gru[k])
						}
					}
					rows++
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if rows == 0 {
				t.Fatal("no rows compared")
			}
		})
	}
}

func TestNewEventTransformRejectsWrongScaler(t *testing.T) {
	if _, err := prep.NewEventTransform(prep.NewMinMax(3)); err == nil {
		t.Fatal("a scaler of 3 features was accepted")
	}
	if _, err := prep.NewEventTransform(nil); err != nil {
		t.Fatalf("nil scaler (GRU input only): %v", err)
	}
}
