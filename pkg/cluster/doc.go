// Package cluster connects the processes of one data-parallel training job: a Comm gives
// each process its rank among Size processes and the collective operations synchronous
// training needs (sum or mean of float32 buffers over all ranks, broadcast from one rank,
// barrier).
//
// Two implementations exist. Single is the lone process of an ordinary run: Size 1, every
// operation leaves its buffer as it is. MPI runs over Open MPI through
// cogentcore.org/lab/base/mpi and is compiled in only with the mpi build tag (cgo and
// Open MPI's development files are needed: scripts/install-mpi.sh):
//
//	GOEXPERIMENT=simd go build -tags mpi -o dltrigger ./cmd/dltrigger
//	mpirun -np 2 ./dltrigger train --distributed mpi ...
//
// A program chooses by name:
//
//	comm, err := cluster.New("mpi") // "none" or "": cluster.Single()
//	if err != nil {
//		return err // without -tags mpi: "cluster: MPI not compiled in: rebuild with -tags mpi"
//	}
//	defer comm.Close()
//	grads := []float32{...}
//	err = comm.AllReduceMean(grads) // every rank now holds the mean
package cluster
