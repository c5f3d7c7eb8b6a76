package serve

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A file decided once and then replaced under the same name (another size and modification
// time) is decided again, after a restart, into an output of its own; the first decisions
// stay, and the journal and the log say what happened.
func TestReplacedFileIsDecidedAgain(t *testing.T) {
	f := testFixture(t)
	watch, _ := watchAll(t, f)
	out := t.TempDir()
	opts := f.options(watch, out)
	opts.Once = true
	if _, err := newServer(t, opts).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	const replaced, other = "qcd/qcd_0000.root", "ttbar/ttbar_0000.root"
	if size(t, filepath.Join(watch, replaced)) == size(t, filepath.Join(watch, other)) {
		t.Fatalf("%s and %s have the same size", replaced, other)
	}
	first, err := os.ReadFile(OutputPath(out, replaced))
	if err != nil {
		t.Fatal(err)
	}
	copyFile(t, filepath.Join(watch, other), filepath.Join(watch, replaced))
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(filepath.Join(watch, replaced), later, later); err != nil {
		t.Fatal(err)
	}

	var logged []string
	opts.Logf = func(format string, args ...any) { logged = append(logged, fmt.Sprintf(format, args...)) }
	st, err := newServer(t, opts).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Files != 1 || st.Skipped != testFiles-1 {
		t.Fatalf("after the replacement: %+v, want the replaced file decided and the others skipped", st)
	}
	gen2 := GenerationPath(out, replaced, 2)
	ds, err := ReadDecisions(context.Background(), gen2)
	if err != nil {
		t.Fatalf("no decisions of the new file: %v", err)
	}
	wantDs, err := ReadDecisions(context.Background(), OutputPath(out, other))
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != len(wantDs) {
		t.Fatalf("%s holds %d decisions, want one per event of the new file (%d)", gen2, len(ds), len(wantDs))
	}
	for i := range ds {
		if ds[i].Pass != wantDs[i].Pass || ds[i].Outcome != wantDs[i].Outcome || (ds[i].Triggered && ds[i].Probabilities != wantDs[i].Probabilities) {
			t.Fatalf("decision %d of the new file: %+v, want those of the file it was copied from: %+v", i, ds[i], wantDs[i])
		}
	}
	if again, err := os.ReadFile(OutputPath(out, replaced)); err != nil || string(again) != string(first) {
		t.Errorf("the first decisions of %s were changed or removed (%v)", replaced, err)
	}
	if log := strings.Join(logged, "\n"); !strings.Contains(log, replaced) || !strings.Contains(log, "was replaced") || !strings.Contains(log, gen2) {
		t.Errorf("log does not say %s was replaced and decided into %s:\n%s", replaced, gen2, log)
	}
	lines := journalLines(t, out)
	found := false
	for _, l := range lines {
		found = found || (strings.Contains(l, `"op":"replaced"`) && strings.Contains(l, replaced) && strings.Contains(l, `"generation":2`))
	}
	if !found {
		t.Errorf("journal has no replaced record of %s, generation 2:\n%s", replaced, strings.Join(lines, "\n"))
	}

	// A further restart decides nothing and journals nothing.
	st, err = newServer(t, opts).Run(context.Background())
	if err != nil || st.Files != 0 || st.Skipped != testFiles {
		t.Fatalf("third run: %+v, %v; want every file skipped", st, err)
	}
	if n := len(journalLines(t, out)); n != len(lines) {
		t.Errorf("third run added %d journal lines", n-len(lines))
	}
}

func size(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

func TestGenerationPath(t *testing.T) {
	for gen, want := range map[int]string{0: "o/a/b.root.decisions.parquet", 1: "o/a/b.root.decisions.parquet", 3: "o/a/b.root.gen3.decisions.parquet"} {
		if got := filepath.ToSlash(GenerationPath("o", "a/b.root", gen)); got != want {
			t.Errorf("generation %d: %s, want %s", gen, got, want)
		}
	}
}
