package deploy

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godltrigger/godltrigger/pkg/ingest/ingesttest"
)

// TestSlurmIngestArray submits slurm/ingest.sbatch as a 3-task job array to a Slurm cluster
// started on loopback and checks that the shards together wrote exactly what one unsharded run
// writes.
func TestSlurmIngestArray(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: not starting a Slurm cluster")
	}
	lookSlurm(t) // skip before building anything
	bin := dltrigger(t)
	in := events(t)
	want := ingesttest.Tree(t, referenceIngest(t, bin, in))
	c := startSlurm(t)

	work := t.TempDir()
	out := filepath.Join(work, "ingested")
	script, err := filepath.Abs("slurm/ingest.sbatch")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// The script's own --cpus-per-task and --mem are for real nodes: ask what this one has.
	sbatch := c.commandContext(ctx, "sbatch", "--array=0-2", "--wait", "--chdir="+work,
		"--cpus-per-task=1", "--mem=512M", "--time=5", script)
	sbatch.Env = c.env("DLTRIGGER="+bin, "INPUT="+in, "OUTPUT="+out)
	start := time.Now()
	b, err := sbatch.CombinedOutput()
	t.Logf("sbatch --array=0-2 --wait: %v", time.Since(start).Round(time.Millisecond))
	logs := taskLogs(t, work)
	if err != nil || !sbatchJobID.Match(b) {
		for name, l := range logs {
			t.Logf("%s:\n%s", name, l)
		}
		t.Fatalf("sbatch: %v\n%s", err, b)
	}
	checkShardLogs(t, logs, 3, ingesttest.Parts(want))
	ingesttest.SameTree(t, ingesttest.Tree(t, out), want)
}

// taskLogs reads the array tasks' output files (the script's --output) from dir.
func taskLogs(t *testing.T, dir string) map[string]string {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join(dir, "dltrigger-ingest-*_*.out"))
	logs := map[string]string{}
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		logs[filepath.Base(n)] = string(b)
	}
	return logs
}

// checkShardLogs checks that n tasks each ran a different shard of n, each ingesting some
// files, files in all.
func checkShardLogs(t *testing.T, logs map[string]string, n, files int) {
	t.Helper()
	if len(logs) != n {
		t.Errorf("%d task logs %v, want %d", len(logs), keys(logs), n)
	}
	var shards []int
	total := 0
	for name, l := range logs {
		shard, of, done, ok := shardSummary(l)
		switch {
		case !ok:
			t.Errorf("%s: no sharded ingest summary in:\n%s", name, l)
			continue
		case of != n:
			t.Errorf("%s: shard %d of %d, want of %d", name, shard, of, n)
		case done == 0:
			t.Errorf("%s: shard %d ingested nothing", name, shard)
		}
		shards = append(shards, shard)
		total += done
	}
	sort.Ints(shards)
	if want := []int{0, 1, 2}[:n]; !slices.Equal(shards, want) {
		t.Errorf("tasks ran shards %v, want %v", shards, want)
	}
	if total != files {
		t.Errorf("the tasks ingested %d files together, want %d", total, files)
	}
}

// TestIngestSbatchWithoutScheduler runs slurm/ingest.sbatch as Slurm would run an array
// numbered from 1 (environment only, no scheduler), so the script is tested where Slurm is not
// installed, and checks its guards and argument passing.
func TestIngestSbatchWithoutScheduler(t *testing.T) {
	bin := dltrigger(t)
	in := events(t)
	want := ingesttest.Tree(t, referenceIngest(t, bin, in))
	out := filepath.Join(t.TempDir(), "ingested")
	base := []string{"DLTRIGGER=" + bin, "INPUT=" + in, "OUTPUT=" + out, "SLURM_CPUS_PER_TASK=1"}

	t.Run("array 1-3", func(t *testing.T) {
		logs := map[string]string{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		for id := 1; id <= 3; id++ { // at once, as the array's tasks would run
			wg.Add(1)
			go func() {
				defer wg.Done()
				env := append(slices.Clone(base), fmt.Sprintf("SLURM_ARRAY_TASK_ID=%d", id), "SLURM_ARRAY_TASK_MIN=1", "SLURM_ARRAY_TASK_COUNT=3")
				b, err := runScript("slurm/ingest.sbatch", env, "--strict")
				mu.Lock()
				defer mu.Unlock()
				logs[fmt.Sprintf("task %d", id)] = string(b)
				if err != nil {
					t.Errorf("task %d: %v\n%s", id, err, b)
				}
			}()
		}
		wg.Wait()
		checkShardLogs(t, logs, 3, ingesttest.Parts(want))
		ingesttest.SameTree(t, ingesttest.Tree(t, out), want)
	})

	for _, tc := range []struct {
		name, contains string
		env, args      []string
	}{
		{name: "not an array task", contains: "not an array task"},
		{name: "arguments reach dltrigger", env: []string{"SLURM_ARRAY_TASK_ID=0", "SLURM_ARRAY_TASK_COUNT=3"},
			args: []string{"--no-such-flag"}, contains: "no-such-flag"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := runScript("slurm/ingest.sbatch", append(slices.Clone(base), tc.env...), tc.args...)
			if err == nil || !strings.Contains(string(b), tc.contains) {
				t.Errorf("got error %v and output:\n%s\nwant a failure saying %q", err, b, tc.contains)
			}
		})
	}
}

