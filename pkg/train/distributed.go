package train

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/godltrigger/godltrigger/pkg/cluster"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
)

// Distributed training (Job.Comm or DatasetJob.Comm connecting several processes, such as
// cluster.New("mpi") under mpirun) is synchronous data parallelism as in the reference's
// MultiWorkerMirroredStrategy:
//
//   - every rank holds a replica of the model, starting from rank 0's variables (fresh or
//     loaded from the last checkpoint), broadcast bit for bit;
//   - every rank reads its own share of the training rows (DatasetJob: OpenDatasetShare,
//     whole files, or row ranges when the dataset has fewer files than ranks), in batches of
//     Options.BatchSize: the global batch is BatchSize times the number of ranks;
//   - each step, each rank computes the loss, the correct count and the gradients of its
//     batch in one graph; one all-reduce sums them (weighted by rows) in a single buffer; every
//     rank applies the same Adam update in a second graph. The replicas stay identical and a
//     step equals a single-process step on the union of the ranks' batches. Ranks with fewer
//     batches contribute nothing to the last steps of an epoch;
//   - losses and accuracies are over the rows of all ranks; rank 0 alone validates, saves
//     checkpoints, writes model.json, data.json and history.json and logs, so that only rank
//     0 needs to see the model directory and the validation data. Resume continues such a run
//     (with any number of ranks; the same number gives the result of an uninterrupted run).
//
// With dropout (the inclusive classifier), each rank draws its own masks.

// singleThreadedConfig runs the pure-Go backend on the calling goroutine only (see
// tune.SingleThreadedConfig): the choice of ranks that share their cores with other ranks.
const singleThreadedConfig = gobackend.BackendName + ":parallelism=0,ops_sequential"

// replicaBackend is NewBackend, except where backendOverride replaces the backend it chooses.
func replicaBackend(comm cluster.Comm, log io.Writer, kind models.Kind) (compute.Backend, error) {
	b, line, err := modeldir.NewBackend(nil)
	if err != nil {
		return nil, err
	}
	local, dist := 1, comm.Size() > 1
	if dist {
		local = comm.Size()
		if n, err := strconv.Atoi(os.Getenv("OMPI_COMM_WORLD_LOCAL_SIZE")); err == nil && n > 0 {
			local = n
		}
	}
	envSet := os.Getenv(compute.ConfigEnvVar) != ""
	if config, why := backendOverride(modeldir.KernelFamily(b), dist, kind, envSet, runtime.NumCPU()/local); config != "" {
		b.Finalize()
		if b, err = modeldir.BackendFromConfig(config); err != nil {
			return nil, fmt.Errorf("train: backend %q: %w", config, err)
		}
		_, hints, _ := strings.Cut(line, "\n")
		line = fmt.Sprintf("backend: %s with %q (%s)", modeldir.KernelFamily(b), config, why)
		if hints != "" {
			line += "\n" + hints
		}
	}
	if log != nil {
		fmt.Fprintln(log, line)
	}
	return b, nil
}

// backendOverride returns the Go backend configuration that replaces the backend of kernel
// family chosen (see NewBackend), and why; "" keeps the chosen one. dist says whether the
// process is a rank of a distributed run, envSet whether $GOMLX_BACKEND chose, and cores is the
// number of CPUs per rank on this machine.
//
//   - A rank of a distributed run does not train on ONNX Runtime: through compute-onnx v0.1.5
//     its separate apply step (Adam from the summed gradients) does not see its own variable
//     updates from one call to the next (Adam's moments and step counter stay at their first
//     values; TestORTApplyStepLosesItsUpdates), which single-process training, one fused
//     graph, does not suffer. It gets the Go backend.
//   - A rank with fewer than two cores of its own and no $GOMLX_BACKEND gets the
//     single-threaded Go backend, so that the ranks do not compete for the cores.
//   - A single process training the HLF classifier on the Go backend chosen by default gets it
//     with ops_sequential: the small dense graph runs faster with its ops one after the other
//     (`torchcompare speed --models hlf,particle --seq-lens 50 --backends go,go:ops_sequential`
//     measured 1.45x on the HLF network and 0.6x on the GRU).
func backendOverride(family string, dist bool, kind models.Kind, envSet bool, cores int) (config, why string) {
	goChosen := strings.HasPrefix(family, "Go ")
	shared := !envSet && cores < 2
	switch {
	case dist && strings.HasPrefix(family, "ORT"):
		config = gobackend.BackendName
		if shared {
			config = singleThreadedConfig
		}
		return config, "ONNX Runtime does not serve distributed training: through compute-onnx v0.1.5 its apply step loses its variable updates"
	case dist && goChosen && shared:
		return singleThreadedConfig, fmt.Sprintf("the ranks share the cores: %d CPU usable by this one", max(cores, 1))
	case !dist && goChosen && !envSet && kind == models.KindHLF:
		return hlfGoConfig, "the HLF network's small graph runs faster with its ops one after the other"
	}
	return "", ""
}

// hlfGoConfig is the Go backend's configuration for training the HLF classifier.
const hlfGoConfig = gobackend.BackendName + ":ops_sequential"

// isORT reports whether b is the ONNX Runtime backend.
func isORT(b compute.Backend) bool { return strings.HasPrefix(modeldir.KernelFamily(b), "ORT") }

// reseed gives the ranks other than 0 a random state of their own for the epoch, a function of
// the seed, the epoch and the rank (rank 0 keeps its checkpointed state): dropout masks then
// differ between ranks, and a resumed run draws the same masks as an uninterrupted one.
func (s *replicaStep) reseed(store *model.Store, epoch int) error {
	rank := s.comm.Rank()
	if rank == 0 {
		return nil
	}
	v := store.GetVariable(model.JoinPath("/", model.RNGStateVariableName))
	if v == nil {
		return nil
	}
	seed := uint64(s.opts.Seed) ^ uint64(epoch+1)<<40 ^ uint64(rank)*0x9E3779B97F4A7C15
	state, err := graph.RNGStateFromSeed(int64(seed))
	if err != nil {
		return fmt.Errorf("train: random state of rank %d: %w", rank, err)
	}
	if err := v.SetValue(state); err != nil {
		return fmt.Errorf("train: random state of rank %d: %w", rank, err)
	}
	return nil
}
