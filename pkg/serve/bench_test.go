package serve

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/godltrigger/godltrigger/pkg/delphes"
	"github.com/godltrigger/godltrigger/pkg/features"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/serve/servetest"
	"github.com/godltrigger/godltrigger/pkg/synth"
)

// BenchmarkServe measures the events per second of a server deciding generated Delphes files
// (--once, steady state: the model's graphs compiled), against the trigger emulation and feature computation alone on the same events
// (the part of the work that does not depend on the model), measured in the same run.
func BenchmarkServe(b *testing.B) {
	events := filepath.Join(b.TempDir(), "events")
	if _, err := synth.Generate(context.Background(), events, synth.Options{Events: 200, Seed: 9, EventsPerFile: 200}); err != nil {
		b.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(events, "*", "*.root"))
	featureRate := featuresOnlyRate(b, files)
	b.Logf("trigger emulation + features alone: %.0f events/s", featureRate)
	for _, tc := range []struct {
		name   string
		cfg    models.Config
		seqLen int
	}{
		{"hlf", models.DefaultConfig(models.KindHLF), 0},
		{"inclusive-50", models.DefaultConfig(models.KindInclusive), 50},
		{"inclusive-801", models.DefaultConfig(models.KindInclusive), models.MaxParticles},
	} {
		b.Run(tc.name, func(b *testing.B) {
			model := servetest.Model(b, tc.cfg, 8, tc.seqLen, 3)
			s, err := New(Options{Model: model, Watch: events, Out: b.TempDir(), Once: true, Settle: -1, Threshold: 0.5})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			if _, err := s.Run(context.Background()); err != nil { // compiles the graph shapes
				b.Fatal(err)
			}
			var total int64
			var elapsed time.Duration
			for b.Loop() {
				s.opts.Out = b.TempDir() // decide the same files again
				st, err := s.Run(context.Background())
				if err != nil {
					b.Fatal(err)
				}
				total += st.Processed
				elapsed += st.Elapsed
			}
			rate := float64(total) / elapsed.Seconds()
			b.ReportMetric(rate, "events/s")
			b.ReportMetric(rate/featureRate, "x_features_only")
		})
	}
}

// featuresOnlyRate reads the files and runs the trigger emulation and features on one
// goroutine per core, as the server does, and returns the events per second.
func featuresOnlyRate(b *testing.B, files []string) float64 {
	b.Helper()
	srv := &Server{}
	for range runtime.GOMAXPROCS(0) {
		w, _ := newWorker(features.Options{}, nil)
		srv.workers = append(srv.workers, w)
	}
	bt := &batch{capacity: DefaultBatchEvents, entries: make([]int64, DefaultBatchEvents), outcomes: make([]features.Outcome, DefaultBatchEvents),
		events: make([]delphes.Event, DefaultBatchEvents)}
	start := time.Now()
	var n int64
	for _, p := range files {
		f, err := delphes.Open(p, delphes.WithLogf(func(string, ...any) {}))
		if err != nil {
			b.Fatal(err)
		}
		flush := func() {
			parallel(srv.workers, bt.n, func(w *worker, i int) { w.extract(bt, i) })
			n += int64(bt.n)
			bt.n = 0
		}
		err = f.Read(context.Background(), func(ev *delphes.Event) error {
			bt.events[bt.n].CopyFrom(ev)
			bt.n++
			if bt.n == bt.capacity {
				flush()
			}
			return nil
		})
		flush()
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
	return float64(n) / time.Since(start).Seconds()
}
