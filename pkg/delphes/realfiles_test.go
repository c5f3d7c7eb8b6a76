package delphes

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Real Delphes files in $DLTRIGGER_TESTDATA.
const (
	fileZH       = "delphes_zh_100evt.root"             // ROOT 5.34, 100 events
	fileSeungjin = "delphes_seungjin_10evt.root"        // ROOT 6.18, 10 events, cycles Delphes;1 and ;2
	fileNoEFlow  = "delphes_d2eic_1000evt_noeflow.root" // no EFlow collections
)

// testdata returns the path of a real fixture, skipping when DLTRIGGER_TESTDATA is unset and
// failing when it is set but the file is missing.
func testdata(tb testing.TB, name string) string {
	tb.Helper()
	dir := os.Getenv("DLTRIGGER_TESTDATA")
	if dir == "" {
		tb.Skip("DLTRIGGER_TESTDATA is unset: skipping the tests on real Delphes files")
	}
	p := filepath.Join(dir, name)
	if _, err := os.Stat(p); err != nil {
		tb.Fatalf("DLTRIGGER_TESTDATA is set but the fixture is missing: %v", err)
	}
	return p
}

// jsrootSummary is what testdata/jsroot_sums.mjs prints.
type jsrootSummary struct {
	Entries     int64  `json:"entries"`
	Muon        string `json:"muon"`
	Collections map[string]struct {
		Count    int                `json:"count"`
		PerEvent []int              `json:"perEvent"`
		Sums     map[string]float64 `json:"sums"`
	} `json:"collections"`
}

// jsrootDir finds the jsroot npm package installed by scripts/install-deps.sh.
func jsrootDir(tb testing.TB) string {
	tb.Helper()
	if d := os.Getenv("DLTRIGGER_JSROOT"); d != "" {
		return d
	}
	dir, _ := os.Getwd()
	for {
		p := filepath.Join(dir, ".tools", "node", "node_modules", "jsroot")
		if _, err := os.Stat(filepath.Join(p, "modules", "main.mjs")); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Skip("jsroot is not installed (run scripts/install-deps.sh): skipping the comparison with jsroot")
		}
		dir = parent
	}
}

// runJSROOT summarises path with jsroot.
func runJSROOT(tb testing.TB, path string) jsrootSummary {
	tb.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		tb.Skip("node is not installed: skipping the comparison with jsroot")
	}
	out, err := exec.Command(node, "testdata/jsroot_sums.mjs", jsrootDir(tb), path).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			tb.Fatalf("jsroot: %v\n%s", err, ee.Stderr)
		}
		tb.Fatalf("jsroot: %v", err)
	}
	var s jsrootSummary
	if err := json.Unmarshal(out, &s); err != nil {
		tb.Fatalf("jsroot output: %v\n%s", err, out)
	}
	return s
}

