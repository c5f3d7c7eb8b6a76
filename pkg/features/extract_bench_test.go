package features_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/godltrigger/godltrigger/pkg/delphes"
	"github.com/godltrigger/godltrigger/pkg/features"
	"github.com/godltrigger/godltrigger/pkg/features/featurestest"
)

// selectedEvents returns n random typical events (~300 tracks, ~60 photons, ~60 neutral
// hadrons) that pass the selection, so that every one costs the full feature computation.
func selectedEvents(n int) []*delphes.Event {
	rng := rand.New(rand.NewPCG(9, 9))
	x := features.NewExtractor(features.Options{})
	l := make([]float64, features.NumParticles*features.NumColumns)
	h := make([]float64, features.NumHLF)
	var evs []*delphes.Event
	for len(evs) < n {
		ev := featurestest.RandomEvent(rng, featurestest.Typical)
		if x.Extract(ev, l, h) == features.Selected {
			evs = append(evs, ev)
		}
	}
	return evs
}

// BenchmarkExtract reports Extract's events/s on one core for selected typical events, and
// its speed-up over the naive transcription of the original (featurestest.Reference),
// timed on the same events in the same run.
func BenchmarkExtract(b *testing.B) {
	evs := selectedEvents(64)
	x := features.NewExtractor(features.Options{})
	l := make([]float64, features.NumParticles*features.NumColumns)
	h := make([]float64, features.NumHLF)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		x.Extract(evs[i%len(evs)], l, h)
	}
	fast := time.Since(start) / time.Duration(b.N)
	b.StopTimer()
	t0 := time.Now()
	const naive = 16
	for i := 0; i < naive; i++ {
		featurestest.Reference(evs[i], features.Options{})
	}
	slow := time.Since(t0) / naive
	b.ReportMetric(float64(time.Second)/float64(fast), "events/s")
	b.ReportMetric(float64(slow)/float64(fast), "speedup-vs-naive")
}
