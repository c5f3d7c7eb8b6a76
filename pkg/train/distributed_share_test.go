package train

import (
	stdcontext "context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/godltrigger/godltrigger/pkg/cluster"
	"github.com/godltrigger/godltrigger/pkg/cluster/clustertest"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
)

// mpiShareEnv names the directory where TestMPIOneFileDataset writes a one-file dataset and
// each of its ranks (TestMPIShareWorker under mpirun) writes the rows it read.
const mpiShareEnv = "TRAIN_MPI_SHARE_DIR"

// mpiShareRows is the size of TestMPIOneFileDataset's dataset.
const mpiShareRows = 47

// mpiShareResult is what a rank of TestMPIShareWorker reports.
type mpiShareResult struct {
	Rows  [][]int `json:"rows"`  // per epoch, the row ids the rank's share yielded
	Error string  `json:"error"` // of the distributed training
}

// TestMPIShareWorker is one rank of TestMPIOneFileDataset (it runs only under mpirun): it
// reads two epochs of its share of the one-file dataset, then trains on it distributed.
func TestMPIShareWorker(t *testing.T) {
	dir := os.Getenv(mpiShareEnv)
	if dir == "" {
		t.Skip("runs under mpirun, started by TestMPIOneFileDataset")
	}
	comm, err := cluster.New(cluster.MPI)
	if err != nil {
		t.Fatal(err)
	}
	defer comm.Close()
	data := filepath.Join(dir, "data")
	var res mpiShareResult
	src, err := OpenDatasetShare(t.Context(), data, DataConfig{Kind: models.KindInclusive, MemoryLimitBytes: -1, ShuffleBuffer: 8}, comm.Rank(), comm.Size())
	if err = agree(comm, err); err == nil { // a rank without a share stops them all
		for epoch := range 2 {
			res.Rows = append(res.Rows, ids(t, src, Order{Shuffle: true, Seed: 5, Epoch: epoch}, 8))
		}
		cfg := models.DefaultConfig(models.KindHLF)
		cfg.HLFHidden = []int{6}
		opts := modeldir.DefaultOptions()
		opts.Epochs, opts.BatchSize = 2, 8
		_, err = TrainDatasets(stdcontext.Background(), DatasetJob{Dir: filepath.Join(dir, "model"), TrainDir: data, TestDir: data,
			Model: cfg, Options: opts, Comm: comm})
	}
	if err != nil {
		res.Error = err.Error()
	}
	out, err := json.Marshal(res)
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, fmt.Sprintf("rank%d.json", comm.Rank())), out, 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// TestMPIOneFileDataset runs 2 MPI ranks on a dataset of one file (as 'dltrigger prepare'
// writes it without --parts): in each epoch every row is read by exactly one rank, and
// distributed training on it completes.
func TestMPIOneFileDataset(t *testing.T) {
	bin := clustertest.BuildMPITest(t, ".")
	dir := t.TempDir()
	writeDataset(t, filepath.Join(dir, "data"), testLayouts()[0], mpiShareRows, mpiShareRows)
	ctx, cancel := stdcontext.WithTimeout(stdcontext.Background(), 3*time.Minute)
	defer cancel()
	cmd, err := cluster.LocalRun(ctx, 2, []string{mpiShareEnv + "=" + dir, "GOMLX_BACKEND=" + singleThreadedConfig},
		bin, "-test.run", "^TestMPIShareWorker$")
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("mpirun: %v\n%s", err, out)
	}
	var ranks [2]mpiShareResult
	for r := range ranks {
		data, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("rank%d.json", r)))
		if err == nil {
			err = json.Unmarshal(data, &ranks[r])
		}
		if err != nil {
			t.Fatalf("rank %d: %v\nmpirun output:\n%s", r, err, out)
		}
	}
	if ranks[0].Error != "" || ranks[1].Error != "" {
		t.Fatalf("rank 0: %s\nrank 1: %s", ranks[0].Error, ranks[1].Error)
	}
	for epoch := range 2 {
		seen := make([]int, mpiShareRows)
		for r := range ranks {
			for _, id := range ranks[r].Rows[epoch] {
				seen[id]++
			}
		}
		for id, n := range seen {
			if n != 1 {
				t.Fatalf("epoch %d: row %d read %d times (rank 0 read %d rows, rank 1 %d)", epoch+1, id, n,
					len(ranks[0].Rows[epoch]), len(ranks[1].Rows[epoch]))
			}
		}
	}
	if h, err := modeldir.ReadHistory(filepath.Join(dir, "model")); err != nil || h.Epochs() != 2 {
		t.Errorf("history of the distributed run: %v, %v; want 2 epochs", h, err)
	}
}