// summarize computes with our reader what jsroot_sums.mjs computes.
func summarize(tb testing.TB, path string) jsrootSummary {
	tb.Helper()
	f, err := Open(path, WithLogf(nil))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	s := jsrootSummary{Entries: f.Entries(), Muon: f.MuonBranch()}
	s.Collections = map[string]struct {
		Count    int                `json:"count"`
		PerEvent []int              `json:"perEvent"`
		Sums     map[string]float64 `json:"sums"`
	}{}
	type acc struct {
		count    int
		perEvent []int
		sums     map[string]float64
	}
	accs := map[string]*acc{}
	for i := range collections {
		accs[collections[i].name] = &acc{sums: map[string]float64{}}
	}
	err = f.Read(context.Background(), func(ev *Event) error {
		for i := range collections {
			spec := &collections[i]
			a := accs[spec.name]
			for k, m := range spec.members {
				var sum float64
				var n int
				switch m.kind {
				case kindF32:
					for _, v := range *m.f32(ev) {
						sum += float64(v)
					}
					n = len(*m.f32(ev))
				case kindI32:
					for _, v := range *m.i32(ev) {
						sum += float64(v)
					}
					n = len(*m.i32(ev))
				case kindU32:
					for _, v := range *m.u32(ev) {
						sum += float64(v)
					}
					n = len(*m.u32(ev))
				}
				if k == 0 {
					a.count += n
					a.perEvent = append(a.perEvent, n)
				}
				a.sums[m.name] += sum
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	for name, a := range accs {
		s.Collections[name] = struct {
			Count    int                `json:"count"`
			PerEvent []int              `json:"perEvent"`
			Sums     map[string]float64 `json:"sums"`
		}{a.count, a.perEvent, a.sums}
	}
	return s
}

func closeEnough(got, want float64) bool {
	return math.Abs(got-want) <= 1e-6*math.Max(1, math.Abs(want))
}

func TestRealFilesMatchJSROOT(t *testing.T) {
	for _, name := range []string{fileZH, fileSeungjin} {
		t.Run(name, func(t *testing.T) {
			path := testdata(t, name)
			want := runJSROOT(t, path)
			got := summarize(t, path)
			if got.Entries != want.Entries || got.Muon != want.Muon {
				t.Fatalf("entries %d muons %s, jsroot %d %s", got.Entries, got.Muon, want.Entries, want.Muon)
			}
			if len(want.Collections) != len(collections) {
				t.Fatalf("jsroot summarised %d collections", len(want.Collections))
			}
			for coll, w := range want.Collections {
				g := got.Collections[coll]
				if g.Count != w.Count {
					t.Errorf("%s: %d objects, jsroot %d", coll, g.Count, w.Count)
				}
				for i := range w.PerEvent {
					if i >= len(g.PerEvent) || g.PerEvent[i] != w.PerEvent[i] {
						t.Errorf("%s: event %d count differs from jsroot's %d", coll, i, w.PerEvent[i])
						break
					}
				}
				for m, ws := range w.Sums {
					if gs, ok := g.Sums[m]; !ok || !closeEnough(gs, ws) {
						t.Errorf("%s.%s: sum %.9g, jsroot %.9g", coll, m, gs, ws)
					}
				}
			}
		})
	}
}

// TestRealFilesSpotChecks pins a few values read by jsroot 7.11.2, so that the test fails
// even where node is missing.
func TestRealFilesSpotChecks(t *testing.T) {
	for _, tc := range []struct {
		name       string
		entries    int64
		tracks     []int // EFlowTrack counts of the first events
		jets       []int
		sumTrackPT float64
		sumMET     float64
		sumJetBTag float64
	}{
		{fileSeungjin, 10, []int{94, 121, 77, 70}, []int{10, 10, 7, 6}, 3407.023896828294, 320.51716899871826, 25},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := summarize(t, testdata(t, tc.name))
			if s.Entries != tc.entries {
				t.Fatalf("entries %d, want %d", s.Entries, tc.entries)
			}
			tr, jt := s.Collections["EFlowTrack"], s.Collections["Jet"]
			for i := range tc.tracks {
				if tr.PerEvent[i] != tc.tracks[i] || jt.PerEvent[i] != tc.jets[i] {
					t.Errorf("event %d: %d tracks %d jets, want %d %d", i, tr.PerEvent[i], jt.PerEvent[i], tc.tracks[i], tc.jets[i])
				}
			}
			if !closeEnough(tr.Sums["PT"], tc.sumTrackPT) || !closeEnough(s.Collections["MissingET"].Sums["MET"], tc.sumMET) ||
				!closeEnough(jt.Sums["BTag"], tc.sumJetBTag) {
				t.Errorf("sums PT %v MET %v BTag %v", tr.Sums["PT"], s.Collections["MissingET"].Sums["MET"], jt.Sums["BTag"])
			}
		})
	}
}

func TestRealFileLayout(t *testing.T) {
	for _, name := range []string{fileZH, fileSeungjin} {
		t.Run(name, func(t *testing.T) {
			var said []string
			f, err := Open(testdata(t, name), WithLogf(func(format string, args ...any) {
				said = append(said, format)
			}))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if f.Layout() != LayoutSplit || f.MuonBranch() != "Muon" {
				t.Errorf("layout %s muons %s, want split Muon", f.Layout(), f.MuonBranch())
			}
			if len(said) != 1 {
				t.Errorf("muon branch announced %d times", len(said))
			}
		})
	}
}

func TestRealFileWithoutEFlow(t *testing.T) {
	path := testdata(t, fileNoEFlow)
	_, err := Open(path, WithLogf(nil))
	if err == nil {
		t.Fatal("opened a file without the needed collections")
	}
	for _, want := range []string{"delphes: open", path, "missing collection EFlowTrack", "Jet"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}
