package cluster

import (
	"errors"
	"fmt"
	"strings"
)

// Comm is the communicator of one process among the Size processes of a job. Every
// collective operation must be called by all ranks in the same order with buffers of the
// same length; a Comm is not safe for concurrent use.
type Comm interface {
	// Rank is this process's index in [0, Size).
	Rank() int
	// Size is the number of processes.
	Size() int
	// AllReduceSum replaces buf, on every rank, with the element-wise sum of all ranks' buf.
	AllReduceSum(buf []float32) error
	// AllReduceMean replaces buf, on every rank, with the element-wise mean of all ranks' buf.
	AllReduceMean(buf []float32) error
	// Broadcast copies root's buf into buf on every other rank. Values are copied bit for
	// bit, so buf may carry any 4-byte data.
	Broadcast(buf []float32, root int) error
	// Barrier returns once every rank has called it.
	Barrier() error
	// Close ends this process's part in the job; the Comm is unusable afterwards.
	Close() error
}

// Names of the communicators New makes.
const (
	None = "none" // Single: one process
	MPI  = "mpi"  // Open MPI (build tag mpi)
)

// ErrNotCompiled reports a communicator left out of this build.
var ErrNotCompiled = errors.New("not compiled in")

// Names lists the names New accepts.
func Names() []string { return []string{None, MPI} }

// New makes the communicator called name: None (or "") is Single; MPI initialises MPI, which
// fails with ErrNotCompiled in binaries built without the mpi tag.
func New(name string) (Comm, error) {
	switch strings.ToLower(name) {
	case "", None:
		return Single(), nil
	case MPI:
		return newMPI()
	}
	return nil, fmt.Errorf("cluster: unknown communicator %q, want one of %s", name, strings.Join(Names(), ", "))
}

// MPICompiled reports whether this binary was built with the mpi tag.
func MPICompiled() bool { return mpiCompiled }

// checkRoot reports a root outside [0, size).
func checkRoot(root, size int) error {
	if root < 0 || root >= size {
		return fmt.Errorf("cluster: broadcast root %d outside [0, %d)", root, size)
	}
	return nil
}
