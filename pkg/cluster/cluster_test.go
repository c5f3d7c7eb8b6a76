package cluster_test

import (
	"context"
	"errors"
	"github.com/godltrigger/godltrigger/pkg/cluster"
	"github.com/godltrigger/godltrigger/pkg/cluster/clustertest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestSingle(t *testing.T) {
	c := cluster.Single()
	if c.Rank() != 0 || c.Size() != 1 {
		t.Fatalf("rank %d of %d, want 0 of 1", c.Rank(), c.Size())
	}
	for _, tc := range []struct {
		name string
		op   func([]float32) error
	}{
		{"sum", c.AllReduceSum},
		{"mean", c.AllReduceMean},
		{"broadcast", func(b []float32) error { return c.Broadcast(b, 0) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			buf := []float32{1, -2.5, 3e-30}
			if err := tc.op(buf); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(buf, []float32{1, -2.5, 3e-30}) {
				t.Errorf("buffer changed to %v", buf)
			}
		})
	}
	if err := c.Broadcast([]float32{1}, 1); err == nil || !strings.Contains(err.Error(), "root 1") {
		t.Errorf("broadcast from rank 1 of 1: %v, want an error naming the root", err)
	}
	if err := c.Barrier(); err != nil {
		t.Error(err)
	}
	if err := c.Close(); err != nil {
		t.Error(err)
	}
}

func TestNew(t *testing.T) {
	for _, tc := range []struct {
		name, errContains string
	}{
		{"", ""},
		{"none", ""},
		{"None", ""},
		{"slurm", `unknown communicator "slurm"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := cluster.New(tc.name)
			if tc.errContains != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errContains) {
					t.Fatalf("error %v, want one containing %q", err, tc.errContains)
				}
				return
			}
			if err != nil || c.Size() != 1 {
				t.Fatalf("cluster.New(%q) = %v, %v; want the single communicator", tc.name, c, err)
			}
		})
	}
}

func TestNewMPIWithoutTag(t *testing.T) {
	if cluster.MPICompiled() {
		t.Skip("built with -tags mpi: TestMPIRanks runs MPI")
	}
	_, err := cluster.New(cluster.MPI)
	if !errors.Is(err, cluster.ErrNotCompiled) || !strings.Contains(err.Error(), "rebuild with -tags mpi") {
		t.Fatalf("cluster.New(mpi) without the tag: %v, want cluster.ErrNotCompiled telling to rebuild with -tags mpi", err)
	}
}

func TestLocalRun(t *testing.T) {
	if _, err := exec.LookPath("mpirun"); err != nil {
		t.Skip("mpirun not installed (scripts/install-mpi.sh)")
	}
	cmd, err := cluster.LocalRun(context.Background(), 3, []string{"A=1"}, "prog", "-x")
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(cmd.Args[1:], " ")
	want := "-np 3 --oversubscribe --mca btl tcp,self --mca btl_tcp_if_include lo -x A"
	if !strings.HasPrefix(got, want) || !strings.HasSuffix(got, "prog -x") || !slices.Contains(cmd.Env, "A=1") {
		t.Errorf("args %q, want %q ... prog -x and A=1 in the environment", got, want)
	}
	if _, err := cluster.LocalRun(context.Background(), 2, []string{"=1"}, "prog"); err == nil {
		t.Error("LocalRun accepted the environment entry \"=1\"")
	}
}

// workerEnv names the directory in which TestMPIWorker, started by TestMPIRanks under
// mpirun, writes what each rank saw.
const workerEnv = "CLUSTER_MPI_WORKER_DIR"

// TestMPIRanks builds this package's tests with -tags mpi and runs TestMPIWorker as 2 ranks.
func TestMPIRanks(t *testing.T) {
	bin := clustertest.BuildMPITest(t, ".")
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd, err := cluster.LocalRun(ctx, 2, []string{workerEnv + "=" + dir}, bin, "-test.run", "^TestMPIWorker$", "-test.v")
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("mpirun: %v\n%s", err, out)
	}
	for rank := range 2 {
		data, err := os.ReadFile(filepath.Join(dir, "rank"+string(rune('0'+rank))))
		if err != nil {
			t.Fatalf("%v\nmpirun output:\n%s", err, out)
		}
		if got := strings.TrimSpace(string(data)); got != "ok" {
			t.Errorf("rank %d: %s", rank, got)
		}
	}
}

// TestMPIWorker is one rank of TestMPIRanks: it checks the collectives against values
// computed from the ranks and writes "ok" or what went wrong to $CLUSTER_MPI_WORKER_DIR/rank<r>.
func TestMPIWorker(t *testing.T) {
	dir := os.Getenv(workerEnv)
	if dir == "" {
		t.Skip("runs under mpirun, started by TestMPIRanks")
	}
	c, err := cluster.New(cluster.MPI)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r, n := float32(c.Rank()), float32(c.Size())
	var problems []string
	check := func(what string, got, want []float32, err error) {
		if err != nil {
			problems = append(problems, what+": "+err.Error())
		} else if !slices.Equal(got, want) {
			problems = append(problems, what+": got "+fmtFloats(got)+", want "+fmtFloats(want))
		}
	}
	if c.Size() != 2 {
		problems = append(problems, "size is not 2")
	}
	sum := []float32{r, 1, r * r}
	check("sum", sum, []float32{0 + 1, n, 0 + 1}, c.AllReduceSum(sum))
	mean := []float32{2 * r, 5}
	check("mean", mean, []float32{1, 5}, c.AllReduceMean(mean))
	big := make([]float32, 1<<20)
	for i := range big {
		big[i] = r + float32(i%7)
	}
	err = c.AllReduceSum(big)
	if err == nil && (big[0] != 1 || big[len(big)-1] != 1+2*float32((len(big)-1)%7)) {
		err = errors.New("wrong values " + fmtFloats(big[:3]))
	}
	check("sum of 1M values", nil, nil, err)
	bc := []float32{r + 10, r + 20}
	check("broadcast from 1", bc, []float32{11, 21}, c.Broadcast(bc, 1))
	check("barrier", nil, nil, c.Barrier())
	check("bad root", nil, nil, func() error {
		if c.Broadcast(bc, 2) == nil {
			return errors.New("root 2 of 2 accepted")
		}
		return nil
	}())
	msg := "ok"
	if len(problems) > 0 {
		msg = strings.Join(problems, "; ")
	}
	if err := os.WriteFile(filepath.Join(dir, "rank"+string(rune('0'+c.Rank()))), []byte(msg+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func fmtFloats(v []float32) string {
	var b strings.Builder
	for i, x := range v {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatFloat(float64(x), 'g', -1, 32))
	}
	return "[" + b.String() + "]"
}
