// Package physics holds the kinematics of step 1: massless four-vectors, ΔR and the
// particle-flow isolation PFIso, as pure functions over float64.
//
// Every function reproduces, operation for operation, the Python code of the original
// SparkDLTrigger ingestion (class LorentzVector and PFIso of its utilFunctions.py), so that
// features agree with the published datasets to the last bit wherever the transcendental
// functions of Go's math package agree with the C library's. Products that are summed are
// wrapped in float64(...) conversions: the Go specification then forbids fusing them into
// FMA instructions, which would round differently from the original.
package physics

import "math"

// FourVector is a Lorentz vector (px, py, pz, E), the original's LorentzVector.
type FourVector struct {
	X, Y, Z, T float64
}

// NewMassless returns the massless four-vector of (pt, eta, phi): px = |pt| cos phi,
// py = |pt| sin phi, pz = |pt| sinh eta, E = |p|. The absolute value of pt is taken,
// as the original's SetPtEtaPhiM does.
func NewMassless(pt, eta, phi float64) FourVector {
	pt = math.Abs(pt)
	x := pt * math.Cos(phi)
	y := pt * math.Sin(phi)
	z := pt * math.Sinh(eta)
	// sqrt(x*x + y*y + z*z + m*m) with m = 0; adding +0 changes nothing.
	t := math.Sqrt(float64(x*x) + float64(y*y) + float64(z*z))
	return FourVector{X: x, Y: y, Z: z, T: t}
}

// E is the energy.
func (p FourVector) E() float64 { return p.T }

// Px is the x component of the momentum.
func (p FourVector) Px() float64 { return p.X }

// Py is the y component of the momentum.
func (p FourVector) Py() float64 { return p.Y }

// Pz is the z component of the momentum.
func (p FourVector) Pz() float64 { return p.Z }

// Pt is the transverse momentum sqrt(px² + py²), recomputed from the components (it can
// differ from the pt the vector was built from in the last bit).
func (p FourVector) Pt() float64 {
	return math.Sqrt(float64(p.X*p.X) + float64(p.Y*p.Y))
}

// Mag is |p|.
func (p FourVector) Mag() float64 {
	return math.Sqrt(float64(p.X*p.X) + float64(p.Y*p.Y) + float64(p.Z*p.Z))
}

// CosTheta is pz/|p|, and 1 when |p| = 0.
func (p FourVector) CosTheta() float64 {
	m := p.Mag()
	if m == 0 {
		return 1
	}
	return p.Z / m
}

// Eta is the pseudorapidity -0.5 ln((1 - cos t)/(1 + cos t)).
//
// The formula is used when cos² t < 1. Otherwise the original returned 0 when pz = 0 and
// Python's None when pz ≠ 0 (any later use of it raised TypeError). Here:
//   - |p| = 0 (cos t = 1 by definition, pz = 0): 0, as the original. The bare formula would
//     give +Inf; the original's guard returns 0 first.
//   - cos² t >= 1 with pz ≠ 0 (|eta| beyond about 19, where pt vanishes against pz in
//     float64): ±Inf with the sign of pz, the limit of the formula, where the original raised.
//     No selected particle of the pipeline reaches this case (their pt exceeds 0.5).
func (p FourVector) Eta() float64 {
	c := p.CosTheta()
	if float64(c*c) < 1 {
		return -0.5 * math.Log((1.0-c)/(1.0+c))
	}
	if p.Z == 0 {
		return 0
	}
	return math.Copysign(math.Inf(1), p.Z)
}

// Phi is atan2(py, px), in [-π, π].
func (p FourVector) Phi() float64 { return math.Atan2(p.Y, p.X) }
