package physics_test

import (
	"fmt"
	"math"

	"github.com/godltrigger/godltrigger/pkg/physics"
)

// Particles are massless four-vectors built from (pt, eta, phi); ΔR is their distance in
// (eta, phi), with the azimuthal difference folded into [-π, π].
func ExampleDeltaR() {
	lepton := physics.NewMassless(30, 0.5, 3.0)
	track := physics.NewMassless(2, 0.5, 3.0-2*math.Pi+0.2) // 0.2 away across phi = ±π
	fmt.Printf("lepton pt %.1f eta %.2f phi %.2f\n", lepton.Pt(), lepton.Eta(), lepton.Phi())
	dr := physics.DeltaR(lepton, track)
	fmt.Printf("ΔR %.3f, inside the isolation cone of %.1f: %v\n", dr, physics.ConeR, dr < physics.ConeR)
	// Output:
	// lepton pt 30.0 eta 0.50 phi 3.00
	// ΔR 0.200, inside the isolation cone of 0.3: true
}