// runScript runs a deploy script with bash, in the clean environment plus env.
func runScript(script string, env []string, args ...string) ([]byte, error) {
	cmd := exec.Command("bash", append([]string{script}, args...)...)
	cmd.Env = cleanEnv(env...)
	return cmd.CombinedOutput()
}

// TestSbatchScripts checks the shell syntax of the Slurm scripts (bash -n) and that all their
// #SBATCH lines come before the first command, where sbatch stops reading them.
func TestSbatchScripts(t *testing.T) {
	names, _ := filepath.Glob("slurm/*.sbatch")
	if len(names) < 2 {
		t.Fatalf("found Slurm scripts %v, want ingest.sbatch and train.sbatch", names)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			if out, err := exec.Command("bash", "-n", name).CombinedOutput(); err != nil {
				t.Fatalf("bash -n: %v\n%s", err, out)
			}
			f, err := os.Open(name)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			sc := bufio.NewScanner(f)
			commands, directives := false, 0
			for n := 1; sc.Scan(); n++ {
				line := strings.TrimSpace(sc.Text())
				switch {
				case strings.HasPrefix(line, "#SBATCH"):
					directives++
					if commands {
						t.Errorf("line %d: %q after the first command: sbatch ignores it", n, line)
					}
				case line != "" && !strings.HasPrefix(line, "#"):
					commands = true
				}
			}
			if directives == 0 {
				t.Errorf("no #SBATCH directive")
			}
		})
	}
}

// TestTrainSbatchLaunch runs slurm/train.sbatch with stand-ins for mpirun and srun that record
// their arguments, as in an allocation of 6 tasks of 3 CPUs, and checks the command line.
func TestTrainSbatchLaunch(t *testing.T) {
	bin := dltrigger(t)
	stubs := t.TempDir()
	for _, name := range []string{"mpirun", "srun"} {
		stub := "#!/bin/sh\nprintf '%s\\n' \"$(basename \"$0\")\" \"$@\" > \"$ARGV_FILE\"\n"
		if err := os.WriteFile(filepath.Join(stubs, name), []byte(stub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	rest := []string{bin, "train", "--distributed", "mpi", "--model", "particle", "--train", "/d/train",
		"--test", "/d/test", "--out", "/d/models/particle", "--quiet", "--epochs", "2"}
	for _, tc := range []struct {
		launcher string
		want     []string // the recorded argv; nil: the script must refuse
	}{
		{"mpirun", append([]string{"mpirun", "-np", "6", "--bind-to", "none"}, rest...)},
		{"srun", append([]string{"srun", "--mpi=pmix", "--cpus-per-task=3"}, rest...)},
		{"ssh", nil},
	} {
		t.Run(tc.launcher, func(t *testing.T) {
			argv := filepath.Join(t.TempDir(), "argv")
			env := []string{"PATH=" + stubs + ":" + os.Getenv("PATH"), "ARGV_FILE=" + argv,
				"LAUNCHER=" + tc.launcher, "SLURM_NTASKS=6", "SLURM_CPUS_PER_TASK=3", "DLTRIGGER=" + bin,
				"MODEL=particle", "TRAIN=/d/train", "TEST=/d/test", "OUT=/d/models/particle"}
			out, err := runScript("slurm/train.sbatch", env, "--epochs", "2")
			if tc.want == nil {
				if err == nil || !strings.Contains(string(out), "want mpirun or srun") {
					t.Errorf("LAUNCHER=%s: error %v, output %q: want a refusal", tc.launcher, err, out)
				}
				return
			}
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			b, err := os.ReadFile(argv)
			if err != nil {
				t.Fatalf("the launcher was not run: %v\n%s", err, out)
			}
			got := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
			if !slices.Equal(got, tc.want) {
				t.Errorf("launched\n  %q\nwant\n  %q", got, tc.want)
			}
			if !bytes.Contains(out, []byte("6 ranks via "+tc.launcher)) {
				t.Errorf("the script did not say what it launches:\n%s", out)
			}
		})
	}
}
