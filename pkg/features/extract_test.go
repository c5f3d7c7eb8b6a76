package features_test

import (
	"math"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/delphes"
	"github.com/godltrigger/godltrigger/pkg/features"
)

// baseEvent is a minimal selected event: an electron (PT 40 at η 0, φ 0) isolated from one
// track, one photon and one neutral hadron, with MissingET.
func baseEvent() *delphes.Event {
	ev := &delphes.Event{}
	addTrack(ev, 5, 1.5, 0, 211)
	addTower(&ev.EFlowPhoton, 5, -1.5, 2)
	addTower(&ev.EFlowNeutralHadron, 6, -1.5, -2)
	addLepton(&ev.Electron, 40, 0, 0, -1)
	ev.MissingET = delphes.MissingET{MET: []float32{50}, Phi: []float32{1}}
	return ev
}

func addTrack(ev *delphes.Event, pt, eta, phi float32, pid int32) {
	t := &ev.EFlowTrack
	t.PT, t.Eta, t.Phi, t.PID = append(t.PT, pt), append(t.Eta, eta), append(t.Phi, phi), append(t.PID, pid)
	t.X, t.Y, t.Z = append(t.X, 0.1), append(t.Y, 0.2), append(t.Z, 0.3)
}

func addTower(c *delphes.Towers, et, eta, phi float32) {
	c.ET, c.Eta, c.Phi = append(c.ET, et), append(c.Eta, eta), append(c.Phi, phi)
}

func addLepton(c *delphes.Leptons, pt, eta, phi float32, q int32) {
	c.PT, c.Eta, c.Phi, c.Charge = append(c.PT, pt), append(c.Eta, eta), append(c.Phi, phi), append(c.Charge, q)
}

type result struct {
	out  features.Outcome
	l, h []float64
}

func extract(ev *delphes.Event, opts features.Options) result {
	r := result{l: make([]float64, features.NumParticles*features.NumColumns), h: make([]float64, features.NumHLF)}
	for i := range r.l {
		r.l[i] = 99 // every value must be written
	}
	r.out = features.NewExtractor(opts).Extract(ev, r.l, r.h)
	return r
}

func (r result) at(row, col int) float64 { return r.l[row*features.NumColumns+col] }

