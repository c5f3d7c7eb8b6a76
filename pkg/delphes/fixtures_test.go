package delphes

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go-hep.org/x/hep/groot/rbase"
	"go-hep.org/x/hep/groot/rbytes"
	"go-hep.org/x/hep/groot/rdict"
	"go-hep.org/x/hep/groot/riofs"
	"go-hep.org/x/hep/groot/rmeta"
	"go-hep.org/x/hep/groot/rtree"
)

// Hand-built ROOT files in testdata, written by writeFixture with go-hep's writer and
// hand-made StreamerInfos. Regenerate them with
//
//	go test ./pkg/delphes -run TestHandBuiltFixtures -update-fixtures
const (
	// fixtureSelfRef holds tree "data": an int32 branch "run" and an object branch "datum" of
	// class ND::TDatum, whose StreamerInfo has a member ND::TDatum* fParent.
	fixtureSelfRef = "testdata/selfref.root"
	// fixtureUnsupported holds tree "events": an int32 branch "n" and an object branch "hits"
	// of class ev::HitList, with a std::forward_list<int> member (a container go-hep v0.40.0
	// cannot build a type for), and tree "plain" with a float32 branch "x".
	fixtureUnsupported = "testdata/unsupported.root"
)

var updateFixtures = flag.Bool("update-fixtures", false, "rewrite the hand-built ROOT files in testdata")

// element makes a StreamerElement description.
func element(name, title, typeName string, typ rmeta.Enum, size int32) rdict.StreamerElement {
	return rdict.Element{Name: *rbase.NewNamed(name, title), Type: typ, Size: size, EName: typeName}.New()
}

// ndDatum is written as ND::TDatum: a null fParent (written as a 4-byte null tag) and a value.
type ndDatum struct {
	Parent int32 `groot:"fParent"`
	Value  int32 `groot:"fValue"`
}

func (*ndDatum) Class() string { return "ND::TDatum" }

// hitList is written as ev::HitList.
type hitList struct {
	Hits []int32 `groot:"fHits"`
}

func (*hitList) Class() string { return "ev::HitList" }

// fixtureStreamers are the hand-made StreamerInfos of the fixtures' classes.
func fixtureStreamers(name string) []rbytes.StreamerInfo {
	switch name {
	case fixtureSelfRef:
		return []rbytes.StreamerInfo{rdict.NewCxxStreamerInfo("ND::TDatum", 1, 0x7d1a7e11, []rbytes.StreamerElement{
			&rdict.StreamerObjectAnyPointer{StreamerElement: element("fParent", "the datum this one belongs to", "ND::TDatum*", rmeta.AnyP, 8)},
			&rdict.StreamerBasicType{StreamerElement: element("fValue", "", "int", rmeta.Int32, 4)},
		})}
	default:
		return []rbytes.StreamerInfo{rdict.NewCxxStreamerInfo("ev::HitList", 1, 0x417115, []rbytes.StreamerElement{
			rdict.NewCxxStreamerSTL(element("fHits", "", "forward_list<int>", rmeta.STL, 24), rmeta.STLforwardlist, rmeta.Int32),
		})}
	}
}

// writeFixture writes the hand-built file name (one of the fixture constants) at path.
func writeFixture(tb testing.TB, name, path string) {
	tb.Helper()
	f, err := riofs.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	for _, si := range fixtureStreamers(name) {
		f.RegisterStreamer(si)
	}
	write := func(tree string, vars []rtree.WriteVar, n int, fill func(i int)) {
		w, err := rtree.NewWriter(f, tree, vars)
		if err != nil {
			tb.Fatal(err)
		}
		for i := 0; i < n; i++ {
			fill(i)
			if _, err := w.Write(); err != nil {
				tb.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			tb.Fatal(err)
		}
	}
	switch name {
	case fixtureSelfRef:
		var run int32
		var d ndDatum
		write("data", []rtree.WriteVar{{Name: "run", Value: &run}, {Name: "datum", Value: &d}}, 4, func(i int) {
			run, d.Value = int32(100+i), int32(i)
		})
	default:
		var n int32
		var h hitList
		write("events", []rtree.WriteVar{{Name: "n", Value: &n}, {Name: "hits", Value: &h}}, 5, func(i int) {
			n, h.Hits = int32(i), make([]int32, i)
		})
		var x float32
		write("plain", []rtree.WriteVar{{Name: "x", Value: &x}}, 3, func(i int) { x = float32(i) / 2 })
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}

// TestHandBuiltFixtures checks that the committed fixtures are what writeFixture writes (ROOT
// files carry dates and UUIDs, so their listings are compared), or rewrites them with
// -update-fixtures.
func TestHandBuiltFixtures(t *testing.T) {
	for _, name := range []string{fixtureSelfRef, fixtureUnsupported} {
		if *updateFixtures {
			writeFixture(t, name, name)
			continue
		}
		fresh := filepath.Join(t.TempDir(), filepath.Base(name))
		writeFixture(t, name, fresh)
		if _, err := os.Stat(name); err != nil {
			t.Fatalf("%v (run with -update-fixtures)", err)
		}
		_, got := listingOf(t, name)
		_, want := listingOf(t, fresh)
		if got, want = strings.ReplaceAll(got, name, "FILE"), strings.ReplaceAll(want, fresh, "FILE"); got != want {
			t.Errorf("%s differs from what writeFixture writes (run with -update-fixtures):\n%s\nwant:\n%s", name, got, want)
		}
	}
}
