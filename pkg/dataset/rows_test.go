package dataset

import (
	"math/rand/v2"

	"github.com/godltrigger/godltrigger/pkg/spec"
)

// eventRow returns a realistic Ingested row: the 801x19 low-level features hold a
// lepton and a few dozen particles per category, the rest being all-zero padding rows
// (as step 1 writes them), and 14 high-level features.
func eventRow(rng *rand.Rand) (hf, lf []float64) {
	hf = make([]float64, spec.NumHLF)
	for i := range hf {
		hf[i] = rng.NormFloat64() * 50
	}
	lf = make([]float64, spec.SequenceLength*spec.NumParticleFeatures)
	fill := func(from, n int) {
		for r := from; r < from+n; r++ {
			row := lf[r*spec.NumParticleFeatures : (r+1)*spec.NumParticleFeatures]
			for j := range 10 {
				row[j] = rng.NormFloat64() * 20
			}
			row[10+rng.IntN(3)] = rng.Float64()
			row[13+rng.IntN(3)] = 1
			row[18] = float64(rng.IntN(3) - 1)
		}
	}
	fill(0, 1)                 // lepton
	fill(1, 20+rng.IntN(100))  // tracks (at most 450)
	fill(451, 10+rng.IntN(40)) // photons (at most 150)
	fill(601, 10+rng.IntN(40)) // neutral hadrons (at most 200)
	return hf, lf
}
