package features_test

import (
	"fmt"

	"github.com/godltrigger/godltrigger/pkg/delphes"
	"github.com/godltrigger/godltrigger/pkg/features"
)

func ExampleExtractor_Extract() {
	ev := &delphes.Event{
		EFlowTrack: delphes.Tracks{ // the muon's own track and one more
			PT: []float32{40, 5}, Eta: []float32{0, 1.5}, Phi: []float32{0, 0},
			X: []float32{0, 0}, Y: []float32{0, 0}, Z: []float32{0, 0}, PID: []int32{-13, 211},
		},
		EFlowPhoton:        delphes.Towers{ET: []float32{5}, Eta: []float32{-1.5}, Phi: []float32{2}},
		EFlowNeutralHadron: delphes.Towers{ET: []float32{6}, Eta: []float32{-1.5}, Phi: []float32{-2}},
		Muon:               delphes.Leptons{PT: []float32{40}, Eta: []float32{0}, Phi: []float32{0}, Charge: []int32{1}},
		MissingET:          delphes.MissingET{MET: []float32{50}, Phi: []float32{1}},
	}
	x := features.NewExtractor(features.Options{})
	l := make([]float64, features.NumParticles*features.NumColumns)
	h := make([]float64, features.NumHLF)
	fmt.Println(x.Extract(ev, l, h))
	fmt.Println("lepton E, Pt, isMu:", l[features.ColEnergy], l[features.ColPt], l[features.ColIsMu])
	fmt.Println("row 1 Pt, isChHad:", l[features.NumColumns+features.ColPt], l[features.NumColumns+features.ColIsChHad])
	fmt.Printf("MET %.0f, MT %.1f (no square root)\n", h[features.HLFMET], h[features.HLFMT])
	// Output:
	// selected
	// lepton E, Pt, isMu: 40 40 1
	// row 1 Pt, isChHad: 5 1
	// MET 50, MT 1838.8 (no square root)
}
