package features

import (
	"fmt"
	"math"

	"github.com/godltrigger/godltrigger/pkg/delphes"
	"github.com/godltrigger/godltrigger/pkg/physics"
)

// Extractor computes the features of events. It holds scratch space (isolation maps and
// their indices), so that Extract allocates nothing once warmed up; it is not safe for
// concurrent use: give each goroutine its own.
type Extractor struct {
	opts               Options
	rule               physics.PhiRule
	chMap, neuMap, gam physics.IsoMap
	chIdx, neuIdx, gmI physics.IsoIndex
}

// NewExtractor returns an Extractor for the given variant.
func NewExtractor(opts Options) *Extractor {
	x := &Extractor{opts: opts, rule: physics.PhiQuirk}
	if opts.FixQuirks {
		x.rule = physics.PhiFolded
	}
	return x
}

// lepton is a kept electron or muon: the values of its row.
type lepton struct {
	v                       physics.FourVector
	pt, eta, phi            float64 // of the four-vector
	isoCh, isoGamma, isoNeu float64
	charge                  float64
	isEle                   bool
}

// Extract applies the trigger emulation to ev and, when the event is selected, writes its
// low-level features into l (NumParticles*NumColumns values, row-major, every value
// written) and its high-level features into h (NumHLF values). The lengths of l and h are
// the caller's contract: other lengths panic. When the outcome is not Selected, l and h
// hold unspecified values.
//
// The checks run in the original's order: isolation maps, lepton candidates, isolated
// lepton, then MissingET (see Outcome).
func (x *Extractor) Extract(ev *delphes.Event, l, h []float64) Outcome {
	if len(l) != NumParticles*NumColumns || len(h) != NumHLF {
		panic(fmt.Sprintf("features: Extract needs len(l) = %d and len(h) = %d, got %d and %d",
			NumParticles*NumColumns, NumHLF, len(l), len(h)))
	}
	if !wellFormed(ev) {
		return DroppedMalformed
	}
	x.buildMaps(ev)
	if x.chMap.Len() == 0 || x.neuMap.Len() == 0 || x.gam.Len() == 0 {
		return DroppedEmptyIsoMap
	}
	if ev.Electron.Len() == 0 && ev.Muon.Len() == 0 {
		return DroppedNoLeptonCandidate
	}
	x.chIdx.Build(&x.chMap)
	x.neuIdx.Build(&x.neuMap)
	x.gmI.Build(&x.gam)

	ele, okEle := x.firstIsolated(&ev.Electron, true)
	mu, okMu := x.firstIsolated(&ev.Muon, false)
	var lep lepton
	switch {
	case okEle && okMu:
		// The original compares index 5 of the rows (Eta); ties go to the muon.
		eleWins := ele.eta > mu.eta
		if x.opts.FixQuirks {
			eleWins = ele.pt > mu.pt
		}
		lep = mu
		if eleWins {
			lep = ele
		}
	case okEle:
		lep = ele
	case okMu:
		lep = mu
	default:
		return DroppedNoIsolatedLepton
	}
	if ev.MissingET.Len() == 0 {
		return DroppedNoMissingET
	}

	writeLeptonRow(l[:NumColumns], &lep)
	next := x.writeParticleRows(ev, l, 1, &lep)
	clear(l[next*NumColumns:])
	x.writeHLF(ev, h, &lep)
	return Selected
}

// buildMaps fills the three isolation maps from ev, in file order.
func (x *Extractor) buildMaps(ev *delphes.Event) {
	x.chMap.Reset()
	x.neuMap.Reset()
	x.gam.Reset()
	t := &ev.EFlowTrack
	for i, pt32 := range t.PT {
		if pt := float64(pt32); pt > TrackPTCut {
			x.chMap.Add(float64(t.Eta[i]), float64(t.Phi[i]), pt)
		}
	}
	n := &ev.EFlowNeutralHadron
	for i, et32 := range n.ET {
		if et := float64(et32); et > TowerETCut {
			x.neuMap.Add(float64(n.Eta[i]), float64(n.Phi[i]), et)
		}
	}
	g := &ev.EFlowPhoton
	for i, et32 := range g.ET {
		if et := float64(et32); et > TowerETCut {
			x.gam.Add(float64(g.Eta[i]), float64(g.Phi[i]), et)
		}
	}
}

