// Package clustertest runs tests as several MPI ranks: it builds a package's test binary with
// the mpi build tag, so that a test of the ordinary build can start it under mpirun
// (cluster.LocalRun) and check what each rank did.
package clustertest

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// BuildMPITest compiles the tests of the package in dir (a path as `go test` takes it, such as
// ".") with -tags mpi into a temporary file and returns its path. It skips t when mpirun, the
// go command or Open MPI's pkg-config entry is missing (scripts/install-mpi.sh installs
// Open MPI) and fails it when the build fails.
func BuildMPITest(t testing.TB, dir string) string {
	t.Helper()
	if _, err := exec.LookPath("mpirun"); err != nil {
		t.Skip("mpirun not found: install Open MPI with scripts/install-mpi.sh")
	}
	if out, err := exec.Command("pkg-config", "--exists", "ompi").CombinedOutput(); err != nil {
		t.Skipf("pkg-config knows no ompi (libopenmpi-dev, scripts/install-mpi.sh): %v %s", err, out)
	}
	goCmd := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goCmd); err != nil {
		if goCmd, err = exec.LookPath("go"); err != nil {
			t.Skip("the go command is needed to build the MPI test binary")
		}
	}
	bin := filepath.Join(t.TempDir(), "mpi.test")
	cmd := exec.Command(goCmd, "test", "-c", "-tags", "mpi", "-o", bin, dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go test -c -tags mpi %s: %v\n%s", dir, err, out)
	}
	return bin
}
