// Package featurestest holds test support for step 1: Reference, a deliberately naive,
// line-by-line transcription of the original Python ingestion (its LorentzVector, PFIso,
// selection and convert functions), sharing no code with package features or physics, and
// RandomEvent, a generator of realistic random Delphes events. Tests of any package can
// compare features.Extractor against Reference.
package featurestest

import (
	"math"

	"github.com/godltrigger/godltrigger/pkg/delphes"
	"github.com/godltrigger/godltrigger/pkg/features"
)

// lorentz is the original's LorentzVector.
type lorentz struct{ x, y, z, t float64 }

func setPtEtaPhiM0(pt, eta, phi float64) lorentz {
	pt = math.Abs(pt)
	x, y, z := pt*math.Cos(phi), pt*math.Sin(phi), pt*math.Sinh(eta)
	// float64(...) rounds each product: no fused multiply-add, as in CPython.
	return lorentz{x, y, z, math.Sqrt(float64(x*x) + float64(y*y) + float64(z*z) + 0*0)}
}

func (l lorentz) pt() float64 { return math.Sqrt(float64(l.x*l.x) + float64(l.y*l.y)) }

func (l lorentz) mag() float64 {
	return math.Sqrt(float64(l.x*l.x) + float64(l.y*l.y) + float64(l.z*l.z))
}

func (l lorentz) cosTheta() float64 {
	if l.mag() == 0.0 {
		return 1.0
	}
	return l.z / l.mag()
}

// eta returns the original's value, and ±Inf where the original returned None.
func (l lorentz) eta() float64 {
	c := l.cosTheta()
	if float64(c*c) < 1 {
		return -0.5 * math.Log((1.0-c)/(1.0+c))
	}
	if l.z == 0 {
		return 0
	}
	return math.Copysign(math.Inf(1), l.z) // the original: None (then TypeError)
}

func (l lorentz) phi() float64 { return math.Atan2(l.y, l.x) }

func (l lorentz) deltaR(o lorentz) float64 {
	deta := l.eta() - o.eta()
	dphi := l.phi() - o.phi()
	pi := math.Pi
	for dphi > pi && !math.IsInf(dphi, 1) {
		dphi -= 2 * pi
	}
	for dphi < -pi && !math.IsInf(dphi, -1) {
		dphi += 2 * pi
	}
	return math.Sqrt(float64(deta*deta) + float64(dphi*dphi))
}

// ptMap is a list of [eta, phi, pt] rows.
type ptMap [][3]float64

// npSum is numpy's float64 sum: 0.0 + pairwise sum.
func npSum(a []float64) float64 { return 0.0 + npPairwise(a, 0, len(a)) }

func npPairwise(a []float64, off, n int) float64 {
	if n < 8 {
		res := 0.0
		for i := 0; i < n; i++ {
			res += a[off+i]
		}
		return res
	}
	if n <= 128 {
		var r [8]float64
		copy(r[:], a[off:off+8])
		i := 8
		for ; i < n-(n%8); i += 8 {
			for k := 0; k < 8; k++ {
				r[k] += a[off+i+k]
			}
		}
		res := ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
		for ; i < n; i++ {
			res += a[off+i]
		}
		return res
	}
	n2 := n / 2
	n2 -= n2 % 8
	return npPairwise(a, off, n2) + npPairwise(a, off+n2, n-n2)
}

func pfIso(p lorentz, dr float64, m ptMap, subtract, fold bool) float64 {
	if p.pt() <= 0. {
		return 0.
	}
	twopi := 2. * math.Pi
	var inCone []float64
	for _, e := range m {
		deta := e[0] - p.eta()
		dphi := e[1] - p.phi()
		if fold {
			for dphi > math.Pi && !math.IsInf(dphi, 1) {
				dphi -= twopi
			}
			for dphi < -math.Pi && !math.IsInf(dphi, -1) {
				dphi += twopi
			}
		} else {
			if dphi > twopi {
				dphi -= twopi
			}
			if dphi < -1.*twopi {
				dphi += twopi
			}
		}
		if float64(dphi*dphi)+float64(deta*deta) < dr*dr {
			inCone = append(inCone, e[2])
		}
	}
	iso := npSum(inCone) / p.pt()
	if subtract {
		iso = iso - 1
	}
	return iso
}

// Reference computes the features of ev as the original did (with opts.FixQuirks, the
// corrected variant), the slow way. ok is false when the event is not selected; l then
// is nil. l is row-major, NumParticles*NumColumns values.
func Reference(ev *delphes.Event, opts features.Options) (l, h []float64, ok bool) {
	l, h, out := ReferenceOutcome(ev, opts)
	return l, h, out == features.Selected
}

