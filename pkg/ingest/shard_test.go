package ingest

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/ingest/ingesttest"
)

func TestShardsTogetherEqualSingleRun(t *testing.T) {
	samples := synthSamples(t)
	single := t.TempDir()
	run(t, Options{Out: single, Samples: samples})
	want := ingesttest.Tree(t, single)

	for _, n := range []int{2, 3} {
		t.Run(fmt.Sprintf("%d shards", n), func(t *testing.T) {
			dir := t.TempDir()
			var wg sync.WaitGroup
			sums := make([]*Summary, n)
			errs := make([]error, n)
			for i := 0; i < n; i++ { // at once into one folder, as an array job would
				wg.Add(1)
				go func() {
					defer wg.Done()
					sums[i], errs[i] = runErr(t, Options{Out: dir, Samples: samples, Shard: i, Of: n, Workers: 1})
				}()
			}
			wg.Wait()
			files := 0
			for i := range n {
				if errs[i] != nil {
					t.Fatalf("shard %d: %v", i, errs[i])
				}
				if sums[i].FilesDone == 0 {
					t.Errorf("shard %d of %d ingested nothing", i, n)
				}
				files += sums[i].FilesDone
			}
			if files != ingesttest.Parts(want) {
				t.Errorf("shards ingested %d files together, want %d", files, ingesttest.Parts(want))
			}
			ingesttest.SameTree(t, ingesttest.Tree(t, dir), want)
		})
	}
}

func TestPlanShares(t *testing.T) {
	samples := synthSamples(t)
	all, err := Plan(samples, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(all); i++ {
		a, b := all[i-1], all[i]
		if a.Label > b.Label || (a.Label == b.Label && a.Path >= b.Path) {
			t.Errorf("plan not sorted by label then path at %d: %v then %v", i, a, b)
		}
	}
	for _, n := range []int{1, 2, 4, len(all) + 1} {
		seen := map[string]int{}
		for i := range n {
			mine, err := Plan(samples, i, n)
			if err != nil {
				t.Fatal(err)
			}
			for _, in := range mine {
				seen[in.Path]++
			}
		}
		for _, in := range all {
			if seen[in.Path] != 1 {
				t.Errorf("%d shards: %s planned %d times", n, in.Path, seen[in.Path])
			}
		}
	}
	for _, tc := range []struct{ shard, of int }{{-1, 2}, {2, 2}, {0, 0}} {
		if _, err := Plan(samples, tc.shard, tc.of); err == nil || !strings.Contains(err.Error(), "shard") {
			t.Errorf("Plan(shard %d of %d): error %v, want one about the shard", tc.shard, tc.of, err)
		}
	}
	dup := append(samples[:1:1], Sample{Name: "ttbar", Label: 1, Patterns: samples[0].Patterns})
	if _, err := Plan(dup, 0, 1); err == nil || !strings.Contains(err.Error(), "listed twice") {
		t.Errorf("an input in two samples: error %v, want listed twice", err)
	}
}

func TestShardFromEnv(t *testing.T) {
	for _, tc := range []struct {
		name       string
		env        map[string]string
		index, n   int
		source     string
		ok         bool
		errContain string
	}{
		{name: "none", env: nil},
		{name: "slurm", env: map[string]string{"SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "8"}, index: 3, n: 8, source: "SLURM_ARRAY_TASK_ID", ok: true},
		{name: "slurm from 1", env: map[string]string{"SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "5"}, index: 4, n: 5, source: "SLURM_ARRAY_TASK_ID", ok: true},
		{name: "slurm no count", env: map[string]string{"SLURM_ARRAY_TASK_ID": "2"}, index: 2, n: 0, source: "SLURM_ARRAY_TASK_ID", ok: true},
		{name: "slurm first wins", env: map[string]string{"SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "2", "JOB_COMPLETION_INDEX": "7", "OMPI_COMM_WORLD_RANK": "9"}, index: 1, n: 2, source: "SLURM_ARRAY_TASK_ID", ok: true},
		{name: "kubernetes", env: map[string]string{"JOB_COMPLETION_INDEX": "4"}, index: 4, n: 0, source: "JOB_COMPLETION_INDEX", ok: true},
		{name: "mpi", env: map[string]string{"OMPI_COMM_WORLD_RANK": "1", "OMPI_COMM_WORLD_SIZE": "4"}, index: 1, n: 4, source: "OMPI_COMM_WORLD_RANK", ok: true},
		{name: "mpi no size", env: map[string]string{"OMPI_COMM_WORLD_RANK": "0"}, index: 0, n: 0, source: "OMPI_COMM_WORLD_RANK", ok: true},
		{name: "bad slurm id", env: map[string]string{"SLURM_ARRAY_TASK_ID": "x"}, errContain: `SLURM_ARRAY_TASK_ID="x"`},
		{name: "bad slurm min", env: map[string]string{"SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_MIN": "one"}, errContain: "SLURM_ARRAY_TASK_MIN"},
		{name: "bad slurm count", env: map[string]string{"SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "2.5"}, errContain: "SLURM_ARRAY_TASK_COUNT"},
		{name: "bad kubernetes", env: map[string]string{"JOB_COMPLETION_INDEX": " 1"}, errContain: "JOB_COMPLETION_INDEX"},
		{name: "bad mpi rank", env: map[string]string{"OMPI_COMM_WORLD_RANK": "r1"}, errContain: "OMPI_COMM_WORLD_RANK"},
		{name: "bad mpi size", env: map[string]string{"OMPI_COMM_WORLD_RANK": "1", "OMPI_COMM_WORLD_SIZE": "many"}, errContain: "OMPI_COMM_WORLD_SIZE"},
		{name: "negative", env: map[string]string{"JOB_COMPLETION_INDEX": "-1"}, errContain: "JOB_COMPLETION_INDEX"},
		{name: "slurm id below min", env: map[string]string{"SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_MIN": "1"}, errContain: "SLURM_ARRAY_TASK_MIN"},
		{name: "count zero", env: map[string]string{"OMPI_COMM_WORLD_RANK": "0", "OMPI_COMM_WORLD_SIZE": "0"}, errContain: "OMPI_COMM_WORLD_SIZE"},
		{name: "index not below count", env: map[string]string{"SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_COUNT": "4"}, errContain: "SLURM_ARRAY_TASK_COUNT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			i, n, src, ok, err := ShardFromEnv(func(k string) string { return tc.env[k] })
			if tc.errContain != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errContain) || !strings.HasPrefix(err.Error(), "ingest: ") {
					t.Fatalf("error %v, want an ingest error naming %s", err, tc.errContain)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if i != tc.index || n != tc.n || src != tc.source || ok != tc.ok {
				t.Errorf("got %d of %d from %q (ok %v), want %d of %d from %q (ok %v)", i, n, src, ok, tc.index, tc.n, tc.source, tc.ok)
			}
		})
	}
}
