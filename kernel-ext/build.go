package kernelext

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// buildTagged builds the dltrigger command with a build tag into the work directory's
// bin/dltrigger-TAG and returns its path. moduleDir is the repository root (from a notebook:
// $GONB_DIR/..); Go's build cache makes a rebuild cheap.
func buildTagged(ctx context.Context, moduleDir, tag string) (string, error) {
	if _, err := os.Stat(filepath.Join(moduleDir, "cmd", "dltrigger")); err != nil {
		return "", fmt.Errorf("kernelext: %s is not the GoDLTrigger repository: %w", moduleDir, err)
	}
	work, err := WorkDir()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(work, "bin", "dltrigger-"+tag)
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		return "", fmt.Errorf("kernelext: %w", err)
	}
	tmp := bin + ".tmp"
	cmd := exec.CommandContext(ctx, "go", "build", "-tags", tag, "-o", tmp, "./cmd/dltrigger")
	cmd.Dir = moduleDir
	if out, err := cmd.CombinedOutput(); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("kernelext: go build -tags %s ./cmd/dltrigger in %s: %w\n%s", tag, moduleDir, err, strings.TrimSpace(string(out)))
	}
	if err := os.Rename(tmp, bin); err != nil {
		return "", fmt.Errorf("kernelext: %w", err)
	}
	return bin, nil
}
