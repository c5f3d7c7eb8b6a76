package tune

import (
	"fmt"
	"os"
	"strings"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"
)

// SingleThreadedConfig is the pure-Go backend configuration that runs a model on the calling
// goroutine only: parallelism=0 turns off the backend's worker pool (matrix products and
// element-wise ops run inline) and ops_sequential runs the graph's ops one after the other
// (with the pool off, its parallel scheduler would block). Several workers, each with its own
// backend of this configuration, train one model per core without sharing anything.
const SingleThreadedConfig = gobackend.BackendName + ":parallelism=0,ops_sequential"

// BackendFunc makes the backend of one worker; Run calls it once per worker, before any
// training starts.
type BackendFunc func() (compute.Backend, error)

// DefaultBackends chooses the workers' backends: one single-threaded Go backend each
// (SingleThreadedConfig), unless $GOMLX_BACKEND names another backend than "go" (XLA or ONNX
// Runtime), which then serves every worker. Even a lone worker runs single-threaded: on the
// small HLF network the Go backend's parallel executor gains little over one thread
// (BenchmarkTuneScaling).
//
// ONNX Runtime has no one-thread setting through GoMLX (compute-onnx v0.1.5 exposes no
// intra-op thread count): each worker's session spreads over every core, so with
// GOMLX_BACKEND=onnx run one worker (--workers 1), which on the HLF network is still faster
// than one single-threaded Go worker per core (bench/README.md).
func DefaultBackends() BackendFunc {
	env := os.Getenv(compute.ConfigEnvVar)
	if name, _, _ := strings.Cut(env, ":"); env != "" && name != gobackend.BackendName {
		return func() (compute.Backend, error) {
			b, _, err := modeldir.NewBackend(nil)
			return b, err
		}
	}
	return ConfigBackends(SingleThreadedConfig)
}

// ConfigBackends makes each worker's backend from a GoMLX backend configuration string such
// as SingleThreadedConfig or "go".
func ConfigBackends(config string) BackendFunc {
	return func() (compute.Backend, error) {
		b, err := modeldir.BackendFromConfig(config)
		if err != nil {
			return nil, fmt.Errorf("tune: backend %q: %w", config, err)
		}
		return b, nil
	}
}
