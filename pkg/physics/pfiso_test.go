package physics

import (
	"math"
	"testing"
)

func mapOf(entries ...[3]float64) *IsoMap {
	m := &IsoMap{}
	for _, e := range entries {
		m.Add(e[0], e[1], e[2])
	}
	return m
}

func TestPFIsoRules(t *testing.T) {
	// f32pi is π as a float32 read into a double: slightly above math.Pi.
	f32pi := float64(float32(math.Pi))
	minusPi := FourVector{X: -10, Y: math.Copysign(0, -1), T: 10} // Phi() = atan2(-0, -10) = -π
	tests := []struct {
		name     string
		p        FourVector
		m        *IsoMap
		subtract bool
		quirk    float64 // PFIso
		folded   float64 // PFIsoFolded
	}{
		{"empty map", NewMassless(10, 0, 0), mapOf(), false, 0, 0},
		{"empty map, subtract", NewMassless(10, 0, 0), mapOf(), true, -1, -1},
		{"zero pt gives 0 even with subtract", FourVector{}, mapOf([3]float64{0, 0, 5}), true, 0, 0},
		{"own track subtracted", NewMassless(10, 0, 0), mapOf([3]float64{0, 0, 10}), true, 0, 0},
		{"inside and outside in eta", NewMassless(10, 0, 0),
			mapOf([3]float64{0.29, 0, 2}, [3]float64{-0.31, 0, 4}), false, 0.2, 0.2},
		// ΔR exactly R: 0.3*0.3 is not < 0.3*0.3.
		{"on the cone edge is out", NewMassless(10, 0, 0), mapOf([3]float64{0.3, 0, 2}), false, 0, 0},
		// φ = 3.1 vs -3.1: Δφ = 6.2 is below 2π so the quirk leaves it; folded it is -0.083.
		{"across ±π: quirk out, folded in", NewMassless(10, 0, -3.1),
			mapOf([3]float64{0, 3.1, 3}), false, 0, 0.3},
		{"across ∓π: quirk out, folded in", NewMassless(10, 0, 3.1),
			mapOf([3]float64{0, -3.1, 3}), false, 0, 0.3},
		// float32(π) - (-π) exceeds 2π by 8.7e-8: the quirk corrects it and it is in.
		{"beyond 2π is corrected", minusPi, mapOf([3]float64{0, f32pi, 4}), false, 0.4, 0.4},
		{"all three", NewMassless(20, 1, 1),
			mapOf([3]float64{1.1, 1.1, 2}, [3]float64{0.9, 0.95, 3}, [3]float64{1, 1.5, 100}), true, -0.75, -0.75},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := PFIso(tc.p, ConeR, tc.m, tc.subtract); math.Abs(got-tc.quirk) > 1e-12 {
				t.Errorf("PFIso = %v, want %v", got, tc.quirk)
			}
			if got := PFIsoFolded(tc.p, ConeR, tc.m, tc.subtract); math.Abs(got-tc.folded) > 1e-12 {
				t.Errorf("PFIsoFolded = %v, want %v", got, tc.folded)
			}
			var x IsoIndex
			x.Build(tc.m)
			if got := x.PFIso(tc.p, ConeR, tc.subtract, PhiQuirk); math.Abs(got-tc.quirk) > 1e-12 {
				t.Errorf("IsoIndex.PFIso quirk = %v, want %v", got, tc.quirk)
			}
			if got := x.PFIso(tc.p, ConeR, tc.subtract, PhiFolded); math.Abs(got-tc.folded) > 1e-12 {
				t.Errorf("IsoIndex.PFIso folded = %v, want %v", got, tc.folded)
			}
		})
	}
}

func TestPFIsoSumsLikeNumpy(t *testing.T) {
	// Nine entries in the cone: 1, 1e16, then seven 1s. numpy's sum gives 1e16+8, a plain
	// loop 1e16 (see TestPairwiseSumOrder).
	m := &IsoMap{}
	for i := 0; i < 9; i++ {
		pt := 1.0
		if i == 1 {
			pt = 1e16
		}
		m.Add(0.01*float64(i), 0, pt)
	}
	p := NewMassless(1, 0, 0)
	want := (1e16 + 8) / p.Pt()
	if got := PFIso(p, ConeR, m, false); got != want {
		t.Errorf("PFIso = %v, want %v", got, want)
	}
	var x IsoIndex
	x.Build(m)
	if got := x.PFIso(p, ConeR, false, PhiQuirk); got != want {
		t.Errorf("IsoIndex.PFIso = %v, want %v", got, want)
	}
}
