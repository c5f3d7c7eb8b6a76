package synth

import (
	"math"
	"reflect"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/delphes"
)

func TestParseClass(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    Class
		wantErr bool
	}{
		{"qcd", QCD, false}, {"TTbar", TTbar, false}, {" wjets ", WJets, false}, {"tt", TTbar, false},
		{"zjets", 0, true}, {"", 0, true},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseClass(tc.in)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Fatalf("ParseClass(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.wantErr)
			}
			if err == nil && got.String() != map[Class]string{QCD: "qcd", TTbar: "ttbar", WJets: "wjets"}[got] {
				t.Fatalf("String() = %q", got)
			}
		})
	}
	if cs, err := ParseClasses("wjets,qcd"); err != nil || !reflect.DeepEqual(cs, []Class{WJets, QCD}) {
		t.Fatalf("ParseClasses = %v, %v", cs, err)
	}
	if _, err := ParseClasses("qcd,qcd"); err == nil {
		t.Fatal("duplicate class accepted")
	}
}

// clone deep-copies an event.
func clone(ev *delphes.Event) delphes.Event {
	var c delphes.Event
	resetEvent(&c)
	t, s := &c.EFlowTrack, &ev.EFlowTrack
	t.PT, t.Eta, t.Phi = append(t.PT, s.PT...), append(t.Eta, s.Eta...), append(t.Phi, s.Phi...)
	t.X, t.Y, t.Z, t.PID = append(t.X, s.X...), append(t.Y, s.Y...), append(t.Z, s.Z...), append(t.PID, s.PID...)
	for _, p := range [][2]*delphes.Towers{{&c.EFlowPhoton, &ev.EFlowPhoton}, {&c.EFlowNeutralHadron, &ev.EFlowNeutralHadron}} {
		p[0].ET, p[0].Eta, p[0].Phi = append(p[0].ET, p[1].ET...), append(p[0].Eta, p[1].Eta...), append(p[0].Phi, p[1].Phi...)
	}
	for _, p := range [][2]*delphes.Leptons{{&c.Electron, &ev.Electron}, {&c.Muon, &ev.Muon}} {
		p[0].PT, p[0].Eta, p[0].Phi, p[0].Charge = append(p[0].PT, p[1].PT...), append(p[0].Eta, p[1].Eta...), append(p[0].Phi, p[1].Phi...), append(p[0].Charge, p[1].Charge...)
	}
	c.MissingET.MET, c.MissingET.Phi = append(c.MissingET.MET, ev.MissingET.MET...), append(c.MissingET.Phi, ev.MissingET.Phi...)
	c.Jet.PT, c.Jet.Eta, c.Jet.BTag = append(c.Jet.PT, ev.Jet.PT...), append(c.Jet.Eta, ev.Jet.Eta...), append(c.Jet.BTag, ev.Jet.BTag...)
	c.Entry = ev.Entry
	return c
}

func TestNextDeterministic(t *testing.T) {
	for _, c := range AllClasses() {
		t.Run(c.String(), func(t *testing.T) {
			a, b, other := NewGenerator(c, 42), NewGenerator(c, 42), NewGenerator(c, 43)
			var ea, eb, eo delphes.Event
			same := 0
			for i := 0; i < 200; i++ {
				a.Next(&ea)
				b.Next(&eb)
				other.Next(&eo)
				if !reflect.DeepEqual(clone(&ea), clone(&eb)) {
					t.Fatalf("event %d differs between two generators with the same seed", i)
				}
				if reflect.DeepEqual(clone(&ea), clone(&eo)) {
					same++
				}
			}
			if same > 0 {
				t.Fatalf("%d events identical under another seed", same)
			}
		})
	}
}

var validPID = map[int32]bool{11: true, -11: true, 13: true, -13: true, 211: true, -211: true, 321: true, -321: true, 2212: true, -2212: true}