// isos returns the charged (own track subtracted), photon and neutral isolations of a
// particle whose four-vector has the given Pt(), Eta(), Phi().
func (x *Extractor) isos(pt, eta, phi float64) (ch, gamma, neu float64) {
	ch = x.chIdx.Iso(pt, eta, phi, IsolationConeR, true, x.rule)
	gamma = x.gmI.Iso(pt, eta, phi, IsolationConeR, false, x.rule)
	neu = x.neuIdx.Iso(pt, eta, phi, IsolationConeR, false, x.rule)
	return ch, gamma, neu
}

// firstIsolated returns the first lepton of c with PT > 23 and isoCh + isoNeu + isoGamma
// < 0.45 (summed in that order, as the original).
func (x *Extractor) firstIsolated(c *delphes.Leptons, isEle bool) (lepton, bool) {
	for i, pt32 := range c.PT {
		pt := float64(pt32)
		if pt <= LeptonPTCut {
			continue
		}
		v := physics.NewMassless(pt, float64(c.Eta[i]), float64(c.Phi[i]))
		lpt, leta, lphi := v.Pt(), v.Eta(), v.Phi()
		ch, gamma, neu := x.isos(lpt, leta, lphi)
		if ch+neu+gamma < IsolationCut {
			return lepton{
				v: v, pt: lpt, eta: leta, phi: lphi,
				isoCh: ch, isoGamma: gamma, isoNeu: neu,
				charge: float64(c.Charge[i]), isEle: isEle,
			}, true
		}
	}
	return lepton{}, false
}

func writeLeptonRow(r []float64, lep *lepton) {
	clear(r)
	r[ColEnergy], r[ColPx], r[ColPy], r[ColPz] = lep.v.E(), lep.v.Px(), lep.v.Py(), lep.v.Pz()
	r[ColPt], r[ColEta], r[ColPhi] = lep.pt, lep.eta, lep.phi
	r[ColChPFIso], r[ColGammaPFIso], r[ColNeuPFIso] = lep.isoCh, lep.isoGamma, lep.isoNeu
	if lep.isEle {
		r[ColIsEle] = 1
	} else {
		r[ColIsMu] = 1
	}
	r[ColCharge] = lep.charge
}

// writeParticleRows writes the kept tracks, photons and neutral hadrons from row `row` on
// and returns the index of the first row left.
func (x *Extractor) writeParticleRows(ev *delphes.Event, l []float64, row int, lep *lepton) int {
	t := &ev.EFlowTrack
	nTrk := 0
	for i, pt32 := range t.PT {
		if nTrk >= MaxTracks {
			break
		}
		pt := float64(pt32)
		if pt <= TrackPTCut {
			continue
		}
		eta, phi := float64(t.Eta[i]), float64(t.Phi[i])
		q := physics.NewMassless(pt, eta, phi)
		qeta, qphi := q.Eta(), q.Phi()
		if !(physics.DeltaREtaPhi(lep.eta, lep.phi, qeta, qphi) > LeptonTrackDR) {
			continue // the lepton's own track
		}
		r := l[row*NumColumns : (row+1)*NumColumns]
		r[ColEnergy], r[ColPx], r[ColPy], r[ColPz] = q.E(), q.Px(), q.Py(), q.Pz()
		r[ColPt], r[ColEta], r[ColPhi] = pt, eta, phi
		r[ColVtxX], r[ColVtxY], r[ColVtxZ] = float64(t.X[i]), float64(t.Y[i]), float64(t.Z[i])
		r[ColChPFIso], r[ColGammaPFIso], r[ColNeuPFIso] = x.isos(q.Pt(), qeta, qphi)
		r[ColIsChHad], r[ColIsNeuHad], r[ColIsGamma], r[ColIsEle], r[ColIsMu] = 1, 0, 0, 0, 0
		r[ColCharge] = sign(t.PID[i])
		row++
		nTrk++
	}
	row = x.writeTowerRows(&ev.EFlowPhoton, l, row, MaxPhotons, ColIsGamma)
	return x.writeTowerRows(&ev.EFlowNeutralHadron, l, row, MaxNeutrals, ColIsNeuHad)
}

