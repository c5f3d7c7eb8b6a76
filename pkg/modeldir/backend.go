package modeldir

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"
)

// errNotCompiledIn reports a backend left out of this build (it needs cgo).
var errNotCompiledIn = errors.New("not compiled in (needs a cgo build)")

// The faster backends, set by the cgo-only files of this package: nil openers mean the build
// has no cgo.
var (
	openXLA func() (compute.Backend, error) // XLA's PJRT plugin (CPU or CUDA)
	openORT func() (compute.Backend, error) // ONNX Runtime's shared library (CPU or CUDA)
)

// Hints for getting each faster backend, shown when it is missing.
const (
	hintXLA  = "XLA: on a machine with internet its PJRT plugin installs itself on first use (unset GOMLX_NO_AUTO_INSTALL), or set PJRT_PLUGIN_LIBRARY_PATH"
	hintORT  = "ONNX Runtime: run scripts/install-ort.sh and set ONNXRUNTIME_SHARED_LIBRARY_PATH to the library it prints"
	hintSIMD = "Go backend: build with GOEXPERIMENT=simd for its AVX-512/AVX2 kernels"
)

// NewBackend chooses the GoMLX backend in one place, fastest first:
//
//  1. $GOMLX_BACKEND when set (e.g. "go", "onnx:cpu", "xla:cuda");
//  2. XLA when its PJRT plugin loads (GPU users on SWAN; GoMLX installs the plugin on first use
//     unless $GOMLX_NO_AUTO_INSTALL is set);
//  3. ONNX Runtime when its shared library loads ($ONNXRUNTIME_SHARED_LIBRARY_PATH, or GoMLX's
//     own installer on machines with internet unless $GOMLX_NO_AUTO_INSTALL is set), on CUDA
//     where ONNX Runtime's CUDA provider is present, else on the CPU;
//  4. the Go backend, with its AVX-512 or AVX2 kernels when built with GOEXPERIMENT=simd.
//
// XLA and ONNX Runtime need a cgo build; without cgo only the Go backend is there.
//
// It returns the backend and one line saying which backend and kernel family run and why the
// faster ones do not, followed, when a faster backend is missing, by a line of hints on how to
// get it. It writes them to w unless w is nil.
func NewBackend(w io.Writer) (compute.Backend, string, error) {
	backend, line, err := chooseBackend(openXLA, openORT)
	if err != nil {
		return nil, "", err
	}
	if w != nil {
		fmt.Fprintln(w, line)
	}
	return backend, line, nil
}

// chooseBackend implements NewBackend with the given openers (nil: not compiled in).
func chooseBackend(xla, ort func() (compute.Backend, error)) (compute.Backend, string, error) {
	if config := os.Getenv(compute.ConfigEnvVar); config != "" {
		b, err := BackendFromConfig(config)
		if err != nil {
			return nil, "", fmt.Errorf("modeldir: backend from $%s=%q: %w", compute.ConfigEnvVar, config, err)
		}
		return b, fmt.Sprintf("backend: %s (from $%s=%s)", KernelFamily(b), compute.ConfigEnvVar, config), nil
	}
	var why, hints []string
	for _, c := range []struct {
		name, hint string
		open       func() (compute.Backend, error)
	}{{"XLA", hintXLA, xla}, {"ONNX Runtime", hintORT, ort}} {
		err := errNotCompiledIn
		if c.open != nil {
			var b compute.Backend
			if b, err = c.open(); err == nil {
				line := fmt.Sprintf("backend: %s (%s loaded", KernelFamily(b), c.name)
				if len(why) > 0 {
					line += "; " + strings.Join(why, "; ")
				}
				line += ")"
				if len(hints) > 0 {
					line += "\nhint: " + strings.Join(hints, "; ")
				}
				return b, line, nil
			}
		}
		why = append(why, c.name+" unavailable: "+shorten(err.Error(), 100))
		if c.open == nil {
			hints = append(hints, c.name+": build with cgo (CGO_ENABLED=1 and a C compiler)")
		} else {
			hints = append(hints, c.hint)
		}
	}
	b, err := BackendFromConfig(gobackend.BackendName)
	if err != nil {
		return nil, "", fmt.Errorf("modeldir: Go backend: %w", err)
	}
	if goKernels() == "scalar" {
		hints = append(hints, hintSIMD)
	}
	return b, fmt.Sprintf("backend: %s (%s)\nhint: %s", KernelFamily(b), strings.Join(why, "; "), strings.Join(hints, "; ")), nil
}

// BackendFromConfig makes the backend of a GoMLX configuration string such as "go",
// "onnx:cpu" or "xla:cuda", with panics (an unknown backend) turned into errors and with the
// Go backend's own "parallelism set to" line kept off stdout.
func BackendFromConfig(config string) (b compute.Backend, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	// compute-onnx v0.1.5, given no configuration ("onnx"), reads $GOMLX_BACKEND instead (and
	// fails when it names another backend): hide it for the call. Backends are made at
	// start-up, before other goroutines read the environment.
	if name, rest, _ := strings.Cut(config, ":"); (name == "onnx" || name == "onnxruntime") && rest == "" {
		if env, ok := os.LookupEnv(compute.ConfigEnvVar); ok && env != config {
			os.Unsetenv(compute.ConfigEnvVar)
			defer os.Setenv(compute.ConfigEnvVar, env)
		}
	}
	err = withoutStdout(func() error {
		var err error
		b, err = compute.NewWithConfig(config)
		return err
	})
	return b, err
}

// withoutStdout runs fn with os.Stdout sent to the null device. The Go backend prints its
// parallelism setting with fmt.Printf; backends are made at start-up, before other goroutines
// write to stdout.
func withoutStdout(fn func() error) error {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return fn()
	}
	defer null.Close()
	saved := os.Stdout
	os.Stdout = null
	defer func() { os.Stdout = saved }()
	return fn()
}

// KernelFamily names the backend and the kernels it runs, e.g. "XLA CUDA", "ORT CPU",
// "Go AVX-512" or "Go scalar".
func KernelFamily(b compute.Backend) string {
	desc := strings.ToLower(b.Name() + " " + b.Description())
	device := "CPU"
	for _, d := range []string{"cuda", "rocm", "migraphx", "tpu"} {
		if strings.Contains(desc, d) {
			device = strings.ToUpper(d)
		}
	}
	switch {
	case strings.Contains(desc, "onnx"):
		return "ORT " + device + ortVersion(b)
	case strings.Contains(desc, "xla") || strings.Contains(desc, "pjrt") || strings.Contains(desc, "stablehlo"):
		return "XLA " + device
	case b.Name() == gobackend.BackendName || strings.Contains(desc, "go backend"):
		return "Go " + goKernels()
	}
	return b.Name()
}

func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}
