package ingest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/ingest/ingesttest"
	"github.com/godltrigger/godltrigger/pkg/synth"
)

// badInputs writes, next to a copy of a good generated file, bad inputs into a new folder: a
// truncated copy, a file whose event data is overwritten with garbage, a text file named .root,
// and (with DLTRIGGER_TESTDATA) the real file without EFlow collections. It returns the folder,
// the good file and the bad ones.
func badInputs(t *testing.T) (dir, good string, bad []string) {
	t.Helper()
	synthSamples(t)
	src, err := os.ReadFile(filepath.Join(generated.dir, "wjets", "wjets_0000.root"))
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good = write("a_good.root", src)
	bad = append(bad, write("b_truncated.root", src[:len(src)/2]))
	garbled := append([]byte(nil), src...)
	for i := len(src) / 4; i < len(src)/2; i++ { // baskets lie between header and footer
		garbled[i] = byte(i * 7)
	}
	bad = append(bad, write("c_garbled.root", garbled))
	bad = append(bad, write("d_text.root", []byte("this is not a ROOT file\n")))
	if os.Getenv("DLTRIGGER_TESTDATA") != "" {
		bad = append(bad, testData(t, "delphes_d2eic_1000evt_noeflow.root")...)
	} else {
		t.Log("DLTRIGGER_TESTDATA is not set: the real file without EFlow collections is left out")
	}
	return dir, good, bad
}

func TestBadInputsAreSkippedAndListed(t *testing.T) {
	dir, good, bad := badInputs(t)
	patterns := []string{dir}
	for _, b := range bad {
		if filepath.Dir(b) != dir {
			patterns = append(patterns, b)
		}
	}
	sort.Strings(bad) // the summary lists bad inputs sorted by path, wherever they lie
	samples := []Sample{{Name: "wjets", Label: 2, Patterns: patterns}}
	out := t.TempDir()
	var logged []string
	sum, err := Run(context.Background(), Options{Out: out, Samples: samples, Chunk: 4,
		Logf: func(f string, a ...any) { logged = append(logged, strings.TrimSpace(fmt.Sprintf(f, a...))) }})
	if err != nil {
		t.Fatalf("a bad input failed the run without Strict: %v", err)
	}
	if sum.Files != 1+len(bad) || sum.FilesDone != 1 || len(sum.Bad) != len(bad) {
		t.Fatalf("summary: %d files, %d done, bad %v; want %d files, 1 done, %d bad", sum.Files, sum.FilesDone, sum.Bad, 1+len(bad), len(bad))
	}
	for i, b := range sum.Bad {
		if b.Path != bad[i] {
			t.Errorf("bad input %d is %s, want %s", i, b.Path, bad[i])
		}
		if !strings.Contains(b.Err.Error(), filepath.Base(bad[i])) {
			t.Errorf("error for %s does not name it: %v", bad[i], b.Err)
		}
		found := false
		for _, l := range logged {
			found = found || strings.Contains(l, bad[i])
		}
		if !found {
			t.Errorf("%s not reported in the log %q", bad[i], logged)
		}
		t.Logf("%s: %v", filepath.Base(b.Path), b.Err)
	}
	files := ingesttest.Tree(t, out)
	if ingesttest.Parts(files) != 1 {
		t.Errorf("outputs %v, want only the good file's", keys(files))
	}
	if _, ok := files[rel(t, out, OutputPath(out, Input{Path: good, Label: 2}))]; !ok {
		t.Errorf("good input %s has no output among %v", good, keys(files))
	}
}

func TestStrictFailsOnBadInput(t *testing.T) {
	dir, _, bad := badInputs(t)
	for _, b := range bad {
		t.Run(filepath.Base(b), func(t *testing.T) {
			in := t.TempDir()
			data, err := os.ReadFile(filepath.Join(dir, "a_good.root"))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(in, "a_good.root"), data, 0o644); err != nil {
				t.Fatal(err)
			}
			out := t.TempDir()
			samples := []Sample{{Name: "ttbar", Label: 1, Patterns: []string{in, b}}}
			_, err = Run(context.Background(), Options{Out: out, Samples: samples, Strict: true, Workers: 1, Logf: quiet(t)})
			if err == nil || !strings.Contains(err.Error(), filepath.Base(b)) {
				t.Fatalf("strict run: error %v, want one naming %s", err, b)
			}
			if left := temps(t, out); len(left) != 0 {
				t.Errorf("failed run left temporary files %v", left)
			}
		})
	}
}

func TestWorkersDoNotChangeOutput(t *testing.T) {
	samples := synthSamples(t)
	one, two := t.TempDir(), t.TempDir()
	run(t, Options{Out: one, Samples: samples, Workers: 1, Chunk: 5})
	run(t, Options{Out: two, Samples: samples, Workers: 2, Chunk: 3})
	ingesttest.SameTree(t, ingesttest.Tree(t, two), ingesttest.Tree(t, one))
}

// TestChunkSizeDoesNotChangeOutput covers chunks that hold more selected events than one
// Parquet write (written straight from the chunk) as well as fewer (buffered).
func TestChunkSizeDoesNotChangeOutput(t *testing.T) {
	in := t.TempDir()
	_, err := synth.Generate(context.Background(), in, synth.Options{Events: 100, Seed: 3, EventsPerFile: 100, Classes: []synth.Class{synth.WJets}})
	if err != nil {
		t.Fatal(err)
	}
	samples := []Sample{{Name: "wjets", Label: 2, Patterns: []string{filepath.Join(in, "wjets")}}}
	want := t.TempDir()
	sum := run(t, Options{Out: want, Samples: samples, Workers: 1, Chunk: 1})
	if sum.Selected[2] < 2*writeRows {
		t.Fatalf("only %d events selected: too few to span several writes", sum.Selected[2])
	}
	for _, chunk := range []int{7, writeRows + 3, 100} {
		t.Run(fmt.Sprint(chunk), func(t *testing.T) {
			got := t.TempDir()
			run(t, Options{Out: got, Samples: samples, Workers: 2, Chunk: chunk})
			ingesttest.SameTree(t, ingesttest.Tree(t, got), ingesttest.Tree(t, want))
		})
	}
}

func rel(t *testing.T, dir, p string) string {
	r, err := filepath.Rel(dir, p)
	if err != nil {
		t.Fatal(err)
	}
	return filepath.ToSlash(r)
}

func keys[V any](m map[string]V) []string {
	var k []string
	for n := range m {
		k = append(k, n)
	}
	return k
}
