package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestNumericFlagsAreChecked gives the commands numbers that mean nothing (NaN, infinities,
// negative counts and durations): each must fail with a message naming the value, before
// doing anything.
func TestNumericFlagsAreChecked(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	for _, tc := range []struct {
		name string
		args []string
		says string
	}{
		{"ingest negative workers", []string{"ingest", "--sample", "qcd=" + dir, "--out", out, "--workers", "-1"}, "-1 workers"},
		{"ingest negative shard count", []string{"ingest", "--sample", "qcd=" + dir, "--out", out, "--of", "-2"}, "--of -2"},
		{"prepare NaN test fraction", []string{"prepare", "--in", dir, "--out", out, "--test-fraction", "NaN"}, "test fraction NaN"},
		{"prepare infinite test fraction", []string{"prepare", "--in", dir, "--out", out, "--test-fraction", "+Inf"}, "test fraction +Inf"},
		{"prepare negative memory", []string{"prepare", "--in", dir, "--out", out, "--memory", "-64"}, "memory bound"},
		{"prepare negative workers", []string{"prepare", "--in", dir, "--out", out, "--workers", "-1"}, "-1 workers"},
		{"prepare negative parts", []string{"prepare", "--in", dir, "--out", out, "--parts", "-1"}, "-1 part files"},
		{"generate negative workers", []string{"generate", "--out", out, "--events", "10", "--workers", "-4"}, "-4 workers"},
		{"generate negative per-file", []string{"generate", "--out", out, "--events", "10", "--per-file", "-1"}, "events per file"},
		{"serve NaN threshold", []string{"serve", "--model", dir, "--watch", dir, "--out", out, "--threshold", "NaN"}, "threshold NaN"},
		{"serve negative batch", []string{"serve", "--model", dir, "--watch", dir, "--out", out, "--batch", "-8"}, "batch of -8 events"},
		{"serve negative workers", []string{"serve", "--model", dir, "--watch", dir, "--out", out, "--workers", "-1"}, "-1 workers"},
		{"serve negative poll", []string{"serve", "--model", dir, "--watch", dir, "--out", out, "--poll", "-1s"}, "poll interval -1s"},
		{"serve negative report", []string{"serve", "--model", dir, "--watch", dir, "--out", out, "--report", "-1s"}, "report interval -1s"},
		{"serve negative settle", []string{"serve", "--model", dir, "--watch", dir, "--out", out, "--settle", "-2s"}, "--settle -2s"},
		{"download no parallel transfer", []string{"download", "x", "--parallel", "0"}, "--parallel must be at least 1"},
		{"download negative retries", []string{"download", "x", "--retries", "-1"}, "--retries at least 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			var code int
			if tc.args[0] == "download" { // writes its usage to the stderr it is given
				if err := downloadCmd(context.Background(), &bytes.Buffer{}, &stderr, tc.args[1:]); err != nil {
					code = 1
				}
			} else {
				code = run(context.Background(), tc.args, &stderr)
			}
			if code == 0 || !strings.Contains(stderr.String(), tc.says) {
				t.Fatalf("exit code %d, want non-zero with a message containing %q:\n%s", code, tc.says, stderr.String())
			}
		})
	}
}
