package tune

import (
	"context"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkTuneScaling times one small search (4 points, 3 folds, 10 epochs, 1,200 rows) with
// one worker and with two, each model on its own single-threaded backend, and reports the
// speed-up; it also times one worker on a multi-threaded backend (go: one
// model using every core) and reports the two workers' speed-up over it, and, when
// ONNXRUNTIME_SHARED_LIBRARY_PATH is set, one worker on ONNX Runtime (whose session uses every
// core) against the two single-threaded Go workers. The machine's load average is logged
// before and after, since other processes change the ratio.
//
//	GOEXPERIMENT=simd go test ./pkg/tune -run '^$' -bench TuneScaling -benchtime 2x
func BenchmarkTuneScaling(b *testing.B) {
	data := blobs(400, 3)
	grid := Grid{BatchSize: []int{64, 100}, Epochs: []int{10}, NH1: []int{50, 100}, NH2: []int{20}, NH3: []int{10}}
	setup := Setup{Folds: 3, Fraction: 1, Seed: 1}
	var cpu [4]time.Duration // CPU time of the process in each configuration
	search := func(which, workers int, backends BackendFunc) time.Duration {
		start, cpu0 := time.Now(), cpuTime()
		_, err := Run(context.Background(), Config{Data: data, Points: grid.Points(), Setup: setup,
			Out: b.TempDir(), Workers: workers, Backends: backends})
		if err != nil {
			b.Fatal(err)
		}
		cpu[which] += cpuTime() - cpu0
		return time.Since(start)
	}
	b.Logf("load average before: %s", loadAverage())
	var one, two, shared, ort time.Duration
	withORT := os.Getenv("ONNXRUNTIME_SHARED_LIBRARY_PATH") != ""
	for b.Loop() {
		one += search(0, 1, ConfigBackends(SingleThreadedConfig))
		two += search(1, 2, ConfigBackends(SingleThreadedConfig))
		shared += search(2, 1, ConfigBackends("go"))
		if withORT {
			ort += search(3, 1, ConfigBackends("onnx"))
		}
	}
	b.Logf("load average after: %s", loadAverage())
	n := float64(b.N)
	if withORT {
		b.ReportMetric(ort.Seconds()/n, "s/1worker-onnx")
		b.ReportMetric(two.Seconds()/ort.Seconds(), "speedup-onnx-vs-2workers")
	}
	b.ReportMetric(one.Seconds()/n, "s/1worker")
	b.ReportMetric(two.Seconds()/n, "s/2workers")
	b.ReportMetric(shared.Seconds()/n, "s/1worker-shared")
	b.ReportMetric(one.Seconds()/two.Seconds(), "speedup")
	b.ReportMetric(shared.Seconds()/two.Seconds(), "speedup-vs-shared")
	// Cores kept busy (CPU time / wall time): about 1 and 2 on an idle machine when the
	// workers do not wait on each other; less when other processes take the cores.
	b.ReportMetric(cpu[0].Seconds()/one.Seconds(), "cores-1worker")
	b.ReportMetric(cpu[1].Seconds()/two.Seconds(), "cores-2workers")
	// CPU time of the same search with two workers over one: 1 when the workers cost each
	// other nothing, above 1 when they contend (locks, spinning, caches).
	b.ReportMetric(cpu[1].Seconds()/cpu[0].Seconds(), "cpu-2workers/1worker")
}

// cpuTime is the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(data))[:3], " ")
}
