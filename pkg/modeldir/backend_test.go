package modeldir

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"
)

const backendsEnv = "GOMLX_BACKEND"

func TestNewBackend(t *testing.T) {
	t.Run("from-env", func(t *testing.T) {
		t.Setenv(backendsEnv, "go")
		var w bytes.Buffer
		b, line, err := NewBackend(&w)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Finalize()
		want := "backend: Go " + goKernels() + " (from $GOMLX_BACKEND=go)"
		if line != want || w.String() != line+"\n" {
			t.Errorf("line %q, written %q; want %q", line, w.String(), want)
		}
	})
	t.Run("unknown", func(t *testing.T) {
		t.Setenv(backendsEnv, "nosuchbackend")
		if _, _, err := NewBackend(nil); err == nil {
			t.Fatal("unknown backend accepted")
		}
	})
	// The XLA branch is tested by its error: no PJRT plugin can be installed here.
	t.Run("xla-error", func(t *testing.T) {
		if openXLA == nil {
			t.Skip("no cgo: XLA not compiled in")
		}
		t.Setenv("GOMLX_NO_AUTO_INSTALL", "1")
		t.Setenv("PJRT_PLUGIN_LIBRARY_PATH", t.TempDir())
		t.Setenv(backendsEnv, "")
		_, line, err := chooseBackend(openXLA, func() (compute.Backend, error) { return nil, errors.New("no ORT") })
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(line, "XLA unavailable: ") || !strings.Contains(line, "hint: XLA:") {
			t.Errorf("line %q does not say why XLA is unavailable and how to get it", line)
		}
		t.Log(line)
	})
}

// TestChooseBackendWithoutEnv checks each fallback of the choice with stand-ins for XLA and
// ONNX Runtime.
func TestChooseBackendWithoutEnv(t *testing.T) {
	t.Setenv(backendsEnv, "")
	loads := func() (compute.Backend, error) { return gobackend.New("") }
	fails := func(msg string) func() (compute.Backend, error) {
		return func() (compute.Backend, error) { return nil, errors.New(msg) }
	}
	for _, tc := range []struct {
		name      string
		xla, ort  func() (compute.Backend, error)
		want, not []string
	}{
		{"xla-loads", loads, fails("unused"), []string{"(XLA loaded)"}, []string{"hint:", "unused"}},
		{"ort-loads", fails("no plugin found"), loads, []string{"(ONNX Runtime loaded; XLA unavailable: no plugin found)", "\nhint: XLA:"},
			[]string{"hint: ONNX"}},
		{"go", fails("no plugin found"), fails("library not found"),
			[]string{"backend: Go ", "XLA unavailable: no plugin found; ONNX Runtime unavailable: library not found", "hint: XLA:", "; ONNX Runtime: run scripts/install-ort.sh"}, nil},
		{"no-cgo", nil, nil, []string{"backend: Go ", "XLA unavailable: not compiled in", "ONNX Runtime unavailable: not compiled in",
			"hint: XLA: build with cgo"}, []string{"install-ort.sh"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, line, err := chooseBackend(tc.xla, tc.ort)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Finalize()
			for _, w := range tc.want {
				if !strings.Contains(line, w) {
					t.Errorf("line %q does not contain %q", line, w)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(line, w) {
					t.Errorf("line %q contains %q", line, w)
				}
			}
			if n := strings.Count(line, "\n"); n > 1 {
				t.Errorf("%d lines, want the backend line and at most one line of hints: %q", n+1, line)
			}
		})
	}
}

// TestKernelFamily checks that the Go backend's kernels are named after the build: AVX-512 or
// AVX2 with GOEXPERIMENT=simd on such a CPU, scalar without.
func TestKernelFamily(t *testing.T) {
	b, err := gobackend.New("")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Finalize()
	got := KernelFamily(b)
	if got != "Go "+goKernels() {
		t.Fatalf("KernelFamily = %q, want %q", got, "Go "+goKernels())
	}
	t.Log(got)
}
