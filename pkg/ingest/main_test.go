package ingest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/synth"
)

// fixtures holds the generated inputs shared by the tests of this package.
type fixtures struct {
	once sync.Once
	dir  string
	err  error
}

var generated fixtures // set up on first use, removed by TestMain

// Generated event counts: small, so that the whole package tests in seconds, yet several
// files per class (15, 15, 10 events) so that files are read concurrently and chunked.
const (
	testEventsPerClass = 40
	testEventsPerFile  = 15
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(childMain())
	}
	code := m.Run()
	if generated.dir != "" {
		os.RemoveAll(generated.dir)
	}
	os.Exit(code)
}

// synthSamples returns the three generated samples (one directory per class).
func synthSamples(t testing.TB) []Sample {
	t.Helper()
	generated.once.Do(func() {
		generated.dir, generated.err = os.MkdirTemp("", "ingest-test-")
		if generated.err != nil {
			return
		}
		_, generated.err = synth.Generate(context.Background(), generated.dir,
			synth.Options{Events: testEventsPerClass, Seed: 7, EventsPerFile: testEventsPerFile})
	})
	if generated.err != nil {
		t.Fatalf("generate inputs: %v", generated.err)
	}
	return samplesIn(generated.dir)
}

// samplesIn lists dir/<class> for each class as a sample.
func samplesIn(dir string) []Sample {
	var s []Sample
	for _, c := range synth.AllClasses() {
		s = append(s, Sample{Name: c.String(), Label: int64(c), Patterns: []string{filepath.Join(dir, c.String())}})
	}
	return s
}

// testData returns the folder of the real Delphes fixtures and the paths of the named files in
// it. It skips when DLTRIGGER_TESTDATA is unset and fails when a file is missing.
func testData(t *testing.T, names ...string) []string {
	t.Helper()
	dir := os.Getenv("DLTRIGGER_TESTDATA")
	if dir == "" {
		t.Skip("DLTRIGGER_TESTDATA is not set: skipping the real Delphes files")
	}
	var paths []string
	for _, n := range names {
		p := filepath.Join(dir, n)
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("DLTRIGGER_TESTDATA=%s: fixture missing: %v", dir, err)
		}
		paths = append(paths, p)
	}
	return paths
}

// quiet is a Logf that keeps messages in the test log only when it fails.
func quiet(t testing.TB) func(string, ...any) {
	return func(format string, args ...any) { t.Logf(format, args...) }
}

// run ingests samples into out and fails the test on error.
func run(t testing.TB, opts Options) *Summary {
	t.Helper()
	if opts.Logf == nil {
		opts.Logf = quiet(t)
	}
	sum, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatalf("ingest into %s: %v", opts.Out, err)
	}
	return sum
}

// runErr is Run with the test's log, for use from other goroutines.
func runErr(t testing.TB, opts Options) (*Summary, error) {
	if opts.Logf == nil {
		opts.Logf = quiet(t)
	}
	return Run(context.Background(), opts)
}

// temps lists the temporary outputs (dataset writers' *.tmp-* names) under dir.
func temps(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	// Names only: a run may be live (hooks call this), so files come and go while we walk,
	// and reading them would race with their rename or removal.
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.Contains(d.Name(), ".tmp-") {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Errorf("list %s: %v", dir, err)
	}
	sort.Strings(out)
	return out
}

// rows is the content of one output file: hfeatures and lfeatures per row, and labels.
type rows struct {
	h, l   [][]float64
	labels []int64
}

// readOutputs reads every part file of the dataset under dir, keyed by file path.
func readOutputs(t testing.TB, dir string) map[string]*rows {
	t.Helper()
	r, err := dataset.Open(dir)
	if err != nil {
		t.Fatalf("open output: %v", err)
	}
	out := map[string]*rows{}
	for _, f := range r.Files() {
		rs := &rows{}
		err := r.ScanFile(context.Background(), f, dataset.Ingested(), 0, func(b *dataset.Batch) error {
			for i := 0; i < b.Rows; i++ {
				rs.h = append(rs.h, append([]float64(nil), b.RowFloat64s("hfeatures", i)...))
				rs.l = append(rs.l, append([]float64(nil), b.RowFloat64s("lfeatures", i)...))
			}
			rs.labels = append(rs.labels, b.Int64s("label")...)
			return nil
		})
		if err != nil {
			t.Fatalf("read %s: %v", f.Path, err)
		}
		out[filepath.Clean(f.Path)] = rs
	}
	return out
}

// firstDiff returns a description of the first element where got and want differ by 1e-9 or
// more (or in NaN-ness), or "" when they agree.
func firstDiff(got, want []float64) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d values, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if math.IsNaN(g) != math.IsNaN(w) || (!math.IsNaN(w) && !(math.Abs(g-w) < 1e-9)) {
			return fmt.Sprintf("value %d is %v, want %v", i, g, w)
		}
	}
	return ""
}
