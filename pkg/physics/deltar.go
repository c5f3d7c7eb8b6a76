package physics

import "math"

// FoldPhi brings an azimuthal difference into [-π, π] the way the original's DeltaR does:
// by repeated subtraction or addition of 2π (not by a remainder, which rounds differently).
// NaN and ±Inf are returned unchanged.
func FoldPhi(dphi float64) float64 {
	if math.IsInf(dphi, 0) {
		return dphi
	}
	for dphi > math.Pi {
		dphi -= 2 * math.Pi
	}
	for dphi < -math.Pi {
		dphi += 2 * math.Pi
	}
	return dphi
}

// DeltaR is sqrt(Δη² + Δφ²) between a and b, with Δη = a.Eta - b.Eta and Δφ = a.Phi - b.Phi
// folded into [-π, π].
func DeltaR(a, b FourVector) float64 {
	return DeltaREtaPhi(a.Eta(), a.Phi(), b.Eta(), b.Phi())
}

// DeltaREtaPhi is DeltaR for precomputed pseudorapidities and azimuths.
func DeltaREtaPhi(etaA, phiA, etaB, phiB float64) float64 {
	deta := etaA - etaB
	dphi := FoldPhi(phiA - phiB)
	return math.Sqrt(float64(deta*deta) + float64(dphi*dphi))
}
