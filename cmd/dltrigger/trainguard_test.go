package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTrainAndTuneRejectNonsenseNumbers gives train and tune numbers that mean nothing (NaN,
// infinities, counts below their minimum): each exits 2 with a message naming the flag and
// the value, before it writes anything.
func TestTrainAndTuneRejectNonsenseNumbers(t *testing.T) {
	in := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		says string
	}{
		{"train NaN learning rate", []string{"train", "--model", "hlf", "--lr", "NaN"}, "--lr NaN: want a finite number > 0"},
		{"train infinite learning rate", []string{"train", "--model", "hlf", "--lr", "+Inf"}, "--lr +Inf: want a finite number > 0"},
		{"train negative learning rate", []string{"train", "--model", "hlf", "--lr", "-0.1"}, "--lr -0.1: want a finite number > 0"},
		{"train no rows per batch", []string{"train", "--model", "hlf", "--batch-size", "0"}, "--batch-size 0: want at least 1 row"},
		{"train no epochs", []string{"train", "--model", "hlf", "--epochs", "0"}, "--epochs 0: want at least 1"},
		{"train negative shuffle buffer", []string{"train", "--model", "hlf", "--shuffle-buffer", "-1"}, "--shuffle-buffer -1: want 0"},
		{"resume NaN learning rate", []string{"train", "--resume", "--lr", "NaN"}, "--lr NaN: want a finite number > 0"},
		{"tune NaN fraction", []string{"tune", "--fraction", "NaN"}, "--fraction NaN: want a share of the rows in (0, 1]"},
		{"tune one fold", []string{"tune", "--folds", "1"}, "--folds 1: want at least 2"},
		{"tune negative random", []string{"tune", "--random", "-3"}, "--random -3: want 0"},
		{"tune negative workers", []string{"tune", "--workers", "-2"}, "--workers -2: want 0 (one per core) or more"},
		{"tune negative top", []string{"tune", "--top", "-1"}, "--top -1: want 0 or more rows"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			args := append(tc.args, "--train", in, "--out", out, "--quiet")
			if tc.args[0] == "train" {
				args = append(args, "--test", in)
			}
			var stderr bytes.Buffer
			var code int
			usage := stderrOf(t, func() { code = run(context.Background(), args, &stderr) })
			if all := usage + stderr.String(); code != 2 || !strings.Contains(all, tc.says) {
				t.Fatalf("exit code %d, want 2 with a message containing %q:\n%s", code, tc.says, all)
			}
			if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s was created (%v)", out, err)
			}
		})
	}
}
