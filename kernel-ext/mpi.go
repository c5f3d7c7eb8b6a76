package kernelext

import (
	"context"
	"fmt"
	"os/exec"
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
	return buildTagged(ctx, moduleDir, "mpi")
}
