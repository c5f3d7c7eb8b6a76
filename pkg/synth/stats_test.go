package synth

import (
	"math"

	"github.com/godltrigger/godltrigger/pkg/delphes"
)

// summary holds per-class means of event-level quantities, computed as the trigger emulation
// of the reference pipeline would see them.
type summary struct {
	n                                  int
	pass                               float64 // fraction with an isolated lepton, pt > 23
	met, mt, ht, njets, nb, lepPT, iso float64 // means over passing events
	tracks, photons, neutrals          float64 // mean multiplicities, all events
	overCap                            float64 // fraction with more than 450 tracks above 0.5
	plusCharge                         float64 // fraction of passing leptons with charge +1
	displaced                          float64 // mean number of tracks with a transverse vertex position beyond 0.5 mm
	ownTrack                           float64 // fraction of leptons with their own track
}

func coneSum(pts, etas, phis []float32, min float32, eta, phi float64) float64 {
	var s float64
	for i, pt := range pts {
		if pt <= min {
			continue
		}
		de := float64(etas[i]) - eta
		dp := math.Remainder(float64(phis[i])-phi, 2*math.Pi)
		if de*de+dp*dp < 0.09 {
			s += float64(pt)
		}
	}
	return s
}

// isolatedLepton returns the first lepton (electrons, then muons) with pt > 23 and relative
// isolation < 0.45.
func isolatedLepton(ev *delphes.Event) (pt, eta, phi, iso float64, charge int32, ok bool) {
	for _, c := range []*delphes.Leptons{&ev.Electron, &ev.Muon} {
		for i := range c.PT {
			if c.PT[i] <= 23 {
				continue
			}
			pt, eta, phi = float64(c.PT[i]), float64(c.Eta[i]), float64(c.Phi[i])
			iso = coneSum(ev.EFlowTrack.PT, ev.EFlowTrack.Eta, ev.EFlowTrack.Phi, 0.5, eta, phi)/pt - 1 +
				coneSum(ev.EFlowPhoton.ET, ev.EFlowPhoton.Eta, ev.EFlowPhoton.Phi, 1, eta, phi)/pt +
				coneSum(ev.EFlowNeutralHadron.ET, ev.EFlowNeutralHadron.Eta, ev.EFlowNeutralHadron.Phi, 1, eta, phi)/pt
			if iso < 0.45 {
				return pt, eta, phi, iso, c.Charge[i], true
			}
		}
	}
	return 0, 0, 0, 0, 0, false
}

func summarize(class Class, seed int64, n int) summary {
	g := NewGenerator(class, seed)
	var ev delphes.Event
	var s summary
	var npass, nlep float64
	for k := 0; k < n; k++ {
		g.Next(&ev)
		s.tracks += float64(ev.EFlowTrack.Len())
		s.photons += float64(ev.EFlowPhoton.Len())
		s.neutrals += float64(ev.EFlowNeutralHadron.Len())
		var kept int
		for _, pt := range ev.EFlowTrack.PT {
			if pt > 0.5 {
				kept++
			}
		}
		if kept > 450 {
			s.overCap++
		}
		for i := range ev.EFlowTrack.PT {
			dx, dy := float64(ev.EFlowTrack.X[i]), float64(ev.EFlowTrack.Y[i])
			if math.Hypot(dx, dy) > 0.5 {
				s.displaced++
			}
		}
		for _, c := range []*delphes.Leptons{&ev.Electron, &ev.Muon} {
			for i := range c.PT {
				nlep++
				for t := range ev.EFlowTrack.PT {
					if ev.EFlowTrack.PT[t] == c.PT[i] && ev.EFlowTrack.Eta[t] == c.Eta[i] && ev.EFlowTrack.Phi[t] == c.Phi[i] {
						s.ownTrack++
						break
					}
				}
			}
		}
		lpt, _, lphi, iso, ch, ok := isolatedLepton(&ev)
		if !ok {
			continue
		}
		npass++
		met, mphi := float64(ev.MissingET.MET[0]), float64(ev.MissingET.Phi[0])
		s.met += met
		s.mt += math.Sqrt(2 * met * lpt * (1 - math.Cos(lphi-mphi)))
		s.lepPT += lpt
		s.iso += iso
		if ch > 0 {
			s.plusCharge++
		}
		for i, pt := range ev.Jet.PT {
			if pt > 30 && math.Abs(float64(ev.Jet.Eta[i])) < 2.6 {
				s.ht += float64(pt)
				s.njets++
				if ev.Jet.BTag[i] > 0 {
					s.nb++
				}
			}
		}
	}
	fn := float64(n)
	s.n = n
	s.pass = npass / fn
	s.tracks /= fn
	s.photons /= fn
	s.neutrals /= fn
	s.overCap /= fn
	s.displaced /= fn
	s.ownTrack /= math.Max(nlep, 1)
	if npass > 0 {
		for _, p := range []*float64{&s.met, &s.mt, &s.ht, &s.njets, &s.nb, &s.lepPT, &s.iso, &s.plusCharge} {
			*p /= npass
		}
	}
	return s
}
