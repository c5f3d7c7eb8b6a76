package train

import (
	stdcontext "context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model/checkpoint"
)

// legacyCopy writes into a new directory the model of dir as an older version wrote it:
// model.json of format /1 and the GRU's weights split per gate (kernel_z, kernel_r, ...).
func legacyCopy(t *testing.T, dir string) string {
	t.Helper()
	info, store, err := modeldir.LoadStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	scope := "/" + modeldir.ModelScope + "/gru/"
	for _, name := range []string{"kernel", "recurrent_kernel", "bias", "recurrent_bias"} {
		v := store.GetVariable(scope + name)
		x := v.MustValue()
		dims := x.Shape().Dimensions
		cols := dims[len(dims)-1] / 3
		rows := x.Shape().Size() / dims[len(dims)-1]
		flat := tensors.MustCopyFlatData[float32](x)
		for g, gate := range []string{"z", "r", "h"} {
			var part []float32
			for r := 0; r < rows; r++ {
				part = append(part, flat[r*3*cols+g*cols:r*3*cols+(g+1)*cols]...)
			}
			gdims := slices.Clone(dims)
			gdims[len(gdims)-1] = cols
			if _, err := store.CreateVariable(scope+name+"_"+gate, tensors.FromFlatDataAndDimensions(part, gdims...)); err != nil {
				t.Fatal(err)
			}
		}
		if err := store.DeleteVariable(scope + name); err != nil {
			t.Fatal(err)
		}
	}
	legacy := t.TempDir()
	h, err := checkpoint.Build(store).Dir(filepath.Join(legacy, modeldir.CheckpointDir)).Done()
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Save(); err != nil {
		t.Fatal(err)
	}
	info.Format = modeldir.LegacyModelFormat
	if err := modeldir.WriteInfo(legacy, info); err != nil {
		t.Fatal(err)
	}
	hist, err := modeldir.ReadHistory(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := modeldir.WriteHistory(legacy, hist); err != nil {
		t.Fatal(err)
	}
	return legacy
}

// TestLegacyModelDirectory checks that a model directory of the previous version (per-gate GRU
// weights) still predicts, with the same probabilities, and refuses to be resumed with a
// message that says why.
func TestLegacyModelDirectory(t *testing.T) {
	dir, valData := smallInclusive(t)
	trainData := blobs(20, 4, 5)
	tr, va := sources(t, trainData, valData)
	legacy := legacyCopy(t, dir)
	if _, store, err := modeldir.LoadStore(legacy); err != nil {
		t.Fatal(err)
	} else if store.GetVariable("/model/gru/kernel_z") != nil || store.GetVariable("/model/gru/kernel") == nil {
		t.Fatal("legacy GRU variables not fused on load")
	}
	want, err := modeldir.Predict(dir, testBackend, valData)
	if err != nil {
		t.Fatal(err)
	}
	got, err := modeldir.Predict(legacy, testBackend, valData)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Fatal("the legacy directory predicts other probabilities")
	}
	_, err = Resume(stdcontext.Background(), Job{Dir: legacy, Train: tr, Validation: va, Backend: testBackend})
	if err == nil || !strings.Contains(err.Error(), "cannot be resumed") {
		t.Fatalf("resuming a legacy directory: %v", err)
	}
	if _, err := os.Stat(filepath.Join(legacy, modeldir.ModelFile)); err != nil {
		t.Fatal(err)
	}
}
