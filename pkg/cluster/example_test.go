package cluster_test

import (
	"fmt"

	"github.com/godltrigger/godltrigger/pkg/cluster"
)

// A training process gets its Comm by name; "none" (or "") is the lone process of an
// ordinary run, whose collective operations leave the buffer as it is. With "mpi" (a build
// with -tags mpi, started by mpirun) every rank gets the sum or mean of all ranks' buffers.
func ExampleNew() {
	comm, err := cluster.New(cluster.None)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer comm.Close()
	grad := []float32{0.5, -1, 2}
	err = comm.AllReduceMean(grad)
	fmt.Printf("rank %d of %d: mean gradient %v, %v\n", comm.Rank(), comm.Size(), grad, err)
	fmt.Println("names:", cluster.Names())
	// Output:
	// rank 0 of 1: mean gradient [0.5 -1 2], <nil>
	// names: [none mpi]
}
