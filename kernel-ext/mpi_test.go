package kernelext_test

import (
	"context"
	"os/exec"
	"strings"
	"testing"

	kernelext "github.com/godltrigger/godltrigger/kernel-ext"
)

func TestMPICommand(t *testing.T) {
	if _, err := exec.LookPath("mpirun"); err != nil {
		t.Skip("no mpirun (scripts/install-mpi.sh installs Open MPI)")
	}
	t.Setenv(kernelext.WorkEnv, t.TempDir())
	ctx := context.Background()
	if _, err := kernelext.MPICommand(ctx, t.TempDir()); err == nil || !strings.Contains(err.Error(), "not the GoDLTrigger repository") {
		t.Errorf("a folder without the sources: error %v", err)
	}
	bin, err := kernelext.MPICommand(ctx, "..")
	if err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command(bin, "train", "--help").CombinedOutput()
	if !strings.Contains(string(out), "-distributed") {
		t.Errorf("%s train --help has no --distributed:\n%s", bin, out)
	}
}
