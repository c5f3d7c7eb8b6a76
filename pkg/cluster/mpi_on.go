//go:build mpi

package cluster

import (
	"errors"
	"fmt"
	"runtime"

	"cogentcore.org/lab/base/mpi"
)

const mpiCompiled = true

// mpiComm runs every MPI call on one goroutine locked to its OS thread: MPI is initialised
// single-threaded (MPI_Init), which allows calls from the initialising thread only, while Go
// moves goroutines between threads.
type mpiComm struct {
	calls      chan func()
	done       chan struct{}
	world      *mpi.Comm // used on the MPI thread only
	rank, size int
	closed     bool
}

// newMPI initialises MPI (once per process) and returns the communicator of MPI_COMM_WORLD.
func newMPI() (Comm, error) {
	c := &mpiComm{calls: make(chan func()), done: make(chan struct{})}
	ready := make(chan error, 1)
	go c.serve(ready)
	if err := <-ready; err != nil {
		return nil, err
	}
	return c, nil
}

// serve initialises MPI on its own thread, runs the calls sent to it, then finalises MPI when
// calls is closed.
func (c *mpiComm) serve(ready chan<- error) {
	runtime.LockOSThread()
	defer close(c.done)
	mpi.LogErrors = false // errors are returned
	if mpi.IsOn() {
		ready <- errors.New("cluster: MPI is already initialised in this process (one communicator per process)")
		return
	}
	mpi.Init()
	world, err := mpi.NewComm(nil)
	if err != nil {
		mpi.Finalize()
		ready <- fmt.Errorf("cluster: MPI world communicator: %w", err)
		return
	}
	c.world, c.rank, c.size = world, world.Rank(), world.Size()
	ready <- nil
	for fn := range c.calls {
		fn()
	}
	mpi.Finalize()
}

// do runs fn on the MPI thread and returns its error.
func (c *mpiComm) do(what string, fn func() error) error {
	if c.closed {
		return fmt.Errorf("cluster: %s on a closed MPI communicator", what)
	}
	errc := make(chan error, 1)
	c.calls <- func() { errc <- fn() }
	if err := <-errc; err != nil {
		return fmt.Errorf("cluster: MPI %s: %w", what, err)
	}
	return nil
}

func (c *mpiComm) Rank() int { return c.rank }
func (c *mpiComm) Size() int { return c.size }

func (c *mpiComm) AllReduceSum(buf []float32) error {
	if len(buf) == 0 {
		return nil
	}
	return c.do("allreduce", func() error {
		return c.world.AllReduceF32(mpi.OpSum, buf, nil) // nil: MPI_IN_PLACE
	})
}

func (c *mpiComm) AllReduceMean(buf []float32) error {
	if err := c.AllReduceSum(buf); err != nil {
		return err
	}
	n := float32(c.size)
	for i := range buf {
		buf[i] /= n
	}
	return nil
}

func (c *mpiComm) Broadcast(buf []float32, root int) error {
	if err := checkRoot(root, c.size); err != nil {
		return err
	}
	if len(buf) == 0 {
		return nil
	}
	return c.do("broadcast", func() error {
		return c.world.BcastF32(root, buf)
	})
}

func (c *mpiComm) Barrier() error {
	return c.do("barrier", func() error {
		return c.world.Barrier()
	})
}

// Close finalises MPI; no communicator can be made again in this process.
func (c *mpiComm) Close() error {
	if c.closed {
		return nil
	}
	c.closed = true
	close(c.calls)
	<-c.done
	return nil
}