// writeTowerRows writes up to max photon or neutral-hadron rows with ET > 1; flag is the
// column set to 1.
func (x *Extractor) writeTowerRows(c *delphes.Towers, l []float64, row, max, flag int) int {
	n := 0
	for i, et32 := range c.ET {
		if n >= max {
			break
		}
		et := float64(et32)
		if et <= TowerETCut {
			continue
		}
		eta, phi := float64(c.Eta[i]), float64(c.Phi[i])
		q := physics.NewMassless(et, eta, phi)
		r := l[row*NumColumns : (row+1)*NumColumns]
		clear(r)
		r[ColEnergy], r[ColPx], r[ColPy], r[ColPz] = q.E(), q.Px(), q.Py(), q.Pz()
		r[ColPt], r[ColEta], r[ColPhi] = et, eta, phi
		r[ColChPFIso], r[ColGammaPFIso], r[ColNeuPFIso] = x.isos(q.Pt(), q.Eta(), q.Phi())
		r[flag] = 1
		row++
		n++
	}
	return row
}

// writeHLF writes the 14 high-level features.
func (x *Extractor) writeHLF(ev *delphes.Event, h []float64, lep *lepton) {
	met := float64(ev.MissingET.MET[0])
	phiMET := float64(ev.MissingET.Phi[0])
	mt := 2 * met * lep.pt * (1 - math.Cos(lep.phi-phiMET))
	if x.opts.FixQuirks {
		mt = math.Sqrt(mt)
	}
	ht, nJets, nBjets := 0.0, 0.0, 0.0
	j := &ev.Jet
	for i, pt32 := range j.PT {
		pt := float64(pt32)
		if pt > JetPTCut && math.Abs(float64(j.Eta[i])) < JetAbsEtaCut {
			nJets++
			ht += pt
			if j.BTag[i] > 0 {
				nBjets++
			}
		}
	}
	h[HLFHT], h[HLFMET], h[HLFPhiMET], h[HLFMT] = ht, met, phiMET, mt
	h[HLFNJets], h[HLFNBjets] = nJets, nBjets
	h[HLFLepPt], h[HLFLepEta], h[HLFLepPhi] = lep.pt, lep.eta, lep.phi
	h[HLFLepIsoCh], h[HLFLepIsoGamma], h[HLFLepIsoNeu] = lep.isoCh, lep.isoGamma, lep.isoNeu
	h[HLFLepCharge] = lep.charge
	h[HLFLepIsEle] = 0
	if lep.isEle {
		h[HLFLepIsEle] = 1
	}
}

func sign(pid int32) float64 {
	switch {
	case pid > 0:
		return 1
	case pid < 0:
		return -1
	}
	return 0
}

// wellFormed reports whether every collection's parallel columns have equal lengths.
func wellFormed(ev *delphes.Event) bool {
	t := &ev.EFlowTrack
	n := len(t.PT)
	if len(t.Eta) != n || len(t.Phi) != n || len(t.X) != n || len(t.Y) != n || len(t.Z) != n || len(t.PID) != n {
		return false
	}
	for _, c := range []*delphes.Towers{&ev.EFlowPhoton, &ev.EFlowNeutralHadron} {
		if len(c.Eta) != len(c.ET) || len(c.Phi) != len(c.ET) {
			return false
		}
	}
	for _, c := range []*delphes.Leptons{&ev.Electron, &ev.Muon} {
		if len(c.Eta) != len(c.PT) || len(c.Phi) != len(c.PT) || len(c.Charge) != len(c.PT) {
			return false
		}
	}
	j := &ev.Jet
	return len(ev.MissingET.Phi) == len(ev.MissingET.MET) && len(j.Eta) == len(j.PT) && len(j.BTag) == len(j.PT)
}
