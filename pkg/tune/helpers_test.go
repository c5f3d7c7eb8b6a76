package tune

import (
	"math/rand/v2"
	"os"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
)

func TestMain(m *testing.M) {
	if os.Getenv("GOMLX_BACKEND") == "" {
		os.Setenv("GOMLX_BACKEND", "go")
	}
	if out := os.Getenv(lockChildEnv); out != "" {
		os.Exit(searchUntilKilled(out))
	}
	os.Exit(m.Run())
}

// blobs makes n rows per class of high-level features around one Gaussian centre per class,
// overlapping enough that the ttbar AUC stays below 1 and differs between models.
func blobs(n int, seed uint64) modeldir.Data {
	rng := rand.New(rand.NewPCG(seed, 7))
	centre := rand.New(rand.NewPCG(99, 1))
	var centres [models.NumClasses][models.NumHLF]float64
	for c := range centres {
		for f := range centres[c] {
			centres[c][f] = 0.4 * centre.NormFloat64()
		}
	}
	var d modeldir.Data
	for i := 0; i < n*models.NumClasses; i++ {
		c := i % models.NumClasses
		d.Labels = append(d.Labels, c)
		for f := 0; f < models.NumHLF; f++ {
			d.HLF = append(d.HLF, float32(centres[c][f]+rng.NormFloat64()))
		}
	}
	return d
}

// smallGrid has 8 points of one or two epochs.
func smallGrid() Grid {
	return Grid{BatchSize: []int{16, 32}, Epochs: []int{1, 2}, NH1: []int{8, 12}, NH2: []int{6}, NH3: []int{4}}
}

// tinySetup is 3 folds of the whole (tiny) data set.
func tinySetup() Setup { return Setup{Folds: 3, Fraction: 1, Seed: 7} }

func mustRun(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
