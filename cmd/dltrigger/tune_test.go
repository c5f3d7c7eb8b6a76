package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/spec"
	"github.com/godltrigger/godltrigger/pkg/tune"
)

func TestTuneShardsMergeAndTrain(t *testing.T) {
	data := preparedData(t)
	work := t.TempDir()
	grid := filepath.Join(work, "grid.json")
	if err := os.WriteFile(grid, []byte(`{"batch_size":[32,64],"epochs":[1,2],"nh_1":[8],"nh_2":[6],"nh_3":[4]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, shard := range []string{"0", "1"} {
		dir := filepath.Join(work, "tune-"+shard)
		runOK(t, context.Background(), "tune", "--train", data, "--grid", grid, "--folds", "3", "--fraction", "1",
			"--workers", "2", "--shard", shard, "--of", "2", "--out", dir, "--quiet")
		dirs = append(dirs, dir)
	}
	merged := filepath.Join(work, "merged")
	runOK(t, context.Background(), append([]string{"tune", "merge", "--out", merged}, dirs...)...)
	results, err := tune.ReadResults(filepath.Join(merged, tune.ResultsFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 4 {
		t.Fatalf("merged %d results, want the grid's 4", len(results))
	}
	runOK(t, context.Background(), "train", "--options", filepath.Join(merged, tune.BestOptionsFile),
		"--train", filepath.Join(data, spec.TrainHLF), "--test", filepath.Join(data, spec.TrainHLF),
		"--out", filepath.Join(work, "model"), "--epochs", "1", "--quiet")
}

func TestTuneCommandUsage(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		merge bool
		err   error // nil: any error
		want  string
	}{
		{[]string{"--help"}, false, flag.ErrHelp, "Usage: dltrigger tune --train"},
		{[]string{"--help"}, false, flag.ErrHelp, "SLURM_ARRAY_TASK_ID"},
		{[]string{"--help"}, true, flag.ErrHelp, "Example:"},
		{[]string{"--out", "x"}, false, nil, "--train and --out are required"},
		{[]string{"--out", "x"}, true, nil, "a RESULT_DIR argument is required"},
		{[]string{"--train", "x", "--out", "y", "--grid", "/nonexistent.json"}, false, nil, "tune: read grid"},
		{[]string{"--train", "x", "--out", "y", "--shard", "2", "--of", "2"}, false, nil, "not below --of 2"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var stderr bytes.Buffer
			var err error
			if tc.merge {
				err = tuneMergeMain(context.Background(), tc.args, &bytes.Buffer{}, &stderr)
			} else {
				err = tuneMain(context.Background(), tc.args, &bytes.Buffer{}, &stderr)
			}
			if err == nil || (tc.err != nil && !errors.Is(err, tc.err)) {
				t.Fatalf("error %v, want %v", err, tc.err)
			}
			if out := stderr.String() + err.Error(); !strings.Contains(out, tc.want) {
				t.Fatalf("output lacks %q:\n%s", tc.want, out)
			}
		})
	}
}
