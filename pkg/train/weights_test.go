package train

import (
	stdcontext "context"
	"maps"
	"slices"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
)

// smallInclusive trains a small inclusive classifier (GRU 4, dense 3) for one epoch into a new
// directory and returns it with its validation rows.
func smallInclusive(t *testing.T) (dir string, val modeldir.Data) {
	t.Helper()
	trainData, valData := blobs(20, 4, 5), blobs(5, 4, 6)
	cfg := models.DefaultConfig(models.KindInclusive)
	cfg.GRUUnits, cfg.InclusiveHidden = 4, 3
	opts := modeldir.DefaultOptions()
	opts.Epochs, opts.BatchSize = 1, 30
	dir = t.TempDir()
	tr, va := sources(t, trainData, valData)
	if _, err := Train(stdcontext.Background(), Job{Dir: dir, Model: cfg, Options: opts, Train: tr, Validation: va, Backend: testBackend}); err != nil {
		t.Fatal(err)
	}
	return dir, valData
}

func TestReadWeightsAreTheCheckpointsModelVariables(t *testing.T) {
	dir, _ := smallInclusive(t)
	info, w, err := modeldir.ReadWeights(dir)
	if err != nil {
		t.Fatal(err)
	}
	if info.Model.GRUUnits != 4 {
		t.Errorf("model.json: %+v", info.Model)
	}
	want := []string{"/gru/kernel", "/gru/recurrent_kernel", "/gru/bias", "/gru/recurrent_bias", "/dense_0/weights", "/dense_0/biases", "/output/weights", "/output/biases"}
	slices.Sort(want)
	if got := slices.Sorted(maps.Keys(w)); !slices.Equal(got, want) {
		t.Fatalf("variables %v, want %v", got, want)
	}
	for _, tc := range []struct {
		key  string
		dims []int
	}{
		{"/gru/kernel", []int{models.NumFeatures, 12}}, {"/gru/recurrent_kernel", []int{4, 12}}, {"/gru/bias", []int{12}},
		{"/dense_0/weights", []int{4 + models.NumHLF, 3}}, {"/output/biases", []int{models.NumClasses}},
	} {
		t.Run(tc.key, func(t *testing.T) {
			if !slices.Equal(w[tc.key].Dims, tc.dims) {
				t.Errorf("dims %v, want %v", w[tc.key].Dims, tc.dims)
			}
		})
	}
	all := checkpointValues(t, dir)
	for key, v := range w {
		saved := all["/"+modeldir.ModelScope+key]
		if len(saved) != len(v.Values) {
			t.Fatalf("%s: %d values, checkpoint has %d", key, len(v.Values), len(saved))
		}
		for i := range saved {
			if float32(saved[i]) != v.Values[i] {
				t.Fatalf("%s[%d] = %v, checkpoint %v", key, i, v.Values[i], saved[i])
			}
		}
	}
	if _, _, err := modeldir.ReadWeights(t.TempDir()); err == nil {
		t.Error("ReadWeights of an empty directory succeeded")
	}
}
