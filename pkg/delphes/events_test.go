package delphes

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	"go-hep.org/x/hep/groot/rtree"
)

// multiplicity is the mean number of objects per event in generated events.
type multiplicity struct {
	tracks, photons, neutrals, electrons, muons, jets int
}

var smallMult = multiplicity{tracks: 20, photons: 5, neutrals: 5, electrons: 1, muons: 1, jets: 3}

// realisticMult resembles 13 TeV Delphes events.
var realisticMult = multiplicity{tracks: 300, photons: 40, neutrals: 40, electrons: 1, muons: 1, jets: 8}

// genEvents returns n random events (deterministic for a seed), with empty collections too.
func genEvents(n int, seed uint64, m multiplicity) []Event {
	r := rand.New(rand.NewPCG(seed, 1))
	count := func(mean int) int {
		if mean == 0 {
			return 0
		}
		return r.IntN(2*mean + 1)
	}
	f := func(n int, scale float64) []float32 {
		s := make([]float32, n)
		for i := range s {
			s[i] = float32(r.NormFloat64() * scale)
		}
		return s
	}
	evs := make([]Event, n)
	for i := range evs {
		ev := &evs[i]
		ev.Entry = int64(i)
		nt := count(m.tracks)
		ev.EFlowTrack = Tracks{PT: f(nt, 10), Eta: f(nt, 2), Phi: f(nt, 1.5), X: f(nt, 0.01), Y: f(nt, 0.01), Z: f(nt, 50), PID: make([]int32, nt)}
		for k := range ev.EFlowTrack.PID {
			ev.EFlowTrack.PID[k] = []int32{211, -211, 11, -11, 13, -13, 321}[r.IntN(7)]
		}
		np, nn := count(m.photons), count(m.neutrals)
		ev.EFlowPhoton = Towers{ET: f(np, 5), Eta: f(np, 2), Phi: f(np, 1.5)}
		ev.EFlowNeutralHadron = Towers{ET: f(nn, 5), Eta: f(nn, 2), Phi: f(nn, 1.5)}
		lep := func(n int) Leptons {
			l := Leptons{PT: f(n, 30), Eta: f(n, 2), Phi: f(n, 1.5), Charge: make([]int32, n)}
			for k := range l.Charge {
				l.Charge[k] = int32(2*r.IntN(2) - 1)
			}
			return l
		}
		ev.Electron, ev.Muon = lep(count(m.electrons)), lep(count(m.muons))
		ev.MissingET = MissingET{MET: f(1, 40), Phi: f(1, 1.5)}
		nj := count(m.jets)
		ev.Jet = Jets{PT: f(nj, 50), Eta: f(nj, 2), BTag: make([]uint32, nj)}
		for k := range ev.Jet.BTag {
			ev.Jet.BTag[k] = uint32(r.IntN(4))
		}
	}
	return evs
}

// writeFlat writes evs to a new flat file in a test directory, with go-hep write options
// (default: zlib compression), and returns its path.
func writeFlat(tb testing.TB, evs []Event, opts ...rtree.WriteOption) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "flat.root")
	w, err := NewFlatWriter(path, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	for i := range evs {
		if err := w.Write(&evs[i]); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

// readAll reads every event of path, copying them.
func readAll(tb testing.TB, path string, opts ...ReadOption) []Event {
	tb.Helper()
	f, err := Open(path, WithLogf(nil))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var evs []Event
	err = f.Read(context.Background(), func(ev *Event) error {
		evs = append(evs, cloneEvent(ev))
		return nil
	}, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	return evs
}

// sameEvents reports the first difference between two event lists ("" when equal).
func sameEvents(got, want []Event) string {
	if len(got) != len(want) {
		return "event count " + itoa(len(got)) + " != " + itoa(len(want))
	}
	for i := range got {
		if !reflect.DeepEqual(normalize(got[i]), normalize(want[i])) {
			return "event " + itoa(i) + " differs"
		}
	}
	return ""
}

// normalize makes empty slices nil so that DeepEqual compares contents only.
func normalize(ev Event) Event {
	v := reflect.ValueOf(&ev).Elem()
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				walk(v.Field(i))
			}
		case reflect.Slice:
			if v.Len() == 0 {
				v.Set(reflect.Zero(v.Type()))
			}
		}
	}
	walk(v)
	return ev
}

func itoa(i int) string { return strconv.Itoa(i) }

func cloneEvent(ev *Event) Event {
	var c Event
	c.CopyFrom(ev)
	return c
}
