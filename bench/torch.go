package bench

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

//go:embed torch_twin.py
var twinScript []byte

// DefaultPython is the interpreter that Debian's python3-torch installs into.
const DefaultPython = "/usr/bin/python3"

// Torch runs torch_twin.py (written to a temporary folder from the copy embedded in the
// binary) with a Python interpreter.
type Torch struct {
	Python string
	dir    string
	script string
}

// NewTorch prepares the twin script for python ("" means DefaultPython). Close removes it.
func NewTorch(python string) (*Torch, error) {
	if python == "" {
		python = DefaultPython
	}
	dir, err := os.MkdirTemp("", "torchtwin-")
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	script := filepath.Join(dir, "torch_twin.py")
	if err := os.WriteFile(script, twinScript, 0o644); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("bench: write %s: %w", script, err)
	}
	return &Torch{Python: python, dir: dir, script: script}, nil
}

// Close removes the temporary script.
func (t *Torch) Close() error { return os.RemoveAll(t.dir) }

// Check reports whether the interpreter can import torch and numpy, and their versions.
func (t *Torch) Check(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, t.Python, "-c",
		"import torch, numpy; print('torch', torch.__version__, 'numpy', numpy.__version__)").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("bench: %s cannot import torch and numpy (run scripts/install-bench.sh): %v: %s",
			t.Python, err, lastLine(out))
	}
	return strings.TrimSpace(string(out)), nil
}

// runTwin runs the twin script with args and decodes every line of its standard output as a JSON
// object into a new value of T.
func runTwin[T any](ctx context.Context, t *Torch, args ...string) ([]T, error) {
	cmd := exec.CommandContext(ctx, t.Python, append([]string{t.script}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("bench: torch_twin.py %s: %w: %s", strings.Join(args, " "), err, lastLine(stderr.Bytes()))
	}
	var out []T
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(make([]byte, 1<<16), 1<<24)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var v T
		if err := json.Unmarshal(line, &v); err != nil {
			return nil, fmt.Errorf("bench: torch_twin.py %s: bad output line %q: %w", strings.Join(args, " "), line, err)
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("bench: torch_twin.py %s printed no result: %s", strings.Join(args, " "), lastLine(stderr.Bytes()))
	}
	return out, nil
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}
