package train

import (
	stdcontext "context"
	"encoding/json"
	"fmt"
	"iter"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/godltrigger/godltrigger/pkg/cluster"
	"github.com/godltrigger/godltrigger/pkg/cluster/clustertest"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
)

// mpiWorkerEnv names the directory where TestMPIWorker, run by TestMPITraining as 2 MPI
// ranks, writes each rank's history and weights.
const mpiWorkerEnv = "TRAIN_MPI_WORKER_DIR"

// mpiCase is a distributed run of TestMPITraining. Rank 0 reads batches of 16, 16, 16 and 5
// rows, rank 1 of 16, 16 and 2: the single-process equivalent reads 32, 32, 18 and 5.
type mpiCase struct {
	name   string
	cfg    models.Config
	seqLen int
	epochs int
	resume bool // also train epochs-1 epochs, resume to epochs and compare
	// controls switches on the learning rate on plateau and early stopping, with validation on
	// shifted labels so that they act: every rank must apply rank 0's decisions.
	controls bool
}

func mpiCases() []mpiCase {
	inclusive := models.DefaultConfig(models.KindInclusive)
	inclusive.Dropout = 0 // masks drawn per rank cannot equal those of one process
	transformer := models.DefaultConfig(models.KindInclusiveTransformerMasked)
	transformer.Dropout, transformer.PairBias = 0, true
	inclusiveLSTM := models.DefaultConfig(models.KindInclusiveLSTM)
	inclusiveLSTM.Dropout = 0
	return []mpiCase{
		{name: "hlf", cfg: models.DefaultConfig(models.KindHLF), epochs: 3, resume: true},
		{name: "inclusive", cfg: inclusive, seqLen: 5, epochs: 2},
		{name: "inclusive-transformer-masked", cfg: transformer, seqLen: 5, epochs: 2, resume: true},
		{name: "inclusive-lstm", cfg: inclusiveLSTM, seqLen: 5, epochs: 2, resume: true},
		{name: "hlf-controls", cfg: models.DefaultConfig(models.KindHLF), epochs: 6, resume: true, controls: true},
	}
}

var mpiBatchSizes = [2][]int{{16, 16, 16, 5}, {16, 16, 2}}

// mpiBatches returns the training batches of rank (0 or 1), or with rank -1 those of the
// single-process equivalent: its batch k holds rank 0's batch k followed by rank 1's.
func mpiBatches(c mpiCase, rank int) []Batch {
	d := blobs(29, c.seqLen, 1) // 87 rows
	var out []Batch
	row := 0
	for k := 0; k < len(mpiBatchSizes[0]); k++ {
		var union Batch
		for r := range 2 {
			if k >= len(mpiBatchSizes[r]) {
				continue
			}
			b := rowsBatch(d, row, row+mpiBatchSizes[r][k])
			row += b.Size
			if r == rank {
				out = append(out, b)
			}
			union = appendBatch(union, b)
		}
		if rank < 0 {
			out = append(out, union)
		}
	}
	return out
}

// rowsBatch converts rows [from, to) of d to a batch.
func rowsBatch(d modeldir.Data, from, to int) Batch {
	b := Batch{Size: to - from, SeqLen: d.SeqLen, Labels: make([]float32, (to-from)*models.NumClasses)}
	if d.HLF != nil {
		b.HLF = d.HLF[from*models.NumHLF : to*models.NumHLF]
	}
	if d.Seq != nil {
		w := d.SeqLen * models.NumFeatures
		b.Seq = d.Seq[from*w : to*w]
	}
	for i := from; i < to; i++ {
		b.Labels[(i-from)*models.NumClasses+d.Labels[i]] = 1
	}
	return b
}

func appendBatch(a, b Batch) Batch {
	return Batch{Size: a.Size + b.Size, SeqLen: b.SeqLen, Labels: append(a.Labels[:len(a.Labels):len(a.Labels)], b.Labels...),
		HLF: append(a.HLF[:len(a.HLF):len(a.HLF)], b.HLF...), Seq: append(a.Seq[:len(a.Seq):len(a.Seq)], b.Seq...)}
}

