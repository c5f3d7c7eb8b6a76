package delphes

import (
	"reflect"
	"testing"
)

func TestCopyFromIsDeep(t *testing.T) {
	src := Event{Entry: 7}
	src.EFlowTrack = Tracks{PT: []float32{1, 2}, Eta: []float32{0.1, 0.2}, Phi: []float32{1, -1}, X: []float32{0, 0}, Y: []float32{0, 0}, Z: []float32{3, 4}, PID: []int32{211, -211}}
	src.EFlowPhoton = Towers{ET: []float32{5}, Eta: []float32{1}, Phi: []float32{2}}
	src.EFlowNeutralHadron = Towers{ET: []float32{6}, Eta: []float32{-1}, Phi: []float32{-2}}
	src.Electron = Leptons{PT: []float32{30}, Eta: []float32{0.5}, Phi: []float32{0.3}, Charge: []int32{-1}}
	src.Muon = Leptons{} // empty collection
	src.MissingET = MissingET{MET: []float32{40}, Phi: []float32{1.5}}
	src.Jet = Jets{PT: []float32{50, 35}, Eta: []float32{1, 2}, BTag: []uint32{1, 0}}
	var dst Event
	dst.CopyFrom(&src)
	if !reflect.DeepEqual(dst, src) {
		t.Fatalf("copy differs:\n%+v\n%+v", dst, src)
	}
	src.EFlowTrack.PT[0] = 99
	src.Jet.BTag[0] = 7
	if dst.EFlowTrack.PT[0] != 1 || dst.Jet.BTag[0] != 1 {
		t.Fatal("copy shares memory with its source")
	}
}
