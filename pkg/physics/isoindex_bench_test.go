package physics

import (
	"math/rand/v2"
	"testing"
	"time"
)

// isoWorkload is one event's isolation work: maps of 300 tracks, 60 photons and 60 neutral
// hadrons, and the three isolations of each of their particles.
type isoWorkload struct {
	maps      [3]IsoMap
	idx       [3]IsoIndex
	particles []FourVector
}

func newIsoWorkload() *isoWorkload {
	rng := rand.New(rand.NewPCG(3, 5))
	w := &isoWorkload{}
	for k, n := range []int{300, 60, 60} {
		randomMap(rng, &w.maps[k], n)
		for i := 0; i < n; i++ {
			w.particles = append(w.particles, NewMassless(w.maps[k].Pt[i], w.maps[k].Eta[i], w.maps[k].Phi[i]))
		}
	}
	return w
}

func (w *isoWorkload) loop(buf []float64) float64 {
	s := 0.0
	for _, p := range w.particles {
		pt, eta, phi := p.Pt(), p.Eta(), p.Phi()
		s += pfisoLoop(pt, eta, phi, ConeR, &w.maps[0], true, PhiQuirk, buf)
		s += pfisoLoop(pt, eta, phi, ConeR, &w.maps[1], false, PhiQuirk, buf)
		s += pfisoLoop(pt, eta, phi, ConeR, &w.maps[2], false, PhiQuirk, buf)
	}
	return s
}

func (w *isoWorkload) index() float64 {
	for k := range w.maps {
		w.idx[k].Build(&w.maps[k])
	}
	s := 0.0
	for _, p := range w.particles {
		pt, eta, phi := p.Pt(), p.Eta(), p.Phi()
		s += w.idx[0].Iso(pt, eta, phi, ConeR, true, PhiQuirk)
		s += w.idx[1].Iso(pt, eta, phi, ConeR, false, PhiQuirk)
		s += w.idx[2].Iso(pt, eta, phi, ConeR, false, PhiQuirk)
	}
	return s
}

var benchSink float64

// BenchmarkIsolationEvent times one event's isolations (420 particles × 3 maps) with the
// straightforward loop and with IsoIndex (index build included), interleaved in the same
// run, and reports the speed-up of the index.
func BenchmarkIsolationEvent(b *testing.B) {
	w := newIsoWorkload()
	buf := make([]float64, 0, 1024)
	if w.loop(buf) != w.index() {
		b.Fatal("index and loop disagree")
	}
	var tLoop, tIndex time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		benchSink += w.loop(buf)
		t1 := time.Now()
		benchSink += w.index()
		t2 := time.Now()
		tLoop += t1.Sub(t0)
		tIndex += t2.Sub(t1)
	}
	b.ReportMetric(float64(tLoop.Nanoseconds())/float64(b.N), "loop-ns/event")
	b.ReportMetric(float64(tIndex.Nanoseconds())/float64(b.N), "index-ns/event")
	b.ReportMetric(float64(tLoop)/float64(tIndex), "speedup")
}