// listSource yields the same batches in every pass, whatever the order and batch size.
type listSource []Batch

func (l listSource) Rows() int {
	n := 0
	for _, b := range l {
		n += b.Size
	}
	return n
}

func (l listSource) Batches(Order, int) iter.Seq2[*Batch, error] {
	return func(yield func(*Batch, error) bool) {
		for i := range l {
			b := l[i]
			if !yield(&b, nil) {
				return
			}
		}
	}
}

// mpiResult is what a rank reports of one run.
type mpiResult struct {
	History *modeldir.History `json:"history"`
	Weights []float32         `json:"weights"`
}

// mpiJob is the job of case c for rank (-1: the single-process equivalent).
func mpiJob(t testing.TB, c mpiCase, rank int, dir string) Job {
	valData := blobs(20, c.seqLen, 2)
	opts := modeldir.DefaultOptions()
	opts.Epochs, opts.BatchSize, opts.Seed = c.epochs, 16, 3
	if c.controls {
		valData = shiftLabels(valData)
		opts.LearningRate, opts.LRPlateauPatience, opts.LRPlateauFactor, opts.EarlyStoppingPatience, opts.RestoreBest = 0.01, 1, 0.5, 4, true
	}
	val, err := NewMemorySource(valData)
	if err != nil {
		t.Fatal(err)
	}
	if rank < 0 {
		opts.BatchSize = 32
	}
	return Job{Dir: dir, Model: c.cfg, Options: opts, Train: listSource(mpiBatches(c, rank)), Validation: val}
}

// launchResult runs launch and returns the history and the final model weights.
func launchResult(job Job, prepare func(Job) (*modeldir.Info, *modeldir.History, error)) (mpiResult, error) {
	hist, gctx, err := launch(stdcontext.Background(), job, prepare)
	if err != nil {
		return mpiResult{}, err
	}
	w, err := flatValues(modelVariables(gctx))
	return mpiResult{History: hist, Weights: w}, err
}

