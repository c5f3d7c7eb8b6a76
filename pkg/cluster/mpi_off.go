//go:build !mpi

package cluster

import "fmt"

const mpiCompiled = false

// newMPI reports that this binary has no MPI support.
func newMPI() (Comm, error) {
	return nil, fmt.Errorf("cluster: MPI %w: rebuild with -tags mpi (Open MPI and its headers: scripts/install-mpi.sh)", ErrNotCompiled)
}
