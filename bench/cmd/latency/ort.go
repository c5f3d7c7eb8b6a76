package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

//go:embed ort_latency.js
var ortScript []byte

// onnxRuntime runs ort_latency.js with node and onnxruntime-node.
type onnxRuntime struct {
	node, modules string
}

// findRuntime locates node and the node_modules folder holding onnxruntime-node: modules
// when given, else .tools/node/node_modules in the working directory or one of its parents
// (scripts/install-deps.sh installs it there).
func findRuntime(modules string) (*onnxRuntime, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("node not found (install Node.js, then scripts/install-deps.sh)")
	}
	if modules == "" {
		dir, err := os.Getwd()
		if err != nil {
			return nil, err
		}
		for {
			cand := filepath.Join(dir, ".tools", "node", "node_modules")
			if _, err := os.Stat(filepath.Join(cand, "onnxruntime-node")); err == nil {
				modules = cand
				break
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				return nil, fmt.Errorf("onnxruntime-node not found in .tools/node of this folder or its parents; run scripts/install-deps.sh or pass --node-modules")
			}
			dir = parent
		}
	}
	if _, err := os.Stat(filepath.Join(modules, "onnxruntime-node")); err != nil {
		return nil, fmt.Errorf("onnxruntime-node not installed in %s: %w", modules, err)
	}
	return &onnxRuntime{node: node, modules: modules}, nil
}

// ortConfig is ort_latency.js's CONFIG_JSON.
type ortConfig struct {
	Threads     int   `json:"threads"`
	LatencyRuns int   `json:"latency_runs"`
	Batches     []int `json:"batches"`
	MinTimeMS   int64 `json:"min_time_ms"`
	MinRuns     int   `json:"min_runs"`
}

// ortTimes is what ort_latency.js prints.
type ortTimes struct {
	Version    string    `json:"version"`
	LatencyMS  []float64 `json:"latency_ms"`
	Throughput []struct {
		Batch   int     `json:"batch"`
		Runs    int     `json:"runs"`
		Seconds float64 `json:"seconds"`
	} `json:"throughput"`
}

// time runs the model file on the dataset exported in dataDir (bench.ExportData).
func (rt *onnxRuntime) time(ctx context.Context, work, model, dataDir string, cfg ortConfig) (*ortTimes, error) {
	script := filepath.Join(work, "ort_latency.js")
	if err := os.WriteFile(script, ortScript, 0o644); err != nil {
		return nil, err
	}
	js, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, rt.node, script, rt.modules, model, dataDir, string(js))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("onnxruntime-node on %s: %w: %s", model, err, strings.TrimSpace(stderr.String()))
	}
	var t ortTimes
	if err := json.Unmarshal(out, &t); err != nil {
		return nil, fmt.Errorf("onnxruntime-node output %.200q: %w", out, err)
	}
	if len(t.LatencyMS) != cfg.LatencyRuns || len(t.Throughput) != len(cfg.Batches) {
		return nil, fmt.Errorf("onnxruntime-node answered %d latencies and %d throughputs, want %d and %d",
			len(t.LatencyMS), len(t.Throughput), cfg.LatencyRuns, len(cfg.Batches))
	}
	return &t, nil
}

// result turns the script's times into a table row.
func (t *ortTimes) result() engineResult {
	r := engineResult{Throughput: map[int]float64{}}
	for _, ms := range t.LatencyMS {
		r.Latency = append(r.Latency, time.Duration(ms*float64(time.Millisecond)))
	}
	for _, tp := range t.Throughput {
		r.Throughput[tp.Batch] = float64(tp.Runs*tp.Batch) / tp.Seconds
	}
	return r
}
