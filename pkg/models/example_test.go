package models_test

import (
	"fmt"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
)

// Logits builds the classifier of each kind on a batch of 2 events: 14 high-level features
// each, and a sequence of 5 particles of 19 features. Every kind returns the logits of the
// 3 classes; the particle classifier reads only the sequence, the HLF one only the features.
func ExampleLogits() {
	backend, _, err := modeldir.NewBackend(nil) // $GOMLX_BACKEND, else the fastest one here
	if err != nil {
		fmt.Println(err)
		return
	}
	const batch, particles = 2, 5
	hlf := make([]float32, batch*models.NumHLF)
	seq := make([]float32, batch*particles*models.NumFeatures)
	for i := range hlf {
		hlf[i] = float32(i%7) / 7
	}
	for i := range seq {
		seq[i] = float32(i%11) / 11
	}

	for _, kind := range []models.Kind{models.KindHLF, models.KindParticle, models.KindInclusive} {
		cfg := models.DefaultConfig(kind)
		store := model.NewStore() // the variables, created with their initial values on first use
		exec, err := model.NewExec(backend, store, func(scope *model.Scope, hlf, seq *graph.Node) *graph.Node {
			return models.Logits(scope.In("model"), cfg, hlf, seq)
		})
		if err != nil {
			fmt.Println(err)
			return
		}
		out, err := exec.Call(tensors.FromFlatDataAndDimensions(hlf, batch, models.NumHLF),
			tensors.FromFlatDataAndDimensions(seq, batch, particles, models.NumFeatures))
		if err != nil {
			fmt.Println(err)
			return
		}
		variables := 0
		for v := range store.IterVariables() {
			if v.Trainable {
				variables++
			}
		}
		fmt.Printf("%-9s logits %v, %d trainable variables\n", kind, out[0].Shape(), variables)
	}
	// Output:
	// hlf       logits (Float32)[2, 3], 8 trainable variables
	// particle  logits (Float32)[2, 3], 6 trainable variables
	// inclusive logits (Float32)[2, 3], 8 trainable variables
}
