package featurestest

import (
	"math"
	"math/rand/v2"

	"github.com/godltrigger/godltrigger/pkg/delphes"
)

// Multiplicity is the mean number of objects of each kind in a random event.
type Multiplicity struct {
	Tracks, Photons, Neutrals int
}

// Typical is a busy LHC event: ~300 tracks, ~60 photons, ~60 neutral hadrons.
var Typical = Multiplicity{Tracks: 300, Photons: 60, Neutrals: 60}

// RandomEvent returns a random Delphes event around the mean multiplicities m. It is made
// to exercise every rule of step 1: particles in jets (dense cones) over a uniform
// background, about a third of the tracks below 0.5 GeV and of the towers below 1 GeV,
// φ at and near ±π (float32(π) lies above math.Pi), 0 to 2 electrons and muons with pT
// around the 23 GeV cut, each lepton's own track in EFlowTrack, jets with |η| at the
// float32 value of 2.6, and, rarely, empty collections (no MissingET, no photons).
func RandomEvent(rng *rand.Rand, m Multiplicity) *delphes.Event {
	ev := &delphes.Event{}
	f32pi := float32(math.Pi)
	n := func(mean int) int {
		if mean <= 0 {
			return 0
		}
		return mean/2 + rng.IntN(mean+1)
	}
	jets := make([][2]float64, 1+rng.IntN(6))
	for i := range jets {
		jets[i] = [2]float64{rng.Float64()*5 - 2.5, rng.Float64()*2*math.Pi - math.Pi}
	}
	etaPhi := func(etaMax float64) (float32, float32) {
		eta, phi := rng.Float64()*2*etaMax-etaMax, rng.Float64()*2*math.Pi-math.Pi
		switch k := rng.IntN(20); {
		case k < 8:
			j := jets[rng.IntN(len(jets))]
			eta = j[0] + rng.NormFloat64()*0.15
			phi = j[1] + rng.NormFloat64()*0.15
			for phi > math.Pi {
				phi -= 2 * math.Pi
			}
			for phi < -math.Pi {
				phi += 2 * math.Pi
			}
		case k == 8:
			return float32(eta), f32pi
		case k == 9:
			return float32(eta), -f32pi
		case k == 10:
			phi = math.Copysign(math.Pi-rng.Float64()*0.3, phi)
		}
		return float32(eta), float32(phi)
	}
	soft := func(cut float64) float32 {
		if rng.IntN(3) == 0 {
			return float32(rng.Float64() * cut * 1.2) // often below the cut, sometimes at it
		}
		return float32(cut + rng.ExpFloat64()*4)
	}

	t := &ev.EFlowTrack
	addTrack := func(pt, eta, phi float32, pid int32) {
		t.PT, t.Eta, t.Phi = append(t.PT, pt), append(t.Eta, eta), append(t.Phi, phi)
		t.X = append(t.X, float32(rng.NormFloat64()*0.01))
		t.Y = append(t.Y, float32(rng.NormFloat64()*0.01))
		t.Z = append(t.Z, float32(rng.NormFloat64()*50))
		t.PID = append(t.PID, pid)
	}
	for range n(m.Tracks) {
		eta, phi := etaPhi(2.5)
		pid := []int32{211, -211, 321, -321, 2212, 0}[rng.IntN(6)]
		addTrack(soft(0.5), eta, phi, pid)
	}
	towers := func(c *delphes.Towers, mean int) {
		for range n(mean) {
			eta, phi := etaPhi(4.5)
			c.ET, c.Eta, c.Phi = append(c.ET, soft(1)), append(c.Eta, eta), append(c.Phi, phi)
		}
	}
	if rng.IntN(50) != 0 {
		towers(&ev.EFlowPhoton, m.Photons)
	}
	towers(&ev.EFlowNeutralHadron, m.Neutrals)

	leptons := func(c *delphes.Leptons, pid int32) {
		for range rng.IntN(3) {
			pt := float32(15 + rng.ExpFloat64()*20)
			if rng.IntN(10) == 0 {
				pt = 23 // exactly the cut: rejected
			}
			eta, phi := etaPhi(2.5)
			q := int32(1 - 2*rng.IntN(2))
			c.PT, c.Eta, c.Phi, c.Charge = append(c.PT, pt), append(c.Eta, eta), append(c.Phi, phi), append(c.Charge, q)
			if rng.IntN(5) != 0 { // its own track, somewhere in the list
				addTrack(pt, eta, phi, -q*pid)
				k := rng.IntN(len(t.PT))
				last := len(t.PT) - 1
				t.PT[k], t.PT[last] = t.PT[last], t.PT[k]
				t.Eta[k], t.Eta[last] = t.Eta[last], t.Eta[k]
				t.Phi[k], t.Phi[last] = t.Phi[last], t.Phi[k]
				t.PID[k], t.PID[last] = t.PID[last], t.PID[k]
			}
		}
	}
	leptons(&ev.Electron, 11)
	leptons(&ev.Muon, 13)

	if rng.IntN(50) != 0 {
		ev.MissingET.MET = []float32{float32(rng.ExpFloat64() * 40)}
		ev.MissingET.Phi = []float32{float32(rng.Float64()*2*math.Pi - math.Pi)}
	}
	for range rng.IntN(12) {
		eta := float32(rng.Float64()*8 - 4)
		if rng.IntN(8) == 0 {
			eta = float32(math.Copysign(2.6, rng.Float64()-0.5)) // below 2.6 as a double
		}
		pt := float32(15 + rng.ExpFloat64()*40)
		if rng.IntN(10) == 0 {
			pt = 30
		}
		ev.Jet.PT, ev.Jet.Eta = append(ev.Jet.PT, pt), append(ev.Jet.Eta, eta)
		ev.Jet.BTag = append(ev.Jet.BTag, uint32(rng.IntN(4)/3))
	}
	return ev
}