// TestMPIWorker is one rank of TestMPITraining (it runs only under mpirun).
func TestMPIWorker(t *testing.T) {
	dir := os.Getenv(mpiWorkerEnv)
	if dir == "" {
		t.Skip("runs under mpirun, started by TestMPITraining")
	}
	comm, err := cluster.New(cluster.MPI)
	if err != nil {
		t.Fatal(err)
	}
	defer comm.Close()
	save := func(name string, res mpiResult, err error) {
		if err != nil {
			t.Fatalf("rank %d: %s: %v", comm.Rank(), name, err)
		}
		data, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-rank%d.json", name, comm.Rank())), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Replicas initialised with different seeds hold rank 0's variables after the broadcast.
	{
		opts := modeldir.DefaultOptions()
		gctx := model.NewStore()
		gctx.SetParam(model.ParamInitialSeed, int64(10+comm.Rank()))
		cfg := models.DefaultConfig(models.KindHLF)
		err := createVariables(testBackend, gctx, cfg, optimizer.Adam().Done().(gradientUpdater))
		var before, after []float32
		if err == nil {
			before, err = flatValues(modelVariables(gctx))
		}
		var rs *replicaStep
		if err == nil {
			rs, err = newReplicaStep(testBackend, gctx, cfg, opts, comm)
		}
		if err == nil {
			defer rs.Finalize()
			after, err = flatValues(rs.vars)
		}
		save("broadcast-before", mpiResult{History: &modeldir.History{}, Weights: before}, err)
		save("broadcast-after", mpiResult{History: &modeldir.History{}, Weights: after}, err)
	}
	for _, c := range mpiCases() {
		job := mpiJob(t, c, comm.Rank(), filepath.Join(dir, c.name))
		job.Comm = comm
		res, err := launchResult(job, prepareTrain)
		save(c.name, res, err)
		if !c.resume {
			continue
		}
		job.Dir = filepath.Join(dir, c.name+"-resumed")
		job.Options.Epochs = c.epochs - 1
		if c.controls { // stop before the first reduction of the learning rate
			job.Options.Epochs = 1
		}
		if _, err := launchResult(job, prepareTrain); err != nil {
			t.Fatal(err)
		}
		job.Options.Epochs = c.epochs
		res, err = launchResult(job, prepareResume)
		save(c.name+"-resumed", res, err)
	}
}

// TestMPITraining builds this package's tests with -tags mpi, trains the HLF, the inclusive and
// the LSTM inclusive classifier as 2 MPI ranks, and checks that both replicas end with identical
// weights and histories, that these equal a single-process run on the union of the ranks'
// batches (up to the order of float32 sums), and that a distributed run resumed after a
// checkpoint ends exactly as an uninterrupted one.
//
// The ranks run with GOMLX_BACKEND naming the single-threaded Go backend, and naming ONNX
// Runtime when its library is installed (ONNXRUNTIME_SHARED_LIBRARY_PATH): the ranks then
// train on the Go backend instead (see replicaBackend and TestORTApplyStepLosesItsUpdates),
// with the same results.
func TestMPITraining(t *testing.T) {
	bin := clustertest.BuildMPITest(t, ".")
	t.Run("go", func(t *testing.T) { testMPITraining(t, bin, singleThreadedConfig, 1e-5, 1e-4) })
	t.Run("onnx", func(t *testing.T) {
		if os.Getenv("ONNXRUNTIME_SHARED_LIBRARY_PATH") == "" {
			t.Skip("ONNXRUNTIME_SHARED_LIBRARY_PATH unset: run scripts/install-ort.sh")
		}
		testMPITraining(t, bin, "onnx", 1e-5, 1e-4)
	})
}

// testMPITraining runs TestMPIWorker as 2 ranks of the test binary bin on the backend config
// and checks the results; histRel and weightRel bound the relative differences from one
// process on the Go backend.
func testMPITraining(t *testing.T, bin, config string, histRel, weightRel float64) {
	dir := t.TempDir()
	ctx, cancel := stdcontext.WithTimeout(stdcontext.Background(), 3*time.Minute)
	defer cancel()
	cmd, err := cluster.LocalRun(ctx, 2, []string{mpiWorkerEnv + "=" + dir, "GOMLX_BACKEND=" + config},
		bin, "-test.run", "^TestMPIWorker$")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("mpirun: %v\n%s", err, out)
	}
	t.Logf("2 ranks: %.1fs", time.Since(start).Seconds())
	read := func(t *testing.T, name string, rank int) mpiResult {
		var res mpiResult
		data, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("%s-rank%d.json", name, rank)))
		if err == nil {
			err = json.Unmarshal(data, &res)
		}
		if err != nil || res.History == nil {
			t.Fatalf("%s of rank %d: %v\nmpirun output:\n%s", name, rank, err, out)
		}
		return res
	}
	t.Run("broadcast", func(t *testing.T) {
		before0, before1 := read(t, "broadcast-before", 0), read(t, "broadcast-before", 1)
		after0, after1 := read(t, "broadcast-after", 0), read(t, "broadcast-after", 1)
		if firstBitDifference(before0.Weights, before1.Weights) < 0 {
			t.Fatal("ranks initialised with different seeds hold the same weights")
		}
		if i := firstBitDifference(after0.Weights, before0.Weights); i >= 0 {
			t.Errorf("rank 0's weights changed at %d", i)
		}
		if i := firstBitDifference(after1.Weights, before0.Weights); i >= 0 {
			t.Errorf("rank 1 does not hold rank 0's weights after the broadcast (first difference at %d)", i)
		}
	})
	for _, c := range mpiCases() {
		t.Run(c.name, func(t *testing.T) {
			r0, r1 := read(t, c.name, 0), read(t, c.name, 1)
			if i := firstBitDifference(r0.Weights, r1.Weights); i >= 0 {
				t.Errorf("replicas differ: %d and %d weights, first difference at %d", len(r0.Weights), len(r1.Weights), i)
			}
			if err := compareHistories(r0.History, r1.History, 0); err != nil {
				t.Errorf("histories of the ranks differ: %v", err)
			}
			if h := r0.History; (h.Epochs() != c.epochs && !c.controls) || len(r0.Weights) == 0 {
				t.Fatalf("%d epochs, %d weights", h.Epochs(), len(r0.Weights))
			}
			if h := r0.History; c.controls && (h.StoppedEpoch == 0 || h.LearningRate[h.Epochs()-1] >= h.LearningRate[0]) {
				t.Fatalf("the controls did not act: learning rates %v, stopped after epoch %d", h.LearningRate, h.StoppedEpoch)
			}

			single, err := launchResult(mpiJob(t, c, -1, t.TempDir()), prepareTrain)
			if err != nil {
				t.Fatal(err)
			}
			if err := compareHistories(r0.History, single.History, histRel); err != nil {
				t.Errorf("2 ranks and one process differ: %v", err)
			}
			if d, i := maxRelDiff(r0.Weights, single.Weights); d > weightRel {
				t.Errorf("weights of 2 ranks and of one process differ by %.3g (relative) at %d", d, i)
			} else {
				t.Logf("loss %v; weights within %.2g of one process's", r0.History.Loss, d)
			}
			if c.resume {
				res := read(t, c.name+"-resumed", 0)
				if err := compareHistories(res.History, r0.History, 0); err != nil {
					t.Errorf("resumed run: %v", err)
				}
				if i := firstBitDifference(res.Weights, r0.Weights); i >= 0 {
					t.Errorf("resumed run ends with other weights (first difference at %d)", i)
				}
			}
		})
	}
}