// ReferenceOutcome is Reference with the reason for dropping an event.
func ReferenceOutcome(ev *delphes.Event, opts features.Options) (l, h []float64, out features.Outcome) {
	f := func(v float32) float64 { return float64(v) }
	fold := opts.FixQuirks
	var trk, neu, pho ptMap
	for i := range ev.EFlowTrack.PT {
		if f(ev.EFlowTrack.PT[i]) <= 0.5 {
			continue
		}
		trk = append(trk, [3]float64{f(ev.EFlowTrack.Eta[i]), f(ev.EFlowTrack.Phi[i]), f(ev.EFlowTrack.PT[i])})
	}
	for i := range ev.EFlowNeutralHadron.ET {
		if f(ev.EFlowNeutralHadron.ET[i]) <= 1.0 {
			continue
		}
		neu = append(neu, [3]float64{f(ev.EFlowNeutralHadron.Eta[i]), f(ev.EFlowNeutralHadron.Phi[i]), f(ev.EFlowNeutralHadron.ET[i])})
	}
	for i := range ev.EFlowPhoton.ET {
		if f(ev.EFlowPhoton.ET[i]) <= 1.0 {
			continue
		}
		pho = append(pho, [3]float64{f(ev.EFlowPhoton.Eta[i]), f(ev.EFlowPhoton.Phi[i]), f(ev.EFlowPhoton.ET[i])})
	}
	if len(trk) == 0 || len(neu) == 0 || len(pho) == 0 {
		return nil, nil, features.DroppedEmptyIsoMap
	}

	// selection()
	if ev.Electron.Len() == 0 && ev.Muon.Len() == 0 {
		return nil, nil, features.DroppedNoLeptonCandidate
	}
	scan := func(c *delphes.Leptons, isEle float64) []float64 {
		var found []float64
		for i := range c.PT {
			if f(c.PT[i]) <= 23. {
				continue
			}
			l := setPtEtaPhiM0(f(c.PT[i]), f(c.Eta[i]), f(c.Phi[i]))
			pfisoCh := pfIso(l, 0.3, trk, true, fold)
			pfisoNeu := pfIso(l, 0.3, neu, false, fold)
			pfisoGamma := pfIso(l, 0.3, pho, false, fold)
			if found == nil && (pfisoCh+pfisoNeu+pfisoGamma) < 0.45 {
				found = []float64{l.t, l.x, l.y, l.z, l.pt(), l.eta(), l.phi(),
					0., 0., 0., pfisoCh, pfisoGamma, pfisoNeu,
					0., 0., 0., isEle, 1 - isEle, float64(c.Charge[i])}
			}
		}
		return found
	}
	foundEle := scan(&ev.Electron, 1)
	foundMuon := scan(&ev.Muon, 0)
	var lep []float64
	key := 5 // the original compares Eta
	if opts.FixQuirks {
		key = 4
	}
	switch {
	case foundEle != nil && foundMuon != nil:
		if foundEle[key] > foundMuon[key] {
			lep = foundEle
		} else {
			lep = foundMuon
		}
	case foundEle != nil:
		lep = foundEle
	case foundMuon != nil:
		lep = foundMuon
	default:
		return nil, nil, features.DroppedNoIsolatedLepton
	}

	// convert()
	particles := [][]float64{lep}
	lepMomentum := lorentz{lep[1], lep[2], lep[3], lep[0]}
	nTrk := 0
	for i := range ev.EFlowTrack.PT {
		h := &ev.EFlowTrack
		if nTrk >= 450 {
			continue
		}
		if f(h.PT[i]) <= 0.5 {
			continue
		}
		q := setPtEtaPhiM0(f(h.PT[i]), f(h.Eta[i]), f(h.Phi[i]))
		if lepMomentum.deltaR(q) > 0.0001 {
			pfisoCh := pfIso(q, 0.3, trk, true, fold)
			pfisoNeu := pfIso(q, 0.3, neu, false, fold)
			pfisoGamma := pfIso(q, 0.3, pho, false, fold)
			sign := 0.
			if h.PID[i] > 0 {
				sign = 1
			} else if h.PID[i] < 0 {
				sign = -1
			}
			particles = append(particles, []float64{q.t, q.x, q.y, q.z,
				f(h.PT[i]), f(h.Eta[i]), f(h.Phi[i]), f(h.X[i]), f(h.Y[i]), f(h.Z[i]),
				pfisoCh, pfisoGamma, pfisoNeu,
				1., 0., 0., 0., 0., sign})
			nTrk++
		}
	}
	towers := func(c *delphes.Towers, max int, isNeu, isGamma float64) int {
		n := 0
		for i := range c.ET {
			if n >= max {
				continue
			}
			if f(c.ET[i]) <= 1. {
				continue
			}
			q := setPtEtaPhiM0(f(c.ET[i]), f(c.Eta[i]), f(c.Phi[i]))
			pfisoCh := pfIso(q, 0.3, trk, true, fold)
			pfisoNeu := pfIso(q, 0.3, neu, false, fold)
			pfisoGamma := pfIso(q, 0.3, pho, false, fold)
			particles = append(particles, []float64{q.t, q.x, q.y, q.z,
				f(c.ET[i]), f(c.Eta[i]), f(c.Phi[i]), 0., 0., 0.,
				pfisoCh, pfisoGamma, pfisoNeu,
				0., isNeu, isGamma, 0., 0., 0.})
			n++
		}
		return n
	}
	nPhoton := towers(&ev.EFlowPhoton, 150, 0, 1)
	nNeu := towers(&ev.EFlowNeutralHadron, 200, 1, 0)
	for range 450 - nTrk + 150 - nPhoton + 200 - nNeu {
		particles = append(particles, make([]float64, 19))
	}

	// High-level features.
	if ev.MissingET.Len() == 0 {
		return nil, nil, features.DroppedNoMissingET // the original: IndexError
	}
	met := f(ev.MissingET.MET[0])
	phiMET := f(ev.MissingET.Phi[0])
	mt := 2. * met * lepMomentum.pt() * (1 - math.Cos(lepMomentum.phi()-phiMET))
	if opts.FixQuirks {
		mt = math.Sqrt(mt)
	}
	ht, nJets, nBjets := 0., 0., 0.
	for i := range ev.Jet.PT {
		if f(ev.Jet.PT[i]) > 30 && math.Abs(f(ev.Jet.Eta[i])) < 2.6 {
			nJets += 1
			ht += f(ev.Jet.PT[i])
			if ev.Jet.BTag[i] > 0 {
				nBjets += 1
			}
		}
	}
	h = []float64{ht, met, phiMET, mt, nJets, nBjets, lep[4], lep[5], lep[6],
		lep[10], lep[11], lep[12], lep[18], lep[16]}
	for _, p := range particles {
		l = append(l, p...)
	}
	return l, h, features.Selected
}
