package serve

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Files appear in the watched directory while the server runs, most renamed into place and
// some written in place in two halves with a pause: every event of every file gets exactly
// one decision, and no file is taken before it is complete.
func TestStreamDecidesEveryEventOnce(t *testing.T) {
	f := testFixture(t)
	watch, out := t.TempDir(), t.TempDir()
	opts := f.options(watch, out)
	opts.Settle = 700 * time.Millisecond // longer than the pause of the in-place writer
	var mu sync.Mutex
	var logs []string
	opts.Logf = func(format string, args ...any) {
		mu.Lock()
		logs = append(logs, format)
		mu.Unlock()
	}
	done := make(chan string, testFiles)
	opts.hooks.fileDone = func(rel string) { done <- rel }
	var report strings.Builder
	opts.Report, opts.ReportEvery = &syncWriter{w: &report}, 50*time.Millisecond
	srv := newServer(t, opts)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type result struct {
		st  Stats
		err error
	}
	res := make(chan result, 1)
	go func() {
		st, err := srv.Run(ctx)
		res <- result{st, err}
	}()

	want := map[string]int64{}
	for i, rel := range f.rootFiles(t) {
		src, dst := filepath.Join(f.events, rel), filepath.Join(watch, rel)
		want[rel] = entries(t, src)
		if i%3 == 2 {
			writeInTwoHalves(t, src, dst, 150*time.Millisecond)
		} else {
			copyFile(t, src, dst)
		}
		time.Sleep(30 * time.Millisecond)
	}
	seen := map[string]int{}
	timeout := time.After(20 * time.Second)
	for len(seen) < testFiles {
		select {
		case rel := <-done:
			seen[rel]++
		case <-timeout:
			t.Fatalf("after 20 s, decided %d of %d files: %v", len(seen), testFiles, seen)
		}
	}
	cancel()
	r := <-res
	if r.err != nil {
		t.Fatalf("Run after cancel: %v", r.err)
	}
	for rel, n := range seen {
		if n != 1 {
			t.Errorf("%s decided %d times", rel, n)
		}
	}
	var total int64
	for _, n := range want {
		total += n
	}
	if r.st.Files != testFiles || r.st.Events != total || r.st.Bad != 0 || r.st.Skipped != 0 {
		t.Errorf("stats %+v, want %d files, %d events, none bad or skipped", r.st, testFiles, total)
	}
	if len(logs) > 0 {
		t.Errorf("unexpected log lines (a file taken before it was complete?): %q", logs)
	}
	got := checkOutputs(t, out, want, opts.Threshold, 1)
	var triggered, passed int64
	for _, ds := range got {
		for _, d := range ds {
			if d.Triggered {
				triggered++
			}
			if d.Pass {
				passed++
			}
		}
	}
	if triggered == 0 || triggered == total {
		t.Errorf("%d of %d events triggered: the trigger emulation should keep some and drop some", triggered, total)
	}
	if r.st.Triggered != triggered || r.st.Passed != passed {
		t.Errorf("stats say %d triggered, %d passed; decision files say %d, %d", r.st.Triggered, r.st.Passed, triggered, passed)
	}
	rep := report.String()
	if !strings.Contains(rep, "serve: end: 6 files decided") || !strings.Contains(rep, "events/s") {
		t.Errorf("rate report:\n%s", rep)
	}
}

// writeInTwoHalves writes src to dst in place: the first half, a pause, the second half.
func writeInTwoHalves(t testing.TB, src, dst string, pause time.Duration) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	w, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.Write(data[:len(data)/2]); err != nil {
		t.Fatal(err)
	}
	time.Sleep(pause)
	if _, err := w.Write(data[len(data)/2:]); err != nil {
		t.Fatal(err)
	}
}

// syncWriter serialises writes to w (the report goroutine writes while the test reads).
type syncWriter struct {
	mu sync.Mutex
	w  *strings.Builder
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
