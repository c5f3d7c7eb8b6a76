package features_test

import (
	"math"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/delphes"
	"github.com/godltrigger/godltrigger/pkg/features"
	"github.com/godltrigger/godltrigger/pkg/spec"
)

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func checkRow(t *testing.T, r result, row int, want [features.NumColumns]float64) {
	t.Helper()
	for c, w := range want {
		if g := r.at(row, c); !near(g, w) {
			t.Errorf("row %d column %s = %v, want %v", row, spec.Particle[c], g, w)
		}
	}
}

func TestRowsAndLayout(t *testing.T) {
	ev := baseEvent()                    // track (5, 1.5, 0), photon (5, -1.5, 2), neutral (6, -1.5, -2)
	addTrack(ev, 40, 0, 0, -11)          // the electron's own track: excluded from the rows
	addTrack(ev, 3, -0.5, 1, -211)       // kept
	addTrack(ev, 0.4, 0, 2, 211)         // PT <= 0.5: skipped
	addTower(&ev.EFlowPhoton, 0.9, 0, 0) // ET <= 1: skipped
	addTower(&ev.EFlowNeutralHadron, 2, 1, 1)
	r := extract(ev, features.Options{})
	if r.out != features.Selected {
		t.Fatalf("outcome %v", r.out)
	}
	f := func(v float32) float64 { return float64(v) }
	ch5, sh5 := 5*math.Cosh(1.5), 5*math.Sinh(1.5)
	// Lepton: all kinematics from the four-vector; isoCh = 40/40 - 1.
	checkRow(t, r, 0, [19]float64{40, 40, 0, 0, 40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, -1})
	// Tracks: E, Px, Py, Pz from the four-vector, then the branch's PT, Eta, Phi, X, Y, Z;
	// isolations; isChHad; sign(PID).
	checkRow(t, r, 1, [19]float64{ch5, 5, 0, sh5, 5, 1.5, 0, f(0.1), f(0.2), f(0.3), 0, 0, 0, 1, 0, 0, 0, 0, 1})
	checkRow(t, r, 2, [19]float64{3 * math.Cosh(0.5), 3 * math.Cos(1), 3 * math.Sin(1), 3 * math.Sinh(-0.5),
		3, -0.5, 1, f(0.1), f(0.2), f(0.3), 0, 0, 0, 1, 0, 0, 0, 0, -1})
	// Photon and neutral hadrons: isoCh subtracts 1 though no own track is in the map.
	checkRow(t, r, 3, [19]float64{ch5, 5 * math.Cos(2), 5 * math.Sin(2), -sh5, 5, -1.5, 2, 0, 0, 0, -1, 1, 0, 0, 0, 1, 0, 0, 0})
	checkRow(t, r, 4, [19]float64{6 * math.Cosh(1.5), 6 * math.Cos(-2), 6 * math.Sin(-2), -6 * math.Sinh(1.5),
		6, -1.5, -2, 0, 0, 0, -1, 0, 1, 0, 1, 0, 0, 0, 0})
	checkRow(t, r, 5, [19]float64{2 * math.Cosh(1), 2 * math.Cos(1), 2 * math.Sin(1), 2 * math.Sinh(1),
		2, 1, 1, 0, 0, 0, -1, 0, 1, 0, 1, 0, 0, 0, 0})
	for k := 6 * features.NumColumns; k < len(r.l); k++ {
		if r.l[k] != 0 {
			t.Fatalf("padding value %d (row %d) = %v, want 0", k, k/features.NumColumns, r.l[k])
		}
	}
}

