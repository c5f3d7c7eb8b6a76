package serve

import (
	"context"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/delphes"
	"github.com/godltrigger/godltrigger/pkg/features"
)

// entries returns the number of events of a Delphes file.
func entries(t testing.TB, path string) int64 {
	t.Helper()
	f, err := delphes.Open(path, delphes.WithLogf(func(string, ...any) {}))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return f.Entries()
}

// checkOutputs verifies that out holds exactly one complete decision file per input of want
// (relative path -> number of events), with one decision per entry, and no temporary file.
// It returns the decisions by input.
func checkOutputs(t testing.TB, out string, want map[string]int64, threshold float64, class int) map[string][]Decision {
	t.Helper()
	got := map[string][]Decision{}
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name := d.Name()
		if name == JournalFile {
			return nil
		}
		if strings.Contains(name, ".tmp-") {
			t.Errorf("temporary output left behind: %s", p)
			return nil
		}
		rel, _ := filepath.Rel(out, p)
		rel = strings.TrimSuffix(filepath.ToSlash(rel), OutputSuffix)
		if _, ok := want[rel]; !ok {
			t.Errorf("unexpected output %s", p)
			return nil
		}
		ds, err := ReadDecisions(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		got[rel] = ds
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for rel, n := range want {
		ds, ok := got[rel]
		if !ok {
			t.Errorf("%s: no decision file", rel)
			continue
		}
		if len(ds) > 0 && (!filepath.IsAbs(ds[0].Source) || !strings.HasSuffix(filepath.ToSlash(ds[0].Source), "/"+rel)) {
			t.Errorf("%s: decisions name the source %q", rel, ds[0].Source)
		}
		if int64(len(ds)) != n {
			t.Errorf("%s: %d decisions for %d events", rel, len(ds), n)
		}
		for i, d := range ds {
			if d.Entry != int64(i) {
				t.Fatalf("%s: decision %d is for entry %d (lost, duplicated or out of order)", rel, i, d.Entry)
			}
			checkDecision(t, rel, d, threshold, class)
		}
	}
	return got
}

// checkDecision verifies the invariants of one decision.
func checkDecision(t testing.TB, rel string, d Decision, threshold float64, class int) {
	t.Helper()
	if d.Triggered != (d.Outcome == features.Selected) {
		t.Fatalf("%s entry %d: triggered %v with outcome %v", rel, d.Entry, d.Triggered, d.Outcome)
	}
	if !d.Triggered {
		for _, p := range d.Probabilities {
			if !math.IsNaN(p) {
				t.Fatalf("%s entry %d: failed the trigger but has probabilities %v", rel, d.Entry, d.Probabilities)
			}
		}
		if d.Pass {
			t.Fatalf("%s entry %d: failed the trigger but passes", rel, d.Entry)
		}
		return
	}
	var sum float64
	for _, p := range d.Probabilities {
		if !(p >= 0 && p <= 1) {
			t.Fatalf("%s entry %d: probabilities %v", rel, d.Entry, d.Probabilities)
		}
		sum += p
	}
	if math.Abs(sum-1) > 1e-5 {
		t.Fatalf("%s entry %d: probabilities %v sum to %v", rel, d.Entry, d.Probabilities, sum)
	}
	if d.Pass != (d.Probabilities[class] >= threshold) {
		t.Fatalf("%s entry %d: pass %v with P = %v and threshold %v", rel, d.Entry, d.Pass, d.Probabilities[class], threshold)
	}
}

// tempOutputs lists the temporary files under out.
func tempOutputs(t testing.TB, out string) []string {
	t.Helper()
	var tmp []string
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.Contains(d.Name(), ".tmp-") {
			tmp = append(tmp, p)
		}
		return nil
	})
	return tmp
}

// journalLines returns the records of out's journal.
func journalLines(t testing.TB, out string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, JournalFile))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}
