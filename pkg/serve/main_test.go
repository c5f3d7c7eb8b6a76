package serve

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/gomlx/compute"

	"github.com/godltrigger/godltrigger/pkg/ingest"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/prep"
	"github.com/godltrigger/godltrigger/pkg/synth"
	"github.com/godltrigger/godltrigger/pkg/train"
)

// Generated inputs: 60 events per class in files of 30, so 6 files and 180 events.
const (
	testEventsPerClass = 60
	testEventsPerFile  = 30
	testFiles          = 6
	testMaxParticles   = 6 // particle rows the test model reads: keeps the GRU short
)

// fixture is what the tests share: generated Delphes files, their ingested and prepared
// forms, and a small inclusive model trained one epoch on the prepared rows.
type fixture struct {
	dir      string
	events   string // DIR/<class>/<class>_NNNN.root
	ingested string
	prepared string
	model    string
	backend  compute.Backend
}

var (
	shared     fixture
	sharedOnce sync.Once
	sharedErr  error
)

func TestMain(m *testing.M) {
	if os.Getenv("GOMLX_BACKEND") == "" {
		os.Setenv("GOMLX_BACKEND", "go")
	}
	if os.Getenv(childEnv) != "" {
		os.Exit(childMain())
	}
	code := m.Run()
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

// testFixture builds the shared fixture on first use.
func testFixture(t testing.TB) *fixture {
	t.Helper()
	sharedOnce.Do(func() { sharedErr = shared.build() })
	if sharedErr != nil {
		t.Fatalf("building the test fixture: %v", sharedErr)
	}
	return &shared
}

func (f *fixture) build() error {
	var err error
	if f.dir, err = os.MkdirTemp("", "serve-test-"); err != nil {
		return err
	}
	ctx := context.Background()
	f.events = filepath.Join(f.dir, "events")
	f.ingested = filepath.Join(f.dir, "ingested")
	f.prepared = filepath.Join(f.dir, "prepared")
	f.model = filepath.Join(f.dir, "model")
	if _, err := synth.Generate(ctx, f.events, synth.Options{Events: testEventsPerClass, Seed: 11, EventsPerFile: testEventsPerFile}); err != nil {
		return err
	}
	var samples []ingest.Sample
	for _, c := range synth.AllClasses() {
		samples = append(samples, ingest.Sample{Name: c.String(), Label: int64(c), Patterns: []string{filepath.Join(f.events, c.String())}})
	}
	quiet := func(string, ...any) {}
	if _, err := ingest.Run(ctx, ingest.Options{Out: f.ingested, Samples: samples, Logf: quiet}); err != nil {
		return err
	}
	if _, err := prep.Run(ctx, prep.Options{In: f.ingested, Out: f.prepared, Seed: 42, Logf: quiet}); err != nil {
		return err
	}
	if f.backend, _, err = modeldir.NewBackend(nil); err != nil {
		return err
	}
	cfg := models.Config{Kind: models.KindInclusive, GRUUnits: 4, InclusiveHidden: 4, Dropout: 0.2}
	opts := modeldir.DefaultOptions()
	opts.Epochs, opts.BatchSize, opts.MaxParticles = 1, 16, testMaxParticles
	_, err = train.TrainDatasets(ctx, train.DatasetJob{Dir: f.model, Model: cfg, Options: opts,
		TrainDir: filepath.Join(f.prepared, prep.TrainInclusive), TestDir: filepath.Join(f.prepared, prep.TestInclusive),
		Backend: f.backend})
	return err
}

// rootFiles lists the generated Delphes files, relative to f.events.
func (f *fixture) rootFiles(t testing.TB) []string {
	t.Helper()
	var rels []string
	for _, c := range synth.AllClasses() {
		m, err := filepath.Glob(filepath.Join(f.events, c.String(), "*.root"))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range m {
			rel, _ := filepath.Rel(f.events, p)
			rels = append(rels, filepath.ToSlash(rel))
		}
	}
	if len(rels) != testFiles {
		t.Fatalf("%d generated files, want %d", len(rels), testFiles)
	}
	return rels
}

// options are the server options of the tests: fast polling, no settle time, small batches.
func (f *fixture) options(watch, out string) Options {
	return Options{Model: f.model, Watch: watch, Out: out, Class: "ttbar", Threshold: 0.5,
		Poll: 10 * time.Millisecond, Settle: -1, BatchEvents: 8, Backend: f.backend}
}

func newServer(t testing.TB, opts Options) *Server {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// copyFile copies src to dst through a temporary name renamed into place.
func copyFile(t testing.TB, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(filepath.Dir(dst), "."+filepath.Base(dst)+".tmp-copy")
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		t.Fatal(err)
	}
}
