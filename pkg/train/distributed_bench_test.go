package train

import (
	stdcontext "context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/godltrigger/godltrigger/pkg/cluster"
	"github.com/godltrigger/godltrigger/pkg/cluster/clustertest"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
)

// benchCase is a classifier timed by BenchmarkDistributedStep at batch 128 per rank.
type benchCase struct {
	name   string
	cfg    models.Config
	seqLen int
}

func benchCases() []benchCase {
	seq := 50
	if s, err := strconv.Atoi(os.Getenv("TRAIN_BENCH_PARTICLES")); err == nil && s > 1 {
		seq = s
	}
	return []benchCase{
		{"hlf", models.DefaultConfig(models.KindHLF), 1},
		{fmt.Sprintf("particle%d", seq), models.DefaultConfig(models.KindParticle), seq},
		{fmt.Sprintf("inclusive%d", seq), models.DefaultConfig(models.KindInclusive), seq},
	}
}

// benchSteps is the number of timed steps of a case (the HLF step takes about a millisecond).
func benchSteps(c benchCase) int {
	if c.cfg.Kind == models.KindHLF {
		return 500
	}
	return max(3, 1000/c.seqLen)
}

// replicaTiming is what timeReplica measured.
type replicaTiming struct {
	Times StepTimes     `json:"times"`
	Wall  time.Duration `json:"wall"` // the timed steps, end to end
	Rows  int           `json:"rows"` // rows of all ranks in the timed steps
}

// timeReplica compiles the distributed step of c on comm, runs one untimed step, then
// benchSteps(c) timed ones on one synthetic batch of 128 rows per rank.
func timeReplica(backend compute.Backend, c benchCase, comm cluster.Comm) (replicaTiming, error) {
	opts := modeldir.DefaultOptions()
	opts.Seed = 1
	d := SyntheticData(128, c.seqLen, uint64(1+comm.Rank()))
	mem, err := NewMemorySource(d)
	if err != nil {
		return replicaTiming{}, err
	}
	var batch Batch
	for b, err := range mem.Batches(Order{}, 128) {
		if err != nil {
			return replicaTiming{}, err
		}
		batch = *b
	}
	gctx := model.NewStore()
	gctx.SetParam(model.ParamInitialSeed, opts.Seed)
	rs, err := newReplicaStep(backend, gctx, c.cfg, opts, comm)
	if err != nil {
		return replicaTiming{}, err
	}
	defer rs.Finalize()
	ctx := stdcontext.Background()
	if _, _, _, err := rs.pass(ctx, listSource{batch}, Order{}, nil); err != nil { // compile
		return replicaTiming{}, err
	}
	rs.times = StepTimes{}
	steps := make(listSource, benchSteps(c))
	for i := range steps {
		steps[i] = batch
	}
	start := time.Now()
	_, _, rows, err := rs.pass(ctx, steps, Order{}, nil)
	return replicaTiming{Times: rs.times, Wall: time.Since(start), Rows: rows}, err
}

// mpiBenchEnv names the directory where TestMPIBenchWorker writes rank 0's timings.
const mpiBenchEnv = "TRAIN_MPI_BENCH_DIR"

