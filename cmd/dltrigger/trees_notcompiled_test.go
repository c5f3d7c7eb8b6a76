//go:build !xgboost

package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestTrainTreesNeedsTheBuildTag(t *testing.T) {
	var stderr bytes.Buffer
	out := filepath.Join(t.TempDir(), "m")
	code := run(context.Background(), []string{"train", "--model", "rf", "--train", "x", "--test", "y", "--out", out}, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "rebuild with -tags xgboost (go build -tags xgboost ./cmd/dltrigger") {
		t.Errorf("exit code %d, stderr %q: want 1 and how to rebuild", code, stderr.String())
	}
}

func TestTuneTreesNeedsTheBuildTag(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := tuneMain(context.Background(), []string{"--train", "x", "--out", t.TempDir(), "--grid", "rf"}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "rebuild with -tags xgboost") {
		t.Errorf("error %v: want how to rebuild", err)
	}
}
