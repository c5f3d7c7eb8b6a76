package delphes

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"go-hep.org/x/hep/groot/rtree"
)

const benchEvents = 20000

var (
	benchOnce sync.Once
	benchPath string
	benchErr  error
)

// benchFile writes, once per test binary run, a flat file of 20,000 events with realistic
// multiplicities (~300 tracks, ~40 photons, ~40 neutral hadrons, ~8 jets per event).
func benchFile(b *testing.B) string {
	benchOnce.Do(func() {
		dir, err := os.MkdirTemp("", "delphes-bench")
		if err != nil {
			benchErr = err
			return
		}
		benchPath = filepath.Join(dir, "bench.root")
		w, err := NewFlatWriter(benchPath)
		if err != nil {
			benchErr = err
			return
		}
		for i := 0; i < benchEvents; i++ {
			ev := genEvents(1, uint64(i), realisticMult)[0]
			if err := w.Write(&ev); err != nil {
				benchErr = err
				return
			}
		}
		benchErr = w.Close()
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchPath
}

// readNeeded reads every event of path with this package, returning the event count.
func readNeeded(b *testing.B, path string) int64 {
	f, err := Open(path, WithLogf(nil))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var n int64
	if err := f.Read(context.Background(), func(*Event) error { n++; return nil }); err != nil {
		b.Fatal(err)
	}
	return n
}

// readRtree reads the same branches with go-hep's rtree.Reader, the baseline.
func readRtree(b *testing.B, path string) {
	r, _, closeAll := openRtree(b, path)
	defer closeAll()
	if err := r.Read(func(rtree.RCtx) error { return nil }); err != nil {
		b.Fatal(err)
	}
}

// reportRate reports events/s and MB/s (of file bytes) for the loop just timed.
func reportRate(b *testing.B, events, size int64) {
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(events)*float64(b.N)/sec, "events/s")
	b.ReportMetric(float64(size)*float64(b.N)/sec/1e6, "MB/s")
}

func fileSize(b *testing.B, path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	return st.Size()
}

// BenchmarkReadFlat reads the needed branches of a generated 20,000-event flat file and
// reports the speed-up over go-hep's rtree.Reader on the same file, measured in the same run.
func BenchmarkReadFlat(b *testing.B) {
	path := benchFile(b)
	size := fileSize(b, path)
	t0 := time.Now()
	readRtree(b, path)
	base := time.Since(t0)
	b.ResetTimer()
	var n int64
	for i := 0; i < b.N; i++ {
		n = readNeeded(b, path)
	}
	b.StopTimer()
	reportRate(b, n, size)
	b.ReportMetric(base.Seconds()/(b.Elapsed().Seconds()/float64(b.N)), "x_rtree")
}

// BenchmarkReadRealSplit reads the real 100-event ROOT 5.34 Delphes file (split layout).
func BenchmarkReadRealSplit(b *testing.B) {
	path := testdata(b, fileZH)
	size := fileSize(b, path)
	var n int64
	for i := 0; i < b.N; i++ {
		n = readNeeded(b, path)
	}
	b.StopTimer()
	reportRate(b, n, size)
}

// BenchmarkReadXRootD reads the generated flat file from a local xrootd server on loopback
// (in a private network namespace) and reports the ratio to a local read in the same run.
func BenchmarkReadXRootD(b *testing.B) {
	if !inNetNS(b, "-test.run", "^$", "-test.bench", "^BenchmarkReadXRootD$", "-test.benchtime", "3x") {
		return
	}
	path := benchFile(b)
	size := fileSize(b, path)
	if err := os.Chmod(filepath.Dir(path), 0o755); err != nil {
		b.Fatal(err)
	}
	srv := startXRootD(b, filepath.Dir(path))
	url := fmt.Sprintf("root://127.0.0.1:%d/%s", srv.port, path)
	t0 := time.Now()
	readNeeded(b, path)
	local := time.Since(t0)
	b.ResetTimer()
	var n int64
	for i := 0; i < b.N; i++ {
		n = readNeeded(b, url)
	}
	b.StopTimer()
	reportRate(b, n, size)
	b.ReportMetric((b.Elapsed().Seconds()/float64(b.N))/local.Seconds(), "x_local_time")
}