// TestEventStructure checks per-event invariants on every class.
func TestEventStructure(t *testing.T) {
	for _, c := range AllClasses() {
		t.Run(c.String(), func(t *testing.T) {
			g := NewGenerator(c, 3)
			var ev delphes.Event
			for i := 0; i < 300; i++ {
				g.Next(&ev)
				tr := &ev.EFlowTrack
				n := tr.Len()
				if len(tr.Eta) != n || len(tr.Phi) != n || len(tr.X) != n || len(tr.Y) != n || len(tr.Z) != n || len(tr.PID) != n {
					t.Fatalf("event %d: EFlowTrack members of unequal length", i)
				}
				var sx, sy float64
				add := func(pt, phi float32) {
					sx += float64(pt) * math.Cos(float64(phi))
					sy += float64(pt) * math.Sin(float64(phi))
				}
				for k := 0; k < n; k++ {
					if !validPID[tr.PID[k]] {
						t.Fatalf("event %d: track PID %d", i, tr.PID[k])
					}
					if math.Abs(float64(tr.Eta[k])) >= trackerEta || math.Abs(float64(tr.Phi[k])) > math.Pi || tr.PT[k] <= 0 {
						t.Fatalf("event %d: track %d out of range: pt %g eta %g phi %g", i, k, tr.PT[k], tr.Eta[k], tr.Phi[k])
					}
					add(tr.PT[k], tr.Phi[k])
				}
				for _, tw := range []*delphes.Towers{&ev.EFlowPhoton, &ev.EFlowNeutralHadron} {
					var above int
					for k := range tw.ET {
						if tw.ET[k] < towerMinET {
							t.Fatalf("event %d: tower ET %g below %g", i, tw.ET[k], towerMinET)
						}
						if tw.ET[k] > 1 {
							above++
						}
						add(tw.ET[k], tw.Phi[k])
					}
					if above == 0 {
						t.Fatalf("event %d: no tower above 1 GeV: empty isolation map", i)
					}
				}
				if ev.MissingET.Len() != 1 {
					t.Fatalf("event %d: %d MissingET entries", i, ev.MissingET.Len())
				}
				if met := math.Hypot(sx, sy); math.Abs(met-float64(ev.MissingET.MET[0])) > 1e-3*(1+met) {
					t.Fatalf("event %d: MET %g, vector sum of visible objects %g", i, ev.MissingET.MET[0], met)
				}
				for k, pt := range ev.Jet.PT {
					if pt <= jetMinPT || (k > 0 && pt > ev.Jet.PT[k-1]) || ev.Jet.BTag[k] > 1 {
						t.Fatalf("event %d: jets not above threshold and sorted: %v %v", i, ev.Jet.PT, ev.Jet.BTag)
					}
				}
				for _, l := range []*delphes.Leptons{&ev.Electron, &ev.Muon} {
					for k := range l.PT {
						if l.PT[k] <= leptonMinPT || (l.Charge[k] != 1 && l.Charge[k] != -1) {
							t.Fatalf("event %d: lepton pt %g charge %d", i, l.PT[k], l.Charge[k])
						}
					}
				}
				if ev.Electron.Len()+ev.Muon.Len() == 0 {
					t.Fatalf("event %d: no lepton (the generator-level filter keeps one above 20 GeV)", i)
				}
			}
		})
	}
}

// TestClassDistributions checks class-level means on a few thousand events per class.
func TestClassDistributions(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 600
	}
	s := map[Class]summary{}
	for _, c := range AllClasses() {
		s[c] = summarize(c, 11, n)
		t.Logf("%s: %+v", c, s[c])
	}
	qcd, tt, w := s[QCD], s[TTbar], s[WJets]
	checks := []struct {
		name string
		ok   bool
	}{
		{"wjets MET above qcd", w.met > qcd.met+10},
		{"ttbar MET above qcd", tt.met > qcd.met+10},
		{"ttbar has >= 4 jets on average", tt.njets >= 4},
		{"wjets has fewer jets than ttbar", w.njets < tt.njets-1.5},
		{"ttbar has b-tags, wjets few", tt.nb > 1 && w.nb < 0.2},
		{"ttbar HT well above wjets", tt.ht > 2*w.ht},
		{"wjets and ttbar mostly pass the isolated-lepton trigger", w.pass > 0.85 && tt.pass > 0.85},
		{"qcd passes sometimes", qcd.pass > 0.1 && qcd.pass < 0.5},
		{"qcd leptons less isolated", qcd.iso > 2*w.iso && qcd.iso > 2*tt.iso},
		{"wjets transverse mass near the W Jacobian edge", w.mt > 55 && w.mt < 80},
		{"W+ more frequent than W- in wjets", w.plusCharge > 0.54},
		{"b-jets give displaced tracks", tt.displaced > 5*w.displaced+1},
		{"every lepton has its own track", qcd.ownTrack == 1 && tt.ownTrack == 1 && w.ownTrack == 1},
	}
	for _, c := range AllClasses() {
		checks = append(checks,
			struct {
				name string
				ok   bool
			}{c.String() + " multiplicities in range", s[c].tracks > 150 && s[c].tracks < 450 && s[c].photons > 30 && s[c].photons < 150 && s[c].neutrals > 30 && s[c].neutrals < 200},
		)
		if !testing.Short() {
			checks = append(checks, struct {
				name string
				ok   bool
			}{c.String() + " sometimes over the 450-track cap", s[c].overCap > 0.001 && s[c].overCap < 0.1})
		}
	}
	for _, ck := range checks {
		if !ck.ok {
			t.Errorf("failed: %s", ck.name)
		}
	}
}
