// Command latency measures the inference speed of the three classifiers with our Predictor
// (on the backend modeldir.NewBackend picks, and on the Go backend too when that is another one;
// on ONNX Runtime the Predictor runs the model's ONNX graph) and with ONNX Runtime
// (onnxruntime-node) running the same models exported by package onnx, on the same CPU with
// the same thread count, in one run:
//
//	latency [--models hlf,particle,inclusive] [--particles 801] [--batches 128,1024]
//	        [--latency-runs 200] [--min-time 3s] [--threads N] [--ort=false]
//
// For each classifier it prints the p50 and p99 latency of single events (batch 1) and the
// throughput (events/s) at each batch size, and the ratios to ONNX Runtime. Build it with
// GOEXPERIMENT=simd and set ONNXRUNTIME_SHARED_LIBRARY_PATH (scripts/install-ort.sh) for
// the ONNX Runtime backend; node's ONNX Runtime comes from .tools/node (scripts/install-deps.sh).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"

	"github.com/godltrigger/godltrigger/bench"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/onnx"
)

func main() {
	bench.Main("latency", func(ctx context.Context, args []string) error { return run(ctx, args, os.Stdout, os.Stderr) })
}

const usage = `usage: latency [flags]

Times inference of the HLF, particle and inclusive classifiers: our Predictor on the default
backend (XLA, ONNX Runtime or Go; on ONNX Runtime it runs the model's ONNX graph) and on the Go
backend, and ONNX Runtime (node, onnxruntime-node) on the same models exported to ONNX, one after the other on the same CPU
with the same number of threads (GOMAXPROCS for Go, intra-op threads for ONNX Runtime).
Single events (batch 1) give the p50 and p99 latency; each --batches size gives the
throughput in events/s. Sequences have --particles rows, none of them zero padding (the
specification's standardization leaves none), so every engine runs every step. The weights
come from one short training epoch: speed does not depend on their values.

Example:
  export ONNXRUNTIME_SHARED_LIBRARY_PATH="$(scripts/install-ort.sh)"
  GOEXPERIMENT=simd go run ./bench/cmd/latency --particles 801

Flags:
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("latency", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	modelsFlag := fs.String("models", "hlf,particle,inclusive", "classifiers to time (`LIST`)")
	particles := fs.Int("particles", models.MaxParticles, "particle rows per event for the GRU classifiers")
	batchesFlag := fs.String("batches", "128,1024", "throughput batch sizes (`LIST`)")
	latencyRuns := fs.Int("latency-runs", 200, "timed batch-1 calls per engine and classifier")
	minTime := fs.Duration("min-time", 3*time.Second, "timed `duration` per throughput case at least")
	minRuns := fs.Int("min-runs", 3, "timed calls per throughput case at least")
	threads := fs.Int("threads", runtime.GOMAXPROCS(0), "threads of every engine (sets GOMAXPROCS)")
	useORT := fs.Bool("ort", true, "time ONNX Runtime too (needs node and onnxruntime-node)")
	workFlag := fs.String("work", "", "work `DIR` for the models, their ONNX files and the data (default: a temporary one, removed)")
	modules := fs.String("node-modules", "", "node_modules `DIR` with onnxruntime-node (default: .tools/node/node_modules here or in a parent folder)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	batches, err := bench.ParseInts(*batchesFlag)
	if err != nil {
		return err
	}
	var kinds []models.Kind
	for _, m := range strings.Split(*modelsFlag, ",") {
		k := models.Kind(strings.TrimSpace(m))
		if err := models.DefaultConfig(k).Validate(); err != nil {
			return err
		}
		kinds = append(kinds, k)
	}
	if *particles <= 0 || *latencyRuns <= 0 || *minRuns <= 0 || *threads <= 0 {
		return fmt.Errorf("--particles, --latency-runs, --min-runs and --threads must be > 0")
	}
	runtime.GOMAXPROCS(*threads)

	var rt *onnxRuntime
	if *useORT {
		if rt, err = findRuntime(*modules); err != nil {
			return fmt.Errorf("%w (or run with --ort=false)", err)
		}
	}
	engines, err := goEngines(stderr)
	if err != nil {
		return err
	}
	work, done, err := bench.WorkDir(*workFlag, "latency-")
	if err != nil {
		return err
	}
	defer done()

	n := slices.Max(append(slices.Clone(batches), 1))
	data := benchData(n, *particles, 1)
	dataDir := filepath.Join(work, "data")
	if err := bench.ExportData(data, dataDir); err != nil {
		return err
	}
	w := window{LatencyRuns: *latencyRuns, MinTime: *minTime, MinRuns: *minRuns}
	var table []tableRow
	for _, kind := range kinds {
		dir, err := makeModel(ctx, engines[0].backend, kind, work)
		if err != nil {
			return err
		}
		for _, e := range engines {
			fmt.Fprintf(stderr, "latency: %s on %s...\n", kind, e.name)
			r, err := timeGo(ctx, dir, e.backend, data, batches, w)
			if err != nil {
				return fmt.Errorf("%s on %s: %w", kind, e.name, err)
			}
			table = append(table, tableRow{Model: kind, Engine: e.name, Threads: *threads, engineResult: r})
		}
		if rt == nil {
			continue
		}
		model := filepath.Join(work, string(kind)+".onnx")
		if err := onnx.Export(dir, model); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "latency: %s on ONNX Runtime...\n", kind)
		t, err := rt.time(ctx, work, model, dataDir, ortConfig{Threads: *threads, LatencyRuns: *latencyRuns,
			Batches: batches, MinTimeMS: minTime.Milliseconds(), MinRuns: *minRuns})
		if err != nil {
			return err
		}
		table = append(table, tableRow{Model: kind, Engine: "onnxruntime/" + t.Version, Threads: *threads, engineResult: t.result()})
	}
	fmt.Fprintf(stdout, "%s, %d CPUs, %d particles, load average after the run: %v\n",
		runtime.GOARCH, runtime.NumCPU(), *particles, bench.LoadAverage())
	return writeTable(stdout, table, batches)
}

// goEngine is a GoMLX backend to time.
type goEngine struct {
	name    string
	backend compute.Backend
}

// goEngines returns the backend modeldir.NewBackend chooses and, when that is not the pure-Go
// one, the pure-Go backend as well.
func goEngines(log io.Writer) ([]goEngine, error) {
	b, line, err := modeldir.NewBackend(nil)
	if err != nil {
		return nil, err
	}
	fmt.Fprintln(log, "latency:", line)
	family := modeldir.KernelFamily(b) // e.g. "ORT CPU 1.30.0", "Go AVX-512"
	if strings.HasPrefix(family, "Go ") {
		return []goEngine{{"gomlx/go", b}}, nil
	}
	g, err := modeldir.BackendFromConfig(gobackend.BackendName)
	if err != nil {
		return nil, err
	}
	name := strings.ToLower(strings.Fields(family)[0])
	engines := []goEngine{{"gomlx/" + name, b}, {"gomlx/go", g}}
	return engines, nil
}
