package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/prep"
	"github.com/godltrigger/godltrigger/pkg/runlock"
	"github.com/godltrigger/godltrigger/pkg/train"
	"github.com/godltrigger/godltrigger/pkg/tune"
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
	if h, err := modeldir.ReadHistory(model); err != nil || h.Epochs() != 2 {
		t.Errorf("history after resuming: %v, %v; want 2 epochs", h, err)
	}
}

// TestTrainAndTuneRefuseABusyDirectory holds the lock of a model directory and of a tuning
// output directory, as a live run does: train, train --resume and tune into them exit 1,
// naming the directory and the run holding it.
func TestTrainAndTuneRefuseABusyDirectory(t *testing.T) {
	data := preparedData(t)
	trainDir, testDir := filepath.Join(data, prep.TrainHLF), filepath.Join(data, prep.TestHLF)
	model, tuning := filepath.Join(t.TempDir(), "m"), filepath.Join(t.TempDir(), "tuning")
	runOK(t, context.Background(), "train", "--model", "hlf", "--epochs", "1", "--train", trainDir, "--test", testDir, "--out", model, "--quiet")
	for _, l := range []string{filepath.Join(model, train.LockFile), filepath.Join(tuning, tune.LockFile)} {
		if err := os.MkdirAll(filepath.Dir(l), 0o755); err != nil {
			t.Fatal(err)
		}
		lock, err := runlock.Acquire(l)
		if err != nil {
			t.Fatal(err)
		}
		defer lock.Release()
	}
	holder := fmt.Sprintf("pid %d", os.Getpid())
	for _, tc := range []struct {
		name string
		args []string
		says string
	}{
		{"train", []string{"train", "--model", "hlf", "--epochs", "2", "--out", model, "--train", trainDir, "--test", testDir}, "another run is writing into the model directory " + model},
		{"resume", []string{"train", "--resume", "--epochs", "2", "--out", model, "--train", trainDir, "--test", testDir}, "another run is writing into the model directory " + model},
		{"tune", []string{"tune", "--train", data, "--out", tuning, "--grid", writeGrid(t), "--folds", "2", "--fraction", "0.2"}, "another run is writing into the output directory " + tuning},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			code := run(context.Background(), append(tc.args, "--quiet"), &stderr)
			if code != 1 || !strings.Contains(stderr.String(), tc.says) || !strings.Contains(stderr.String(), holder) {
				t.Fatalf("exit code %d, want 1 with a message containing %q and %q:\n%s", code, tc.says, holder, stderr.String())
			}
		})
	}
	if h, err := modeldir.ReadHistory(model); err != nil || h.Epochs() != 1 {
		t.Errorf("the refused runs changed the model: %v, %v", h, err)
	}
}

// writeGrid writes a one-point tuning grid and returns its path.
func writeGrid(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "grid.json")
	grid := `{"batch_size": [64], "epochs": [1], "nh_1": [4], "nh_2": [4], "nh_3": [4]}`
	if err := os.WriteFile(path, []byte(grid), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