// TestMPIBenchWorker is one rank of BenchmarkDistributedStep (it runs only under mpirun).
func TestMPIBenchWorker(t *testing.T) {
	dir := os.Getenv(mpiBenchEnv)
	if dir == "" {
		t.Skip("runs under mpirun, started by BenchmarkDistributedStep")
	}
	comm, err := cluster.New(cluster.MPI)
	if err != nil {
		t.Fatal(err)
	}
	defer comm.Close()
	out := map[string]replicaTiming{}
	for _, c := range benchCases() {
		if out[c.name], err = timeReplica(testBackend, c, comm); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
	}
	if comm.Rank() == 0 {
		data, _ := json.Marshal(out)
		if err := os.WriteFile(filepath.Join(dir, "timings.json"), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// BenchmarkDistributedStep times the distributed training step, split into gradients,
// all-reduce and apply, for the HLF classifier and the particle and inclusive classifiers on
// 50-particle sequences ($TRAIN_BENCH_PARTICLES changes it), at batch 128 per rank:
//
//   - 1 rank: the split step in this process (cluster.Single) and, for comparison, the fused
//     single-process step Train runs ("fused_ms"), both on the single-threaded backend;
//
//   - 2 ranks: the same under mpirun (built with -tags mpi; skipped without Open MPI), each
//     rank on the single-threaded backend; "rows/s" counts the rows of both ranks;
//
//   - "efficiency": rows/s of 2 ranks over twice those of the fused step on one rank (1.0 is
//     perfect scaling); "x_all_cores": 2 ranks over one process using every core with
//     $GOMLX_BACKEND (go).
//
//     GOMLX_BACKEND=go go test ./pkg/train -run '^$' -bench DistributedStep -benchtime 1x
func BenchmarkDistributedStep(b *testing.B) {
	single, err := modeldir.BackendFromConfig(singleThreadedConfig)
	if err != nil {
		b.Fatal(err)
	}
	var two map[string]replicaTiming
	b.Run("mpirun", func(b *testing.B) {
		bin := clustertest.BuildMPITest(b, ".")
		dir := b.TempDir()
		ctx, cancel := stdcontext.WithTimeout(stdcontext.Background(), 9*time.Minute)
		defer cancel()
		cmd, err := cluster.LocalRun(ctx, 2, []string{mpiBenchEnv + "=" + dir, "GOMLX_BACKEND=" + singleThreadedConfig,
			"TRAIN_BENCH_PARTICLES=" + os.Getenv("TRAIN_BENCH_PARTICLES")}, bin, "-test.run", "^TestMPIBenchWorker$")
		if err != nil {
			b.Fatal(err)
		}
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("mpirun: %v\n%s", err, out)
		}
		data, err := os.ReadFile(filepath.Join(dir, "timings.json"))
		if err == nil {
			err = json.Unmarshal(data, &two)
		}
		if err != nil {
			b.Fatal(err)
		}
	})
	ms := func(d time.Duration, steps int) float64 { return d.Seconds() * 1e3 / float64(steps) }
	for _, c := range benchCases() {
		b.Run(c.name, func(b *testing.B) {
			one, err := timeReplica(single, c, cluster.Single())
			if err != nil {
				b.Fatal(err)
			}
			n := one.Times.Steps
			b.ReportMetric(ms(one.Times.Gradients, n), "1rank_grad_ms")
			b.ReportMetric(ms(one.Times.Apply, n), "1rank_apply_ms")
			d := SyntheticData(128, c.seqLen, 1)
			fused := fusedRate(b, single, c.cfg, d, benchSteps(c))
			all := fusedRate(b, testBackend, c.cfg, d, benchSteps(c))
			b.ReportMetric(128/fused*1e3, "fused_ms")
			b.ReportMetric(float64(one.Rows)/one.Wall.Seconds(), "1rank_rows/s")
			b.ReportMetric(fused, "fused_rows/s")
			t, ok := two[c.name]
			if !ok || t.Times.Steps == 0 {
				return
			}
			n = t.Times.Steps
			rate := float64(t.Rows) / t.Wall.Seconds()
			b.ReportMetric(ms(t.Times.Gradients, n), "2ranks_grad_ms")
			b.ReportMetric(ms(t.Times.AllReduce, n), "2ranks_allreduce_ms")
			b.ReportMetric(ms(t.Times.Apply, n), "2ranks_apply_ms")
			b.ReportMetric(rate, "2ranks_rows/s")
			b.ReportMetric(rate/(2*fused), "efficiency")
			b.ReportMetric(rate/all, "x_all_cores")
		})
	}
}

// fusedRate is the rows per second of the single-process training step on backend.
func fusedRate(b *testing.B, backend compute.Backend, cfg models.Config, d modeldir.Data, n int) float64 {
	opts := modeldir.DefaultOptions()
	opts.Seed = 1
	st, err := NewStepTimer(backend, cfg, opts, d)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if err := st.Step(); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	for i := 0; i < n; i++ {
		if err := st.Step(); err != nil {
			b.Fatal(err)
		}
	}
	return float64(n*st.Rows) / time.Since(start).Seconds()
}
