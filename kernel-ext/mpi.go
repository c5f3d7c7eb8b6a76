package kernelext

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// MPICommand builds the dltrigger command with the mpi build tag, which 'dltrigger train
// --distributed mpi' needs under mpirun, into the work directory's bin/ and returns its path.
// moduleDir is the repository root (from a notebook: $GONB_DIR/..). Go's build cache makes a
// rebuild cheap. It fails, saying what to install, when Open MPI (mpirun, and the headers that
// pkg-config knows as ompi) is missing.
func MPICommand(ctx context.Context, moduleDir string) (string, error) {
	if _, err := exec.LookPath("mpirun"); err != nil {
		return "", fmt.Errorf("kernelext: no mpirun: install Open MPI (scripts/install-mpi.sh): %w", err)
	}
	if err := exec.CommandContext(ctx, "pkg-config", "--exists", "ompi").Run(); err != nil {
		return "", fmt.Errorf("kernelext: pkg-config does not know ompi: install libopenmpi-dev (scripts/install-mpi.sh): %w", err)
	}
	if _, err := os.Stat(filepath.Join(moduleDir, "cmd", "dltrigger")); err != nil {
		return "", fmt.Errorf("kernelext: %s is not the GoDLTrigger repository: %w", moduleDir, err)
	}
	work, err := WorkDir()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(work, "bin", "dltrigger-mpi")
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		return "", fmt.Errorf("kernelext: %w", err)
	}
	tmp := bin + ".tmp"
	cmd := exec.CommandContext(ctx, "go", "build", "-tags", "mpi", "-o", tmp, "./cmd/dltrigger")
	cmd.Dir = moduleDir
	if out, err := cmd.CombinedOutput(); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("kernelext: go build -tags mpi ./cmd/dltrigger in %s: %w\n%s", moduleDir, err, strings.TrimSpace(string(out)))
	}
	if err := os.Rename(tmp, bin); err != nil {
		return "", fmt.Errorf("kernelext: %w", err)
	}
	return bin, nil
}
