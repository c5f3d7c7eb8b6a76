package cluster

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// LocalRun returns the command that starts np ranks of program on this machine with
// Open MPI's mpirun, talking over the loopback interface only (no network set-up needed):
//
//	mpirun -np N --oversubscribe --mca btl tcp,self --mca btl_tcp_if_include lo [-x VAR ...] program args...
//
// Each "NAME=value" of env is set in the ranks' environment (and exported with -x). As root
// it also sets the two variables with which mpirun agrees to run. It fails when mpirun is not
// on PATH (scripts/install-mpi.sh installs it). Cancelling ctx sends mpirun SIGTERM, which it
// passes on to the ranks.
func LocalRun(ctx context.Context, np int, env []string, program string, args ...string) (*exec.Cmd, error) {
	if np < 1 {
		return nil, fmt.Errorf("cluster: mpirun with %d ranks", np)
	}
	mpirun, err := exec.LookPath("mpirun")
	if err != nil {
		return nil, fmt.Errorf("cluster: %w (install Open MPI: scripts/install-mpi.sh)", err)
	}
	if os.Geteuid() == 0 {
		env = append(env, "OMPI_ALLOW_RUN_AS_ROOT=1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1")
	}
	argv := []string{"-np", strconv.Itoa(np), "--oversubscribe", "--mca", "btl", "tcp,self", "--mca", "btl_tcp_if_include", "lo"}
	for _, kv := range env {
		name, _, ok := cutEnv(kv)
		if !ok {
			return nil, fmt.Errorf("cluster: environment entry %q is not NAME=value", kv)
		}
		argv = append(argv, "-x", name)
	}
	argv = append(argv, program)
	cmd := exec.CommandContext(ctx, mpirun, append(argv, args...)...)
	cmd.Env = append(os.Environ(), env...)
	// mpirun passes SIGTERM on to the ranks; a killed mpirun would leave them running.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	return cmd, nil
}

func cutEnv(kv string) (name, value string, ok bool) {
	name, value, ok = strings.Cut(kv, "=")
	return name, value, ok && name != ""
}