func TestTrackPhotonNeutralCaps(t *testing.T) {
	ev := baseEvent()
	ev.EFlowTrack = delphes.Tracks{}
	ev.EFlowPhoton = delphes.Towers{}
	ev.EFlowNeutralHadron = delphes.Towers{}
	addTrack(ev, 40, 0, 0, -11) // the electron's own track comes first and does not count
	spot := func(i int) (float32, float32) {
		return float32(1 + float64(i%20)*0.07), float32(-3 + float64(i/20)*0.25)
	}
	for i := 0; i < features.MaxTracks+1; i++ {
		eta, phi := spot(i)
		addTrack(ev, float32(1+float64(i)*0.01), eta, phi, 211)
	}
	for i := 0; i < features.MaxPhotons+1; i++ {
		eta, phi := spot(i)
		addTower(&ev.EFlowPhoton, float32(2+float64(i)*0.01), -eta, phi)
	}
	for i := 0; i < features.MaxNeutrals+1; i++ {
		eta, phi := spot(i)
		addTower(&ev.EFlowNeutralHadron, float32(3+float64(i)*0.01), eta+2, phi)
	}
	r := extract(ev, features.Options{})
	if r.out != features.Selected {
		t.Fatalf("outcome %v", r.out)
	}
	var n [3]int
	for row := 1; row < features.NumParticles; row++ {
		switch {
		case r.at(row, features.ColIsChHad) == 1:
			n[0]++
		case r.at(row, features.ColIsGamma) == 1:
			n[1]++
		case r.at(row, features.ColIsNeuHad) == 1:
			n[2]++
		default:
			t.Errorf("row %d is padding in a full event", row)
		}
	}
	if n != [3]int{features.MaxTracks, features.MaxPhotons, features.MaxNeutrals} {
		t.Errorf("kept %v tracks/photons/neutrals, want 450/150/200", n)
	}
	// Row 450 is the 450th track offered after the lepton's; the 451st is dropped.
	if got, want := r.at(features.MaxTracks, features.ColPt), float64(float32(1+449*0.01)); got != want {
		t.Errorf("last track row PT = %v, want %v", got, want)
	}
	if got := r.at(features.MaxTracks+1, features.ColIsGamma); got != 1 {
		t.Errorf("row 451 should be the first photon")
	}
}

func TestHighLevelFeatures(t *testing.T) {
	ev := baseEvent() // electron PT 40, η 0, φ 0, charge -1; MET 50 at φ 1
	addTrack(ev, 40, 0, 0, -11)
	ev.Jet = delphes.Jets{
		PT:   []float32{30, 30.5, 50, 40, 35},
		Eta:  []float32{0, 2.6, -2.7, -1, 1},
		BTag: []uint32{1, 1, 1, 0, 2},
	}
	mt := 2 * 50 * 40 * (1 - math.Cos(0-1))
	for _, fix := range []bool{false, true} {
		r := extract(ev, features.Options{FixQuirks: fix})
		if r.out != features.Selected {
			t.Fatalf("outcome %v", r.out)
		}
		wantMT := mt
		if fix {
			wantMT = math.Sqrt(mt)
		}
		// Jets: PT 30 is not > 30; float32(2.6) is below the double 2.6; |-2.7| is not < 2.6.
		want := [features.NumHLF]float64{30.5 + 40 + 35, 50, 1, wantMT, 3, 2, 40, 0, 0, 0, 0, 0, -1, 1}
		for i, w := range want {
			if !near(r.h[i], w) {
				t.Errorf("FixQuirks=%v: %s = %v, want %v", fix, spec.HLF[i], r.h[i], w)
			}
		}
	}
}

func TestSecondElectronChosen(t *testing.T) {
	ev := baseEvent()
	addTrack(ev, 40, 0, 0, -11)
	addTrack(ev, 30, 0.1, 0, 211) // spoils the first electron's isolation
	addLepton(&ev.Electron, 30, 1, 1, 1)
	addLepton(&ev.Electron, 35, -1, -1, -1) // isolated too, but comes later
	r := extract(ev, features.Options{})
	if r.out != features.Selected || r.at(0, features.ColCharge) != 1 || !near(r.at(0, features.ColPt), 30) {
		t.Errorf("outcome %v, lepton charge %v pt %v: want the second electron (charge 1, PT 30)",
			r.out, r.at(0, features.ColCharge), r.at(0, features.ColPt))
	}
}

func TestExtractDoesNotAllocate(t *testing.T) {
	ev := baseEvent()
	addTrack(ev, 40, 0, 0, -11)
	x := features.NewExtractor(features.Options{})
	l := make([]float64, features.NumParticles*features.NumColumns)
	h := make([]float64, features.NumHLF)
	x.Extract(ev, l, h)
	if n := testing.AllocsPerRun(100, func() { x.Extract(ev, l, h) }); n != 0 {
		t.Errorf("Extract allocates %v times per event", n)
	}
}

func TestNames(t *testing.T) {
	if spec.Particle[features.ColChPFIso] != "ChPFIso" || spec.Particle[features.ColCharge] != "Charge" {
		t.Errorf("column names out of order: %v", spec.Particle)
	}
	if spec.HLF[features.HLFMT] != "MT" || spec.HLF[features.HLFLepIsEle] != "LepIsEle" {
		t.Errorf("HLF names out of order: %v", spec.HLF)
	}
	if features.NumParticles != 801 {
		t.Errorf("NumParticles = %d", features.NumParticles)
	}
	for o := features.Outcome(0); o < features.NumOutcomes; o++ {
		if o.String() == "" || o.String() == "Outcome(?)" {
			t.Errorf("outcome %d has no name", o)
		}
	}
}
