package kernelext_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"

	kernelext "github.com/godltrigger/godltrigger/kernel-ext"
)

func TestXGBoostCommand(t *testing.T) {
	if _, err := os.Stat(kernelext.XGBoostHeader); err != nil {
		t.Skipf("libxgboost-dev missing (scripts/install-xgboost.sh): %v", err)
	}
	t.Setenv(kernelext.WorkEnv, t.TempDir())
	ctx := context.Background()
	if _, err := kernelext.XGBoostCommand(ctx, t.TempDir()); err == nil || !strings.Contains(err.Error(), "not the GoDLTrigger repository") {
		t.Errorf("a folder without the sources: error %v", err)
	}
	bin, err := kernelext.XGBoostCommand(ctx, "..")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(bin, "dltrigger-xgboost") {
		t.Errorf("binary %s", bin)
	}
	out, _ := exec.Command(bin, "train", "--model", "rf", "--help").CombinedOutput()
	if !strings.Contains(string(out), "-max-depth") {
		t.Errorf("%s train --model rf --help has no --max-depth:\n%s", bin, out)
	}
	// The tagged binary has XGBoost: it gets past the build-tag check to the missing data.
	out, err = exec.Command(bin, "train", "--model", "rf", "--train", "none", "--test", "none", "--out", t.TempDir()+"/m").CombinedOutput()
	if err == nil || strings.Contains(string(out), "-tags xgboost") || !strings.Contains(string(out), "none") {
		t.Errorf("%s train on missing data: %v\n%s", bin, err, out)
	}
}
