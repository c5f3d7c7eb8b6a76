package delphes

import (
	"bytes"
	"fmt"
	"runtime/debug"
	"strings"
	"testing"

	"go-hep.org/x/hep/groot/rbytes"
	"go-hep.org/x/hep/groot/rdict"
	"go-hep.org/x/hep/groot/rmeta"
)

// boundStack makes a runaway recursion fail within 64 MiB of stack instead of 1 GB, for the
// duration of the test. It is a fatal error either way: the point is to fail fast.
func boundStack(t *testing.T) {
	old := debug.SetMaxStack(64 << 20)
	t.Cleanup(func() { debug.SetMaxStack(old) })
}

// classContext resolves classes from a fixed set of StreamerInfos.
type classContext map[string]rbytes.StreamerInfo

func (c classContext) StreamerInfo(name string, _ int) (rbytes.StreamerInfo, error) {
	if si, ok := c[name]; ok {
		return si, nil
	}
	return nil, fmt.Errorf("no streamer for %q", name)
}

func TestStreamerGuardCycles(t *testing.T) {
	boundStack(t)
	ptr := func(name, typ string) rbytes.StreamerElement {
		return &rdict.StreamerObjectAnyPointer{StreamerElement: element(name, "", typ+"*", rmeta.AnyP, 8)}
	}
	val := func(name, typ string) rbytes.StreamerElement {
		return &rdict.StreamerObjectAny{StreamerElement: element(name, "", typ, rmeta.Any, 8)}
	}
	stl := func(name, typ string, vt rmeta.ESTLType) rbytes.StreamerElement {
		return rdict.NewCxxStreamerSTL(element(name, "", typ, rmeta.STL, 24), vt, rmeta.Object)
	}
	num := &rdict.StreamerBasicType{StreamerElement: element("fN", "", "int", rmeta.Int32, 4)}
	ctx := classContext{}
	class := func(name string, elems ...rbytes.StreamerElement) {
		ctx[name] = rdict.NewCxxStreamerInfo(name, 1, 1, elems)
	}
	class("ND::TDatum", ptr("fParent", "ND::TDatum"), num)
	class("A", stl("fB", "vector<B*>", rmeta.STLvector))
	class("B", ptr("fA", "A"))
	class("C", val("fDatum", "ND::TDatum"), num)
	class("D", rdict.NewStreamerBase(element("E", "", "BASE", rmeta.Base, 0), 1), num)
	class("E", stl("fD", "map<int,D*>", rmeta.STLmap))
	class("F", val("fG", "G"), val("fH", "H"))
	class("G", val("fI", "I"))
	class("H", val("fI", "I"), stl("fIs", "vector<I>", rmeta.STLvector))
	class("I", num)
	// ROOT describes ROOT::VecOps::RVec<float> by one element of its own type, "This": a
	// container go-hep builds from its argument, not a class that contains itself.
	class("ROOT::VecOps::RVec<float>", rdict.NewCxxStreamerSTL(
		element("This", "<Float_t> Used to call the proper TStreamerInfo case", "ROOT::VecOps::RVec<float>", rmeta.Streamer, 24),
		rmeta.STLend, rmeta.Float32))
	for name, want := range map[string]string{
		"ROOT::VecOps::RVec<float>": "",
		"ND::TDatum":                "recursive class ND::TDatum -> ND::TDatum",
		"A":                         "recursive class A -> B -> A",
		"B":                         "recursive class",
		"C":                         "recursive class ND::TDatum -> ND::TDatum",
		"D":                         "recursive class",
		"E":                         "recursive class",
		"F":                         "",
		"G":                         "",
		"H":                         "",
		"I":                         "",
	} {
		g := newStreamerGuard(ctx)
		if got := g.cycleOf(ctx[name]); !strings.Contains(got, want) || want == "" && got != "" {
			t.Errorf("%s: cycle %q, want %q", name, got, want)
		}
		si, err := g.StreamerInfo(name, -1)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if replaced := si != ctx[name]; replaced != (want != "") {
			t.Errorf("%s: replaced by a stand-in: %v; reasons %v", name, replaced, g.replaced)
		}
		if _, err := rdict.TypeFromSI(g, si); err != nil {
			t.Errorf("%s: the type of what the guard hands out does not build: %v", name, err)
		}
	}
}

func TestStreamerGuardReportsUnbuildable(t *testing.T) {
	ctx := classContext{}
	ctx["ev::HitList"] = fixtureStreamers(fixtureUnsupported)[0]
	ctx["Holder"] = rdict.NewCxxStreamerInfo("Holder", 1, 1, []rbytes.StreamerElement{
		&rdict.StreamerObjectAny{StreamerElement: element("fHits", "", "ev::HitList", rmeta.Any, 8)},
	})
	g := newStreamerGuard(ctx)
	for _, name := range []string{"Holder", "ev::HitList", "Missing"} {
		si, err := g.StreamerInfo(name, -1)
		if err != nil || si == ctx[name] || !strings.HasPrefix(si.Name(), "unsupported ") {
			t.Errorf("%s: %v, %v", name, si, err)
		}
	}
	for name, want := range map[string]string{
		"Holder":      "STL container not implemented: rdict.StreamerSTL (vtype=STLforwardlist)",
		"ev::HitList": "STL container not implemented",
		"Missing":     "no StreamerInfo for class Missing",
	} {
		if !strings.Contains(g.replaced[name], want) {
			t.Errorf("%s: reason %q, want %q", name, g.replaced[name], want)
		}
	}
	if _, err := g.StreamerInfo("float", -1); err == nil {
		t.Error("a builtin type got a stand-in: go-hep expects the lookup to fail")
	}
	// Like go-hep when it decodes a key, the guard describes std::string and std::vector<T>
	// for files that do not.
	for _, name := range []string{"string", "vector<float>", "vector<ev::HitList>"} {
		si, err := g.StreamerInfo(name, -1)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		unsupported := strings.HasPrefix(si.Name(), "unsupported ")
		if unsupported != (name == "vector<ev::HitList>") {
			t.Errorf("%s: described as %s", name, si.Name())
		}
	}
}

// TestListSelfReferentialClass lists a valid file whose class ND::TDatum points to itself: go-hep
// v0.40.0 alone recurses forever building its type.
func TestListSelfReferentialClass(t *testing.T) {
	boundStack(t)
	l, err := List(fixtureSelfRef)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Trees) != 1 || l.Trees[0].Name != "data" || l.Trees[0].Entries != 4 || len(l.Trees[0].Branches) != 2 {
		t.Fatalf("trees %+v", l.Trees)
	}
	run, datum := l.Trees[0].Branches[0], l.Trees[0].Branches[1]
	if run.Name != "run" || run.Type != "int32" || run.Unsupported != "" {
		t.Errorf("branch run: %+v", run)
	}
	if datum.Name != "datum" || !strings.Contains(datum.Unsupported, "recursive class ND::TDatum -> ND::TDatum") {
		t.Errorf("branch datum: %+v", datum)
	}
	if err := l.Damaged(); err != nil {
		t.Errorf("an unsupported class is reported as damage: %v", err)
	}
	var out bytes.Buffer
	if err := l.Write(&out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "[unsupported by the reader: class ND::TDatum: recursive class") || strings.Contains(out.String(), "corrupt") {
		t.Errorf("listing:\n%s", out.String())
	}
	if _, err := Open(fixtureSelfRef, WithLogf(nil)); err == nil || !strings.Contains(err.Error(), "no Delphes tree") {
		t.Errorf("open: %v", err)
	}
}
