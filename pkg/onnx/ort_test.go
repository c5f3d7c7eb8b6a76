package onnx_test

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// onnxRuntime is ONNX Runtime for Node.js from .tools/node (scripts/install-deps.sh).
type onnxRuntime struct {
	node, modules, script string
}

// findRuntime locates node and onnxruntime-node; why says what is missing when it fails.
func findRuntime() (rt *onnxRuntime, why string) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, "node not found; ONNX Runtime check skipped (install Node.js and run scripts/install-deps.sh)"
	}
	modules, err := filepath.Abs(filepath.Join("..", "..", ".tools", "node", "node_modules"))
	if err != nil {
		return nil, err.Error()
	}
	if _, err := os.Stat(filepath.Join(modules, "onnxruntime-node")); err != nil {
		return nil, "onnxruntime-node not installed in .tools/node; run scripts/install-deps.sh"
	}
	script, err := filepath.Abs(filepath.Join("testdata", "run_ort.js"))
	if err != nil {
		return nil, err.Error()
	}
	return &onnxRuntime{node: node, modules: modules, script: script}, ""
}

// ortInput is one float32 input of the model.
type ortInput struct {
	name string
	dims []int
	data []float32
}

// ortResult is what run_ort.js prints.
type ortResult struct {
	Inputs  []string `json:"inputs"`
	Outputs map[string]struct {
		Dims []int     `json:"dims"`
		Data []float64 `json:"data"`
	} `json:"outputs"`
}

// run executes the model file in ONNX Runtime on the inputs.
func (rt *onnxRuntime) run(t *testing.T, model string, inputs ...ortInput) ortResult {
	t.Helper()
	args := []string{rt.script, rt.modules, model}
	dir := t.TempDir()
	for _, in := range inputs {
		raw := make([]byte, 4*len(in.data))
		for i, v := range in.data {
			binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(v))
		}
		path := filepath.Join(dir, in.name+".f32")
		if err := os.WriteFile(path, raw, 0o644); err != nil {
			t.Fatal(err)
		}
		dims := make([]string, len(in.dims))
		for i, d := range in.dims {
			dims[i] = fmt.Sprint(d)
		}
		args = append(args, fmt.Sprintf("%s=%s:%s", in.name, path, strings.Join(dims, ",")))
	}
	out, err := exec.Command(rt.node, args...).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("onnxruntime-node: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("onnxruntime-node: %v", err)
	}
	var res ortResult
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("onnxruntime-node output %.200q: %v", out, err)
	}
	return res
}