func TestOutcomes(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(ev *delphes.Event)
		want   features.Outcome
		optFix features.Outcome // with FixQuirks
	}{
		{"selected", func(*delphes.Event) {}, features.Selected, features.Selected},
		{"track PT exactly 0.5: empty charged map", func(ev *delphes.Event) { ev.EFlowTrack.PT[0] = 0.5 },
			features.DroppedEmptyIsoMap, features.DroppedEmptyIsoMap},
		{"no photons", func(ev *delphes.Event) { ev.EFlowPhoton = delphes.Towers{} },
			features.DroppedEmptyIsoMap, features.DroppedEmptyIsoMap},
		{"neutral ET exactly 1: empty neutral map", func(ev *delphes.Event) { ev.EFlowNeutralHadron.ET[0] = 1 },
			features.DroppedEmptyIsoMap, features.DroppedEmptyIsoMap},
		{"empty map wins over no lepton", func(ev *delphes.Event) { ev.EFlowPhoton = delphes.Towers{}; ev.Electron = delphes.Leptons{} },
			features.DroppedEmptyIsoMap, features.DroppedEmptyIsoMap},
		{"no electron, no muon", func(ev *delphes.Event) { ev.Electron = delphes.Leptons{} },
			features.DroppedNoLeptonCandidate, features.DroppedNoLeptonCandidate},
		{"electron PT exactly 23 is rejected", func(ev *delphes.Event) { ev.Electron.PT[0] = 23 },
			features.DroppedNoIsolatedLepton, features.DroppedNoIsolatedLepton},
		{"electron PT just above 23 passes", func(ev *delphes.Event) { ev.Electron.PT[0] = math.Nextafter32(23, 24) },
			features.Selected, features.Selected},
		// With its own track isoCh = 40/40 - 1 = 0, and a photon of ET 18 in the cone gives
		// isoGamma = 18/40, the double 0.45: the cut is strict.
		{"isolation exactly 0.45 is rejected", func(ev *delphes.Event) {
			addTrack(ev, 40, 0, 0, -11)
			addTower(&ev.EFlowPhoton, 18, 0.1, 0)
		}, features.DroppedNoIsolatedLepton, features.DroppedNoIsolatedLepton},
		{"isolation just below 0.45 passes", func(ev *delphes.Event) {
			addTrack(ev, 40, 0, 0, -11)
			addTower(&ev.EFlowPhoton, 17.99, 0.1, 0)
		}, features.Selected, features.Selected},
		// Without its own track in the charged map a lepton's isoCh is sum/pT - 1, down to -1
		// (the original subtracts 1 regardless): 18 GeV of tracks in the cone still pass.
		{"isoCh is offset by -1 without the lepton's own track", func(ev *delphes.Event) { addTrack(ev, 18, 0.1, 0, 211) },
			features.Selected, features.Selected},
		{"own track is subtracted from the isolation", func(ev *delphes.Event) { addTrack(ev, 40, 0, 0, -11) },
			features.Selected, features.Selected},
		{"second electron isolated when the first is not", func(ev *delphes.Event) {
			addTrack(ev, 40, 0, 0, -11)
			addTrack(ev, 30, 0.1, 0, 211)
			addLepton(&ev.Electron, 30, 1, 1, 1)
		}, features.Selected, features.Selected},
		// Photon at φ = -3.1 next to a muon at φ = 3.1: outside the quirky cone, inside the folded one.
		{"isolation across ±π", func(ev *delphes.Event) {
			ev.Electron = delphes.Leptons{}
			addLepton(&ev.Muon, 40, 0, 3.1, 1)
			addTrack(ev, 40, 0, 3.1, -13)
			addTower(&ev.EFlowPhoton, 30, 0, -3.1)
		}, features.Selected, features.DroppedNoIsolatedLepton},
		{"no MissingET", func(ev *delphes.Event) { ev.MissingET = delphes.MissingET{} },
			features.DroppedNoMissingET, features.DroppedNoMissingET},
		{"malformed tracks", func(ev *delphes.Event) { ev.EFlowTrack.PID = nil },
			features.DroppedMalformed, features.DroppedMalformed},
		{"malformed jets", func(ev *delphes.Event) { ev.Jet.PT = []float32{40} },
			features.DroppedMalformed, features.DroppedMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev := baseEvent()
			tc.edit(ev)
			if got := extract(ev, features.Options{}).out; got != tc.want {
				t.Errorf("original: %v, want %v", got, tc.want)
			}
			if got := extract(ev, features.Options{FixQuirks: true}).out; got != tc.optFix {
				t.Errorf("fixed: %v, want %v", got, tc.optFix)
			}
		})
	}
}

func TestLeptonChoice(t *testing.T) {
	tests := []struct {
		name                 string
		eleEta, muEta        float32
		elePT, muPT          float32
		wantEle, wantEleFixd bool
	}{
		{"electron more forward, muon harder", 0.5, 0.2, 30, 60, true, false},
		{"muon more forward, electron harder", 0.2, 0.5, 60, 30, false, true},
		{"larger signed Eta, not |Eta|", -2, 1, 30, 60, false, false},
		{"equal Eta goes to the muon", 0.5, 0.5, 60, 30, false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev := baseEvent()
			ev.Electron = delphes.Leptons{}
			addLepton(&ev.Electron, tc.elePT, tc.eleEta, 0.5, -1)
			addLepton(&ev.Muon, tc.muPT, tc.muEta, -0.5, 1)
			for _, fix := range []bool{false, true} {
				r := extract(ev, features.Options{FixQuirks: fix})
				if r.out != features.Selected {
					t.Fatalf("FixQuirks=%v: %v", fix, r.out)
				}
				want := tc.wantEle
				if fix {
					want = tc.wantEleFixd
				}
				isEle := r.at(0, features.ColIsEle) == 1
				if isEle != want || r.at(0, features.ColIsMu) == r.at(0, features.ColIsEle) {
					t.Errorf("FixQuirks=%v: isEle=%v isMu=%v, want electron=%v", fix, r.at(0, features.ColIsEle), r.at(0, features.ColIsMu), want)
				}
				if r.h[features.HLFLepIsEle] != r.at(0, features.ColIsEle) || r.h[features.HLFLepCharge] != r.at(0, features.ColCharge) {
					t.Errorf("FixQuirks=%v: LepIsEle/LepCharge disagree with the lepton row", fix)
				}
			}
		})
	}
}
