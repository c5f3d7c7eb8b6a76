package physics

import "math"

// ConeR is the isolation cone radius of the original pipeline.
const ConeR = 0.3

const twoPi = 2 * math.Pi

// PhiRule says how PFIso corrects the azimuthal difference Δφ = φ_i - p.Phi.
type PhiRule int

const (
	// PhiQuirk is the original's rule: Δφ -= 2π only when Δφ > 2π, Δφ += 2π only when
	// Δφ < -2π. Δφ is not folded into [-π, π], so a particle at φ ≈ π is not in the cone of
	// one at φ ≈ -π however close they are. The published datasets were made with it.
	PhiQuirk PhiRule = iota
	// PhiFolded folds Δφ into [-π, π] (FoldPhi), the physically meant cone.
	PhiFolded
)

// String names the rule.
func (r PhiRule) String() string {
	switch r {
	case PhiQuirk:
		return "quirk"
	case PhiFolded:
		return "folded"
	}
	return "PhiRule(?)"
}

// IsoMap is an isolation map: the (η, φ, pt) of the particles of one kind, in file order.
type IsoMap struct {
	Eta, Phi, Pt []float64
}

// Reset empties the map, keeping its storage.
func (m *IsoMap) Reset() {
	m.Eta, m.Phi, m.Pt = m.Eta[:0], m.Phi[:0], m.Pt[:0]
}

// Add appends one particle.
func (m *IsoMap) Add(eta, phi, pt float64) {
	m.Eta = append(m.Eta, eta)
	m.Phi = append(m.Phi, phi)
	m.Pt = append(m.Pt, pt)
}

// Len is the number of particles in the map.
func (m *IsoMap) Len() int { return len(m.Pt) }

// InCone is the original's cone test for one map entry: Δφ is corrected by rule, then the
// entry is in the cone when Δφ² + Δη² < r2, with r2 = R*R computed in float64 as the
// original did (for R = 0.3 it happens to equal the double nearest 0.09).
func InCone(deta, dphi, r2 float64, rule PhiRule) bool {
	if rule == PhiFolded {
		dphi = FoldPhi(dphi)
	} else {
		dphi = quirkDPhi(dphi)
	}
	return float64(dphi*dphi)+float64(deta*deta) < r2
}

// quirkDPhi is the original's Δφ correction (PhiQuirk).
func quirkDPhi(dphi float64) float64 {
	if dphi > twoPi {
		return dphi - twoPi
	}
	if dphi < -twoPi {
		return dphi + twoPi
	}
	return dphi
}

// PFIso is the original's isolation of p in a cone of radius r over map m, with the
// quirky Δφ rule (PhiQuirk): 0 when p.Pt() <= 0; otherwise the sum of the pt of the
// entries in the cone (in map order, summed as numpy does: PairwiseSum) divided by
// p.Pt(), minus 1 when subtract is set (for the charged map, which holds the particle's own
// track). This is the straightforward loop over the whole map; IsoIndex gives the same
// values faster.
func PFIso(p FourVector, r float64, m *IsoMap, subtract bool) float64 {
	return pfisoLoop(p.Pt(), p.Eta(), p.Phi(), r, m, subtract, PhiQuirk, nil)
}

// PFIsoFolded is PFIso with Δφ folded into [-π, π] (PhiFolded).
func PFIsoFolded(p FourVector, r float64, m *IsoMap, subtract bool) float64 {
	return pfisoLoop(p.Pt(), p.Eta(), p.Phi(), r, m, subtract, PhiFolded, nil)
}

// pfisoLoop is PFIso over the whole map for a particle with the given Pt(), Eta(), Phi();
// buf is scratch space for the in-cone pts (may be nil).
func pfisoLoop(pt, eta, phi, r float64, m *IsoMap, subtract bool, rule PhiRule, buf []float64) float64 {
	if pt <= 0 {
		return 0
	}
	r2 := r * r
	buf = buf[:0]
	for i := range m.Pt {
		if InCone(m.Eta[i]-eta, m.Phi[i]-phi, r2, rule) {
			buf = append(buf, m.Pt[i])
		}
	}
	iso := PairwiseSum(buf) / pt
	if subtract {
		iso--
	}
	return iso
}
