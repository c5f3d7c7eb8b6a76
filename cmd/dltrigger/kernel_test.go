package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestKernelInstallWritesKernelSpec(t *testing.T) {
	dir := t.TempDir()
	gonb := filepath.Join(dir, "gonb")
	if err := os.WriteFile(gonb, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOMLX_BACKEND", "")
	t.Setenv("XRD_CONNECTIONWINDOW", "30")
	prefix := filepath.Join(dir, "prefix")
	if code := run(context.Background(), []string{"kernel", "install", "--prefix", prefix, "--gonb", gonb}, &bytes.Buffer{}); code != 0 {
		t.Fatalf("exit %d", code)
	}
	data, err := os.ReadFile(filepath.Join(prefix, "share", "jupyter", "kernels", "gonb", "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	var k struct {
		Argv []string          `json:"argv"`
		Env  map[string]string `json:"env"`
	}
	if err := json.Unmarshal(data, &k); err != nil {
		t.Fatal(err)
	}
	if k.Argv[0] != gonb || k.Env["GOEXPERIMENT"] != "simd" || k.Env["XRD_CONNECTIONWINDOW"] != "30" {
		t.Errorf("kernel.json: argv %v env %v", k.Argv, k.Env)
	}
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"kernel", "install", "--user", "--prefix", prefix}, &stderr); code != 2 {
		t.Errorf("--user with --prefix: exit %d, want 2", code)
	}
}
