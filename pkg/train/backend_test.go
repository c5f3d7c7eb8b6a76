package train

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/backends/simplego"
)

func TestNewBackend(t *testing.T) {
	for _, tc := range []struct {
		name, env, want string
	}{
		{"from-env", "go:parallelism=-1", "from $GOMLX_BACKEND=go:parallelism=-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(backendsEnv, tc.env)
			var w bytes.Buffer
			b, line, err := NewBackend(&w)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Finalize()
			if !strings.Contains(line, tc.want) || w.String() != line+"\n" {
				t.Errorf("line %q, written %q; want it to contain %q", line, w.String(), tc.want)
			}
			t.Log(line)
		})
	}
	t.Run("unknown", func(t *testing.T) {
		t.Setenv(backendsEnv, "nosuchbackend")
		if _, _, err := NewBackend(nil); err == nil {
			t.Fatal("unknown backend accepted")
		}
	})
}

// TestChooseBackendWithoutEnv checks the XLA-or-pure-Go choice with a stand-in for XLA (the
// real one would download its plugin on a machine with internet access).
func TestChooseBackendWithoutEnv(t *testing.T) {
	t.Setenv(backendsEnv, "")
	for _, tc := range []struct {
		name    string
		openXLA func() (backends.Backend, error)
		want    []string
	}{
		{"xla-loads", func() (backends.Backend, error) { return simplego.New("") }, []string{"XLA plugin loaded"}},
		{"xla-fails", func() (backends.Backend, error) { return nil, errors.New("no plugin found") },
			[]string{"SimpleGo (go)", "XLA unavailable: no plugin found"}},
		{"no-xla-build", func() (backends.Backend, error) { return nil, errNoXLA },
			[]string{"SimpleGo (go)", "XLA not compiled in"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, line, err := chooseBackend(tc.openXLA)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Finalize()
			for _, w := range tc.want {
				if !strings.Contains(line, w) {
					t.Errorf("line %q does not contain %q", line, w)
				}
			}
		})
	}
}
