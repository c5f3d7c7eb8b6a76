package synth

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godltrigger/godltrigger/pkg/delphes"
)

// readAll reads every event of a file.
func readAll(t *testing.T, path string) []delphes.Event {
	t.Helper()
	f, err := delphes.Open(path, delphes.WithLogf(func(string, ...any) {}))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var evs []delphes.Event
	if err := f.Read(context.Background(), func(ev *delphes.Event) error {
		c := clone(ev)
		c.Entry = 0
		evs = append(evs, c)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return evs
}

func TestGenerateReadBack(t *testing.T) {
	dir1, dir2 := t.TempDir(), t.TempDir()
	opts := Options{Events: 250, Seed: 5, EventsPerFile: 100, Workers: 2}
	files, err := Generate(context.Background(), dir1, opts)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, c := range AllClasses() {
		for i := 0; i < 3; i++ {
			want = append(want, FileName(dir1, c, i))
		}
	}
	if !reflect.DeepEqual(files, want) {
		t.Fatalf("files %v, want %v", files, want)
	}
	if !strings.HasSuffix(files[3], filepath.Join("ttbar", "ttbar_0000.root")) {
		t.Fatalf("unexpected name %s", files[3])
	}
	// Each file holds exactly what a generator seeded with its FileSeed draws.
	for _, path := range files {
		rel, _ := filepath.Rel(dir1, path)
		var c Class
		var idx int
		for _, cc := range AllClasses() {
			for i := 0; i < 3; i++ {
				if path == FileName(dir1, cc, i) {
					c, idx = cc, i
				}
			}
		}
		got := readAll(t, path)
		n := min(100, 250-100*idx)
		if len(got) != n {
			t.Fatalf("%s: %d events, want %d", rel, len(got), n)
		}
		g := NewGenerator(c, FileSeed(5, c, idx))
		var ev delphes.Event
		for k := range got {
			g.Next(&ev)
			if w := clone(&ev); !reflect.DeepEqual(got[k], w) {
				t.Fatalf("%s: event %d read back differs from the generated one", rel, k)
			}
		}
	}
	// Another number of workers gives the same content.
	opts.Workers = 1
	files2, err := Generate(context.Background(), dir2, opts)
	if err != nil {
		t.Fatal(err)
	}
	for i := range files {
		if !reflect.DeepEqual(readAll(t, files[i]), readAll(t, files2[i])) {
			t.Fatalf("%s differs between 2 workers and 1", files2[i])
		}
	}
	// A rerun keeps complete files; more events rewrite only the short last file.
	stat := func(p string) time.Time {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return fi.ModTime()
	}
	before := map[string]time.Time{}
	for _, p := range files {
		before[p] = stat(p)
	}
	time.Sleep(20 * time.Millisecond)
	if _, err := Generate(context.Background(), dir1, Options{Events: 250, Seed: 5, EventsPerFile: 100, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	for _, p := range files {
		if !stat(p).Equal(before[p]) {
			t.Fatalf("rerun rewrote complete file %s", p)
		}
	}
	if _, err := Generate(context.Background(), dir1, Options{Events: 300, Seed: 5, EventsPerFile: 100, Classes: []Class{WJets}}); err != nil {
		t.Fatal(err)
	}
	for _, p := range files {
		rewritten := !stat(p).Equal(before[p])
		if wantRewrite := p == FileName(dir1, WJets, 2); rewritten != wantRewrite {
			t.Fatalf("%s rewritten=%v, want %v", p, rewritten, wantRewrite)
		}
	}
	if n := len(readAll(t, FileName(dir1, WJets, 2))); n != 100 {
		t.Fatalf("grown file has %d events, want 100", n)
	}
	// A file of another seed is not reused.
	if _, err := Generate(context.Background(), dir1, Options{Events: 100, Seed: 6, EventsPerFile: 100, Classes: []Class{QCD}}); err != nil {
		t.Fatal(err)
	}
	if stat(files[0]).Equal(before[files[0]]) {
		t.Fatal("file of seed 5 reused for seed 6")
	}
	left, _ := filepath.Glob(filepath.Join(dir1, "*", ".*"))
	if len(left) > 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}

func TestGenerateErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts Options
		want string
	}{
		{"no events", Options{}, "events per class must be positive"},
		{"negative per file", Options{Events: 1, EventsPerFile: -1}, "events per file"},
		{"bad class", Options{Events: 1, Classes: []Class{7}}, "invalid class"},
		{"bad compression", Options{Events: 1, Compression: "snappy"}, "unknown compression"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Generate(context.Background(), t.TempDir(), tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "synth: ") {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		dir := t.TempDir()
		_, err := Generate(ctx, dir, Options{Events: 2000, EventsPerFile: 1000, Classes: []Class{QCD}})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("error %v, want context.Canceled", err)
		}
		left, _ := filepath.Glob(filepath.Join(dir, "qcd", "*"))
		if len(left) > 0 {
			t.Fatalf("files left after cancel: %v", left)
		}
	})
}

// TestGenerateStopsAtFirstError: a file that cannot be written ends the run with an error
// naming it, and no file after it is started.
func TestGenerateStopsAtFirstError(t *testing.T) {
	dir := t.TempDir()
	blocked := FileName(dir, QCD, 0) // a folder where the first file goes: its rename fails
	if err := os.MkdirAll(filepath.Join(blocked, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := Generate(context.Background(), dir, Options{Events: 30, EventsPerFile: 10, Seed: 1, Workers: 1})
	if err == nil || !strings.Contains(err.Error(), filepath.Base(blocked)) {
		t.Fatalf("error %v, want one naming %s", err, blocked)
	}
	written, _ := filepath.Glob(filepath.Join(dir, "*", "*.root"))
	temps, _ := filepath.Glob(filepath.Join(dir, "*", ".*.root.tmp*"))
	for _, p := range append(written, temps...) {
		if p != blocked {
			t.Errorf("%s written after the first error", p)
		}
	}
}

// BenchmarkGenerate measures events per second written by Generate on all cores, with
// each compression, against the generator alone (no writing) as baseline in the same run.
func BenchmarkGenerate(b *testing.B) {
	const perClass = 4000
	var baseline float64
	b.Run("nowrite", func(b *testing.B) {
		workers := runtime.GOMAXPROCS(0)
		start, total := time.Now(), 0
		for b.Loop() {
			var wg sync.WaitGroup
			for w := 0; w < workers; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					var ev delphes.Event
					for _, c := range AllClasses() {
						g := NewGenerator(c, int64(w))
						for k := 0; k < perClass/workers; k++ {
							g.Next(&ev)
						}
					}
				}()
			}
			wg.Wait()
			total += 3 * (perClass / workers) * workers
		}
		baseline = float64(total) / time.Since(start).Seconds()
		b.ReportMetric(baseline, "events/s")
	})
	for _, comp := range []string{"lz4", "none", "zlib"} {
		b.Run(comp, func(b *testing.B) {
			var total int
			var elapsed time.Duration
			for b.Loop() {
				dir := b.TempDir()
				start := time.Now()
				if _, err := Generate(context.Background(), dir, Options{Events: perClass, EventsPerFile: perClass / 2, Compression: comp}); err != nil {
					b.Fatal(err)
				}
				elapsed += time.Since(start)
				total += 3 * perClass
				var size int64
				filepath.Walk(dir, func(_ string, fi os.FileInfo, _ error) error {
					if fi != nil && !fi.IsDir() {
						size += fi.Size()
					}
					return nil
				})
				b.ReportMetric(float64(size)/float64(3*perClass), "bytes/event")
			}
			rate := float64(total) / elapsed.Seconds()
			b.ReportMetric(rate, "events/s")
			if baseline > 0 {
				b.ReportMetric(rate/baseline, "x-nowrite")
			}
		})
	}
}
