package features_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/features"
	"github.com/godltrigger/godltrigger/pkg/features/featurestest"
)

// TestExtractMatchesReference runs Extract and the naive transcription of the original
// (featurestest.Reference) on random events, in both variants, and requires the same
// outcome and the same values: within 1e-9, and in fact bit for bit.
func TestExtractMatchesReference(t *testing.T) {
	events := 300
	if testing.Short() {
		events = 60
	}
	for _, opts := range []features.Options{{}, {FixQuirks: true}} {
		t.Run(map[bool]string{false: "original", true: "fixed"}[opts.FixQuirks], func(t *testing.T) {
			rng := rand.New(rand.NewPCG(2024, 801))
			x := features.NewExtractor(opts)
			l := make([]float64, features.NumParticles*features.NumColumns)
			h := make([]float64, features.NumHLF)
			var counts [features.NumOutcomes]int
			for i := 0; i < events; i++ {
				m := featurestest.Typical
				if i%10 == 9 { // beyond the 450/150/200 caps
					m = featurestest.Multiplicity{Tracks: 800, Photons: 250, Neutrals: 300}
				}
				ev := featurestest.RandomEvent(rng, m)
				got := x.Extract(ev, l, h)
				wl, wh, want := featurestest.ReferenceOutcome(ev, opts)
				counts[got]++
				if got != want {
					t.Fatalf("event %d: Extract says %v, reference %v", i, got, want)
				}
				if got != features.Selected {
					continue
				}
				compare(t, i, "lfeatures", l, wl, features.NumColumns)
				compare(t, i, "hfeatures", h, wh, features.NumHLF)
			}
			t.Logf("outcomes over %d events: %v", events, counts)
			for _, o := range []features.Outcome{features.Selected, features.DroppedNoLeptonCandidate, features.DroppedNoIsolatedLepton} {
				if counts[o] == 0 {
					t.Errorf("no random event ended %q: the generator misses a rule", o)
				}
			}
		})
	}
}

func compare(t *testing.T, event int, what string, got, want []float64, cols int) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("event %d: %s has %d values, reference %d", event, what, len(got), len(want))
	}
	for k := range got {
		g, w := got[k], want[k]
		if math.Abs(g-w) >= 1e-9 || math.Float64bits(g) != math.Float64bits(w) && !(g == 0 && w == 0) {
			t.Fatalf("event %d: %s[%d] (row %d, column %d) = %v, reference %v", event, what, k, k/cols, k%cols, g, w)
		}
	}
}