func firstBitDifference(a, b []float32) int {
	for i := range max(len(a), len(b)) {
		if i >= len(a) || i >= len(b) || math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return i
		}
	}
	return -1
}

// maxRelDiff is the largest |a-b| / max(|b|, 1e-2) and where.
func maxRelDiff(a, b []float32) (float64, int) {
	if len(a) != len(b) {
		return math.Inf(1), 0
	}
	worst, at := 0.0, 0
	for i := range a {
		d := math.Abs(float64(a[i])-float64(b[i])) / math.Max(math.Abs(float64(b[i])), 1e-2)
		if d > worst || math.IsNaN(d) {
			worst, at = d, i
		}
	}
	return worst, at
}

// compareHistories compares losses and accuracies within rel (relative), and the controls'
// decisions exactly; rows per second are not compared.
func compareHistories(a, b *modeldir.History, rel float64) error {
	if fmt.Sprint(a.LearningRate, a.NextLearningRate, a.BestEpoch, a.PlateauWait, a.StoppedEpoch) !=
		fmt.Sprint(b.LearningRate, b.NextLearningRate, b.BestEpoch, b.PlateauWait, b.StoppedEpoch) {
		return fmt.Errorf("decisions: learning rates %v (next %v), best epoch %d, plateau wait %d, stopped after %d; and %v (next %v), %d, %d, %d",
			a.LearningRate, a.NextLearningRate, a.BestEpoch, a.PlateauWait, a.StoppedEpoch,
			b.LearningRate, b.NextLearningRate, b.BestEpoch, b.PlateauWait, b.StoppedEpoch)
	}
	for _, s := range []struct {
		name string
		x, y []float64
	}{{"loss", a.Loss, b.Loss}, {"accuracy", a.Accuracy, b.Accuracy},
		{"val_loss", a.ValLoss, b.ValLoss}, {"val_accuracy", a.ValAccuracy, b.ValAccuracy}} {
		if len(s.x) != len(s.y) {
			return fmt.Errorf("%s: %d and %d epochs", s.name, len(s.x), len(s.y))
		}
		for i := range s.x {
			if d := math.Abs(s.x[i] - s.y[i]); d > rel*math.Abs(s.y[i]) {
				return fmt.Errorf("%s of epoch %d: %v and %v", s.name, i+1, s.x[i], s.y[i])
			}
		}
	}
	return nil
}
