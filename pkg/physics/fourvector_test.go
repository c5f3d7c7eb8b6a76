package physics

import (
	"math"
	"testing"
)

func TestNewMassless(t *testing.T) {
	tests := []struct {
		name           string
		pt, eta, phi   float64
		x, y, z, e, pT float64
	}{
		{"along x", 10, 0, 0, 10, 0, 0, 10, 10},
		{"along y", 10, 0, math.Pi / 2, 10 * math.Cos(math.Pi/2), 10, 0, 10, 10},
		{"forward", 3, 1, 0, 3, 0, 3 * math.Sinh(1), math.Sqrt(9 + 9*math.Sinh(1)*math.Sinh(1)), 3},
		{"negative pt is taken as |pt|", -3, 1, 0, 3, 0, 3 * math.Sinh(1), math.Sqrt(9 + 9*math.Sinh(1)*math.Sinh(1)), 3},
		{"zero", 0, 2, 1, 0, 0, 0, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := NewMassless(tc.pt, tc.eta, tc.phi)
			got := []float64{p.Px(), p.Py(), p.Pz(), p.E(), p.Pt()}
			want := []float64{tc.x, tc.y, tc.z, tc.e, tc.pT}
			for i := range got {
				if math.Abs(got[i]-want[i]) > 1e-12*math.Max(1, math.Abs(want[i])) {
					t.Errorf("component %d = %v, want %v", i, got[i], want[i])
				}
			}
			if p.E() != p.Mag() {
				t.Errorf("E = %v, |p| = %v: a massless vector has E = |p|", p.E(), p.Mag())
			}
		})
	}
}

func TestEtaPhiRoundTrip(t *testing.T) {
	for _, eta := range []float64{-4.9, -2.5, -1, -1e-3, 0, 0.3, 1.7, 2.5, 4.9} {
		for _, phi := range []float64{-math.Pi, -3.1, -1, 0, 0.5, 3.1, math.Pi} {
			p := NewMassless(25, eta, phi)
			if d := math.Abs(p.Eta() - eta); d > 1e-9 {
				t.Errorf("Eta(%v, %v) = %v", eta, phi, p.Eta())
			}
			wantPhi := phi
			if phi == math.Pi || phi == -math.Pi {
				// sin(±π) is ±1.2e-16, not 0: atan2 returns ±π with that sign.
				wantPhi = math.Copysign(math.Pi, p.Y)
			}
			if d := math.Abs(p.Phi() - wantPhi); d > 1e-12 {
				t.Errorf("Phi(%v, %v) = %v", eta, phi, p.Phi())
			}
		}
	}
}

func TestEtaEdgeCases(t *testing.T) {
	tests := []struct {
		name string
		p    FourVector
		eta  float64
		cos  float64
	}{
		// The original: cos t = 1 when |p| = 0, then cos² t < 1 fails and pz == 0 returns 0
		// (the bare formula would give +Inf).
		{"zero vector", FourVector{}, 0, 1},
		{"zero vector with energy", FourVector{T: 5}, 0, 1},
		// pt vanishes against pz: cos² t rounds to 1 with pz != 0 (original: None).
		{"beyond float64 resolution, forward", NewMassless(1, 40, 0), math.Inf(1), 1},
		{"beyond float64 resolution, backward", NewMassless(1, -40, 0), math.Inf(-1), -1},
		{"along z", FourVector{Z: 3, T: 3}, math.Inf(1), 1},
		{"transverse", FourVector{X: 3, T: 3}, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.p.Eta(); got != tc.eta {
				t.Errorf("Eta = %v, want %v", got, tc.eta)
			}
			if got := tc.p.CosTheta(); got != tc.cos {
				t.Errorf("CosTheta = %v, want %v", got, tc.cos)
			}
		})
	}
	if got := (FourVector{}).Phi(); got != 0 {
		t.Errorf("Phi of the zero vector = %v, want atan2(0, 0) = 0", got)
	}
}

func TestFoldPhi(t *testing.T) {
	tests := []struct{ in, want float64 }{
		{0, 0},
		{math.Pi, math.Pi},
		{-math.Pi, -math.Pi},
		{1.5 * math.Pi, 1.5*math.Pi - 2*math.Pi},
		{-1.5 * math.Pi, -1.5*math.Pi + 2*math.Pi},
		{5 * math.Pi, 5*math.Pi - 2*math.Pi - 2*math.Pi},
		{math.Inf(1), math.Inf(1)},
	}
	for _, tc := range tests {
		if got := FoldPhi(tc.in); got != tc.want {
			t.Errorf("FoldPhi(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
	if got := FoldPhi(math.NaN()); !math.IsNaN(got) {
		t.Errorf("FoldPhi(NaN) = %v", got)
	}
}

func TestDeltaR(t *testing.T) {
	tests := []struct {
		name string
		a, b FourVector
		want float64
	}{
		{"same", NewMassless(30, 1, 2), NewMassless(5, 1, 2), 0},
		{"eta only", NewMassless(30, 1, 0), NewMassless(5, 0.5, 0), 0.5},
		{"across ±π (folded)", NewMassless(30, 0, math.Pi-0.01), NewMassless(5, 0, -math.Pi+0.01), 0.02},
		{"3-4-5", NewMassless(30, 0.3, 0.1), NewMassless(5, 0, 0.5), 0.5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := DeltaR(tc.a, tc.b); math.Abs(got-tc.want) > 1e-12 {
				t.Errorf("DeltaR = %v, want %v", got, tc.want)
			}
		})
	}
}
