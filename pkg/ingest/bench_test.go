package ingest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/godltrigger/godltrigger/pkg/delphes"
	"github.com/godltrigger/godltrigger/pkg/features"
	"github.com/godltrigger/godltrigger/pkg/synth"
)

// Benchmark inputs: 3 classes x 3,400 events in files of 850, generated once into the system's
// temporary folder and reused by later runs (synth.Generate keeps files whose stamp matches).
const (
	benchEventsPerClass = 3400
	benchEventsPerFile  = 850
)

// BenchmarkIngest measures, on the same generated files, the raw read rate of the branches
// ingestion needs (delphes Read with an empty callback, one goroutine, then one per core), the
// rate of reading and computing the features without writing them (all cores), the ingestion
// rate (Run with all cores, Parquet written), and their ratios.
//
//	go test -run '^$' -bench Ingest -benchtime 1x ./pkg/ingest
func BenchmarkIngest(b *testing.B) {
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("godltrigger-ingest-bench-%d-%d-v%d", benchEventsPerClass, benchEventsPerFile, synth.ModelVersion))
	files, err := synth.Generate(context.Background(), dir, synth.Options{Events: benchEventsPerClass, Seed: 1, EventsPerFile: benchEventsPerFile})
	if err != nil {
		b.Fatal(err)
	}
	samples := samplesIn(dir)
	cores := runtime.GOMAXPROCS(0)
	// Each phase is timed on the wall clock and by the CPU time of the process: on a shared
	// machine events per CPU-second is the steadier measure of the cost per core.
	var read1, readN, feat, ingest phase
	b.ResetTimer()
	for b.Loop() {
		read1 = measure(func() float64 { return readAll(b, files, 1, false) })
		readN = measure(func() float64 { return readAll(b, files, cores, false) })
		feat = measure(func() float64 { return readAll(b, files, cores, true) })
		out := b.TempDir()
		ingest = measure(func() float64 {
			sum, err := Run(context.Background(), Options{Out: out, Samples: samples, Logf: func(string, ...any) {}})
			if err != nil {
				b.Fatal(err)
			}
			return float64(sum.Events)
		})
		if ingest.events != read1.events {
			b.Fatalf("ingested %v events of %v", ingest.events, read1.events)
		}
		os.RemoveAll(out)
	}
	b.ReportMetric(read1.rate(), "read-ev/s-1goroutine")
	b.ReportMetric(readN.rate(), "read-ev/s-allcores")
	b.ReportMetric(feat.rate(), "read+features-ev/s")
	b.ReportMetric(ingest.rate(), "ingest-ev/s")
	b.ReportMetric(ingest.perCPU(), "ingest-ev/cpu-s")
	b.ReportMetric(ingest.rate()/readN.rate(), "ingest/read-allcores")
	load, _ := os.ReadFile("/proc/loadavg")
	b.Logf("%d events in %d files, %d cores, load average %s", int(read1.events), len(files), cores, strings.TrimSpace(string(load)))
	b.Logf("%-34s %12s %12s %14s", "", "events/s", "per core", "events/CPU-s")
	for _, p := range []struct {
		name  string
		n     int
		phase phase
	}{
		{"raw read, 1 goroutine", 1, read1},
		{fmt.Sprintf("raw read, %d goroutines", cores), cores, readN},
		{"read + features, no output", cores, feat},
		{"ingest (Run, Parquet written)", cores, ingest},
	} {
		b.Logf("%-34s %12.0f %12.0f %14.0f", p.name, p.phase.rate(), p.phase.rate()/float64(p.n), p.phase.perCPU())
	}
	b.Logf("ingest / raw read (all cores): %.3f wall, %.3f CPU; target >= 0.70", ingest.rate()/readN.rate(), ingest.perCPU()/readN.perCPU())
	b.Logf("ingest / (read + features):    %.3f wall, %.3f CPU (the rest: Parquet writing, pipeline)", ingest.rate()/feat.rate(), ingest.perCPU()/feat.perCPU())
	b.Logf("ingest per core: %.0f events/s wall, %.0f events/CPU-s; target >= 1000, Spark ~19", ingest.rate()/float64(cores), ingest.perCPU())
}

// phase is what one measured step did: events, wall time and CPU time of the process.
type phase struct {
	events    float64
	wall, cpu time.Duration
}

func (p phase) rate() float64   { return p.events / p.wall.Seconds() }
func (p phase) perCPU() float64 { return p.events / p.cpu.Seconds() }

func measure(fn func() float64) phase {
	c0, t0 := cpuTime(), time.Now()
	n := fn()
	return phase{events: n, wall: time.Since(t0), cpu: cpuTime() - c0}
}

// cpuTime is the user and system CPU time used by the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// readAll reads every event of files on workers goroutines, one file at a time each, with an
// empty callback or one that computes the features, and returns the number of events.
func readAll(b *testing.B, files []string, workers int, extract bool) float64 {
	next := make(chan string)
	var mu sync.Mutex
	var total int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x := features.NewExtractor(features.Options{})
			l := make([]float64, features.NumParticles*features.NumColumns)
			h := make([]float64, features.NumHLF)
			for p := range next {
				f, err := delphes.Open(p, delphes.WithLogf(func(string, ...any) {}))
				if err != nil {
					b.Error(err)
					continue
				}
				var n int64
				if err := f.Read(context.Background(), func(ev *delphes.Event) error {
					n++
					if extract {
						x.Extract(ev, l, h)
					}
					return nil
				}); err != nil {
					b.Error(err)
				}
				f.Close()
				mu.Lock()
				total += n
				mu.Unlock()
			}
		}()
	}
	for _, p := range files {
		next <- p
	}
	close(next)
	wg.Wait()
	return float64(total)
}
