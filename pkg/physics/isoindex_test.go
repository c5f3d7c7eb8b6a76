package physics

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randomMap fills m with n particles: a uniform background plus dense clusters (cones
// with 8 or more entries exercise numpy's summation order), φ values at and near ±π
// (float32(π) lies above math.Pi), repeated η values, and the odd NaN.
func randomMap(rng *rand.Rand, m *IsoMap, n int) {
	m.Reset()
	f32pi := float64(float32(math.Pi))
	centres := [][2]float64{{rng.Float64()*4 - 2, rng.Float64()*2*math.Pi - math.Pi}, {0.5, math.Pi - 0.05}}
	for i := 0; i < n; i++ {
		eta := rng.Float64()*10 - 5
		phi := rng.Float64()*2*math.Pi - math.Pi
		switch k := rng.IntN(20); {
		case k < 6:
			c := centres[k%2]
			eta = c[0] + rng.NormFloat64()*0.1
			phi = FoldPhi(c[1] + rng.NormFloat64()*0.1)
		case k == 6:
			phi = f32pi
		case k == 7:
			phi = -f32pi
		case k == 8 && i > 0:
			eta = m.Eta[rng.IntN(i)]
		case k == 9 && rng.IntN(10) == 0:
			eta = math.NaN()
		}
		// The original's maps hold float32 values read as doubles.
		m.Add(float64(float32(eta)), float64(float32(phi)), float64(float32(0.5+rng.ExpFloat64()*5)))
	}
}

func TestIsoIndexMatchesLoop(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	var m IsoMap
	var x IsoIndex
	queries, bigCones := 0, 0
	for trial := 0; trial < 300; trial++ {
		randomMap(rng, &m, rng.IntN(800))
		x.Build(&m) // reused: storage from the previous map must not leak in
		if x.Len() != m.Len() {
			t.Fatalf("Len = %d, want %d", x.Len(), m.Len())
		}
		for q := 0; q < 40; q++ {
			var p FourVector
			switch q % 4 {
			case 0: // on a map entry (its own track)
				if m.Len() > 0 {
					i := rng.IntN(m.Len())
					p = NewMassless(m.Pt[i], m.Eta[i], m.Phi[i])
					break
				}
				fallthrough
			case 1: // near ±π
				p = NewMassless(1+rng.Float64()*50, rng.Float64()*4-2, math.Copysign(math.Pi-rng.Float64()*0.2, rng.Float64()-0.5))
			default:
				p = NewMassless(rng.Float64()*50, rng.Float64()*10-5, rng.Float64()*2*math.Pi-math.Pi)
			}
			for _, rule := range []PhiRule{PhiQuirk, PhiFolded} {
				for _, sub := range []bool{false, true} {
					want := pfisoLoop(p.Pt(), p.Eta(), p.Phi(), ConeR, &m, sub, rule, nil)
					got := x.PFIso(p, ConeR, sub, rule)
					if math.Float64bits(got) != math.Float64bits(want) {
						t.Fatalf("trial %d, query %d, %v, subtract %v: index %v, loop %v", trial, q, rule, sub, got, want)
					}
				}
			}
			queries++
			if len(x.vals) >= 8 {
				bigCones++
			}
		}
	}
	if bigCones == 0 {
		t.Errorf("no cone held 8 or more entries in %d queries: the test misses numpy's summation", queries)
	}
}

func TestIsoIndexNaNQuery(t *testing.T) {
	var x IsoIndex
	x.Build(mapOf([3]float64{0, 0, 1}, [3]float64{math.NaN(), 0, 1}))
	if got := x.Iso(10, math.NaN(), 0, ConeR, true, PhiQuirk); got != -1 {
		t.Errorf("Iso at NaN η = %v, want -1 (nothing in the cone)", got)
	}
	if got := x.Iso(10, 0, 0, ConeR, false, PhiQuirk); got != 0.1 {
		t.Errorf("Iso = %v, want 0.1 (the NaN entry is never in the cone)", got)
	}
}
