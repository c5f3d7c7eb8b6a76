package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/prep"
	"github.com/godltrigger/godltrigger/pkg/train"
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

// TestResumeRefusesOtherSettings trains one epoch, then resumes it giving settings again:
// another classifier, learning rate, batch size or dataset is refused, naming the setting
// (a resumed run continues with its own); the same settings resume, and --epochs applies,
// as the log says.
func TestResumeRefusesOtherSettings(t *testing.T) {
	data := preparedData(t)
	trainDir, testDir := filepath.Join(data, prep.TrainHLF), filepath.Join(data, prep.TestHLF)
	model := filepath.Join(t.TempDir(), "m")
	runOK(t, context.Background(), "train", "--model", "hlf", "--epochs", "1", "--batch-size", "64",
		"--train", trainDir, "--test", testDir, "--out", model, "--quiet")
	resume := []string{"train", "--resume", "--out", model, "--quiet"}
	for _, tc := range []struct {
		name string
		args []string
		says string
	}{
		{"learning rate", []string{"--lr", "0.5", "--train", trainDir, "--test", testDir}, "learning_rate 0.5 (--lr) differs from 0.001 recorded in"},
		{"batch size", []string{"--batch-size", "32", "--train", trainDir, "--test", testDir}, "batch_size 32 (--batch-size) differs from 64 recorded in"},
		{"classifier", []string{"--model", "inclusive", "--train", trainDir, "--test", testDir}, "classifier inclusive differs from hlf recorded in"},
		{"training data", []string{"--train", testDir, "--test", testDir}, "training dataset " + testDir + " differs from " + trainDir},
		{"validation data", []string{"--train", trainDir, "--test", trainDir}, "validation dataset " + trainDir + " differs from " + testDir},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			code := run(context.Background(), append(resume, tc.args...), &stderr)
			if code != 1 || !strings.Contains(stderr.String(), tc.says) {
				t.Fatalf("exit code %d, want 1 with a message containing %q:\n%s", code, tc.says, stderr.String())
			}
		})
	}
	out := fileOutput(t, &os.Stdout, func() {
		runOK(t, context.Background(), append(resume, "--model", "hlf", "--batch-size", "64", "--epochs", "2", "--train", trainDir, "--test", testDir)...)
	})
	if !strings.Contains(out, "resume: 2 epochs in all instead of the 1 recorded") {
		t.Errorf("the log does not say that --epochs applies:\n%s", out)
	}
	if h, err := train.ReadHistory(model); err != nil || h.Epochs() != 2 {
		t.Errorf("history after resuming: %v, %v; want 2 epochs", h, err)
	}
}
