package synth

import "math"

// p4 is a four-momentum (GeV) used while building the hard process.
type p4 struct{ px, py, pz, e float64 }

func fromPtEtaPhiM(pt, eta, phi, m float64) p4 {
	s, c := math.Sincos(phi)
	pz := pt * math.Sinh(eta)
	return p4{pt * c, pt * s, pz, math.Sqrt(pt*pt + pz*pz + m*m)}
}

// fromPtYPhiM builds a four-momentum from rapidity y instead of pseudorapidity.
func fromPtYPhiM(pt, y, phi, m float64) p4 {
	s, c := math.Sincos(phi)
	mt := math.Sqrt(pt*pt + m*m)
	return p4{pt * c, pt * s, mt * math.Sinh(y), mt * math.Cosh(y)}
}

func (p p4) pt() float64 { return math.Hypot(p.px, p.py) }

func (p p4) phi() float64 { return math.Atan2(p.py, p.px) }

func (p p4) eta() float64 {
	pt := p.pt()
	if pt == 0 {
		if p.pz >= 0 {
			return 10
		}
		return -10
	}
	return math.Asinh(p.pz / pt)
}

// boost returns p boosted by velocity (bx, by, bz).
func (p p4) boost(bx, by, bz float64) p4 {
	b2 := bx*bx + by*by + bz*bz
	if b2 <= 0 {
		return p
	}
	if b2 >= 1 {
		b2 = 1 - 1e-12
	}
	g := 1 / math.Sqrt(1-b2)
	bp := bx*p.px + by*p.py + bz*p.pz
	g2 := (g - 1) / b2
	return p4{
		p.px + g2*bp*bx + g*bx*p.e,
		p.py + g2*bp*by + g*by*p.e,
		p.pz + g2*bp*bz + g*bz*p.e,
		g * (p.e + bp),
	}
}

// decay2 decays parent (mass M) isotropically into daughters of masses m1 and m2, given
// uniform numbers u1, u2 for the direction in the parent's rest frame.
func decay2(parent p4, m1, m2, u1, u2 float64) (p4, p4) {
	m2p := parent.e*parent.e - parent.px*parent.px - parent.py*parent.py - parent.pz*parent.pz
	M := math.Sqrt(math.Max(m2p, 0))
	if M < m1+m2 {
		M = m1 + m2 + 1e-3
	}
	q := math.Sqrt(math.Max((M*M-(m1+m2)*(m1+m2))*(M*M-(m1-m2)*(m1-m2)), 0)) / (2 * M)
	cost := 2*u1 - 1
	sint := math.Sqrt(math.Max(1-cost*cost, 0))
	s, c := math.Sincos(2 * math.Pi * u2)
	nx, ny, nz := q*sint*c, q*sint*s, q*cost
	d1 := p4{nx, ny, nz, math.Sqrt(q*q + m1*m1)}
	d2 := p4{-nx, -ny, -nz, math.Sqrt(q*q + m2*m2)}
	bx, by, bz := parent.px/parent.e, parent.py/parent.e, parent.pz/parent.e
	return d1.boost(bx, by, bz), d2.boost(bx, by, bz)
}

// wrapPhi folds phi into [-pi, pi).
func wrapPhi(phi float64) float64 {
	for phi >= math.Pi {
		phi -= 2 * math.Pi
	}
	for phi < -math.Pi {
		phi += 2 * math.Pi
	}
	return phi
}
