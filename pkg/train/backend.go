package train

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/backends/simplego"
)

// errNoXLA reports a build without the XLA backend (see backend_noxla.go).
var errNoXLA = errors.New("train: XLA backend not compiled in")

// smallMachineCPUs is the core count up to which the pure-Go backend runs with
// parallelism=-1: its default worker pool deadlocks on 2 cores.
const smallMachineCPUs = 4

// NewBackend chooses the GoMLX backend in one place, in this order:
//
//  1. $GOMLX_BACKEND when set (e.g. "go:parallelism=-1" or "xla:cpu");
//  2. XLA when its PJRT plugin loads (GoMLX tries to install the plugin on first use unless
//     $GOMLX_NO_AUTO_INSTALL is set; without internet this fails at once); builds with the
//     noxla tag or without cgo leave XLA out;
//  3. the pure-Go backend "go", with parallelism=-1 on machines of at most 4 cores.
//
// It returns the backend and one line saying which backend runs and why, which it also
// writes to w unless w is nil.
func NewBackend(w io.Writer) (backends.Backend, string, error) {
	backend, line, err := chooseBackend(newXLA)
	if err != nil {
		return nil, "", err
	}
	if w != nil {
		fmt.Fprintln(w, line)
	}
	return backend, line, nil
}

// chooseBackend implements NewBackend; openXLA opens the XLA backend.
func chooseBackend(openXLA func() (backends.Backend, error)) (backends.Backend, string, error) {
	if config, ok := os.LookupEnv(backends.ConfigEnvVar); ok && config != "" {
		b, err := BackendFromConfig(config)
		if err != nil {
			return nil, "", fmt.Errorf("train: backend from $%s=%q: %w", backends.ConfigEnvVar, config, err)
		}
		return b, fmt.Sprintf("backend: %s (from $%s=%s)", b.Name(), backends.ConfigEnvVar, config), nil
	}
	why := "XLA not compiled in"
	if xla, err := openXLA(); err == nil {
		return xla, fmt.Sprintf("backend: %s (XLA plugin loaded)", xla.Name()), nil
	} else if err != errNoXLA {
		why = "XLA unavailable: " + shorten(err.Error(), 100)
	}
	config := simplego.BackendName
	if runtime.NumCPU() <= smallMachineCPUs {
		config += ":parallelism=-1"
	}
	b, err := BackendFromConfig(config)
	if err != nil {
		return nil, "", fmt.Errorf("train: backend %q: %w", config, err)
	}
	return b, fmt.Sprintf("backend: %s with %q, %d CPUs (%s)", b.Name(), config, runtime.NumCPU(), why), nil
}

// BackendFromConfig makes the backend of a GoMLX configuration string such as
// "go:parallelism=-1": backends.NewWithConfig with its panics (unknown backend) turned into
// errors and with the pure-Go backend's own "parallelism set to" line kept off stdout.
func BackendFromConfig(config string) (b backends.Backend, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	err = withoutStdout(func() error {
		var err error
		b, err = backends.NewWithConfig(config)
		return err
	})
	return b, err
}

// withoutStdout runs fn with os.Stdout sent to the null device. GoMLX v0.26.0's pure-Go
// backend prints its parallelism setting with fmt.Printf; backends are made once at start-up,
// before other goroutines write to stdout.
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

func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}
