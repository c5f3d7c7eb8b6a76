package modeldir

import (
	"os/exec"
	"strings"
	"testing"
)

// TestServingDoesNotImportTraining checks that serving and export (packages serve and onnx)
// reach model directories through this package alone: neither the training loop (and with it
// MPI) nor the evaluation glue is among their dependencies.
func TestServingDoesNotImportTraining(t *testing.T) {
	const module = "github.com/godltrigger/godltrigger/pkg/"
	out, err := exec.Command("go", "list", "-deps", module+"serve", module+"onnx/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list listed %d packages: %q", len(deps), deps)
	}
	for _, dep := range deps {
		switch dep {
		case module + "train", module + "evaluate", module + "cluster":
			t.Errorf("serve and onnx depend on %s", dep)
		}
	}
}
