package serve

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Unreadable files are reported by name and skipped without stopping the stream; they are
// not retried until they change.
func TestBadFilesAreReportedAndSkipped(t *testing.T) {
	f := testFixture(t)
	watch, out := t.TempDir(), t.TempDir()
	rels := f.rootFiles(t)
	want := map[string]int64{}
	for _, rel := range rels[:2] {
		copyFile(t, filepath.Join(f.events, rel), filepath.Join(watch, rel))
		want[rel] = entries(t, filepath.Join(watch, rel))
	}
	good, err := os.ReadFile(filepath.Join(f.events, rels[2]))
	if err != nil {
		t.Fatal(err)
	}
	bad := map[string][]byte{
		"aaa/garbage.root":    []byte("this is not a ROOT file"),
		"aaa/truncated.root":  good[:len(good)*2/3],
		"aaa/garbage.parquet": []byte("PAR1 nor is this Parquet"),
	}
	for rel, data := range bad {
		os.MkdirAll(filepath.Join(watch, filepath.Dir(rel)), 0o755)
		if err := os.WriteFile(filepath.Join(watch, rel), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Files that are not inputs, or not yet complete, are left alone.
	for _, name := range []string{"notes.txt", ".hidden.root", "x.root.tmp", "_SUCCESS", "y.root.tmp-123"} {
		if err := os.WriteFile(filepath.Join(watch, name), []byte("junk"), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	opts := f.options(watch, out)
	opts.Once = true
	var mu sync.Mutex
	var logs []string
	opts.Logf = func(format string, args ...any) {
		mu.Lock()
		logs = append(logs, fmt.Sprintf(format, args...))
		mu.Unlock()
	}
	st, err := newServer(t, opts).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Files != 2 || st.Bad != int64(len(bad)) {
		t.Fatalf("stats %+v, want 2 files decided and %d bad", st, len(bad))
	}
	all := strings.Join(logs, "\n")
	for rel := range bad {
		if !strings.Contains(all, filepath.Join(watch, rel)) {
			t.Errorf("bad file %s not reported; logs:\n%s", rel, all)
		}
	}
	checkOutputs(t, out, want, opts.Threshold, 1)

	// Not retried while unchanged; decided once replaced by a good file.
	logs = nil
	st, err = newServer(t, opts).Run(context.Background())
	if err != nil || st.Bad != 0 || st.Files != 0 || st.Processed != 0 {
		t.Fatalf("second run: %+v, %v; want nothing done", st, err)
	}
	fixed := "aaa/truncated.root"
	if err := os.WriteFile(filepath.Join(watch, fixed), good, 0o644); err != nil {
		t.Fatal(err)
	}
	st, err = newServer(t, opts).Run(context.Background())
	if err != nil || st.Files != 1 || st.Bad != 0 {
		t.Fatalf("after repairing %s: %+v, %v; want it decided", fixed, st, err)
	}
	want[fixed] = entries(t, filepath.Join(watch, fixed))
	checkOutputs(t, out, want, opts.Threshold, 1)
}
