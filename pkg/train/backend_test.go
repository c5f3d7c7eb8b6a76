package train

import (
	"testing"

	"github.com/godltrigger/godltrigger/pkg/models"
)

// TestHLFGetsSequentialGoBackend checks that a single process training the HLF network on
// the default Go backend runs it with ops_sequential, and the GRU classifiers without; and the
// replacements of the backend for the ranks of a distributed run.
func TestHLFGetsSequentialGoBackend(t *testing.T) {
	for _, tc := range []struct {
		name, family string
		dist         bool
		kind         models.Kind
		envSet       bool
		cores        int
		want         string
	}{
		{"hlf", "Go AVX-512", false, models.KindHLF, false, 2, hlfGoConfig},
		{"particle", "Go AVX-512", false, models.KindParticle, false, 2, ""},
		{"hlf-env", "Go AVX-512", false, models.KindHLF, true, 2, ""},
		{"hlf-ort", "ORT CPU 1.30.0", false, models.KindHLF, false, 2, ""},
		{"rank-ort", "ORT CPU 1.30.0", true, models.KindParticle, true, 2, "go"},
		{"rank-ort-shared", "ORT CPU 1.30.0", true, models.KindHLF, false, 1, singleThreadedConfig},
		{"rank-go-shared", "Go AVX-512", true, models.KindHLF, false, 1, singleThreadedConfig},
		{"rank-go-own-cores", "Go AVX-512", true, models.KindHLF, false, 2, ""},
		{"rank-xla", "XLA CUDA", true, models.KindInclusive, false, 1, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			config, why := backendOverride(tc.family, tc.dist, tc.kind, tc.envSet, tc.cores)
			if config != tc.want || (config != "") != (why != "") {
				t.Errorf("override %q (%s), want %q", config, why, tc.want)
			}
		})
	}
}
