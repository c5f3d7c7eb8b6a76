package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestPrepareRerunComparesSettings(t *testing.T) {
	out := preparedData(t) // prepared with seed 42
	in := filepath.Join(filepath.Dir(out), "ingested")
	for _, tc := range []struct {
		name string
		args []string
		code int
		says string
	}{
		{"same settings", []string{"--seed", "42"}, 0, ""},
		{"other seed", []string{"--seed", "7"}, 1, "the seed (--seed) 42; this run asks for 7"},
		{"other test fraction", []string{"--seed", "42", "--test-fraction", "0.25"}, 1, "the test fraction (--test-fraction) 0.2; this run asks for 0.25"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			args := append([]string{"prepare", "--in", in, "--out", out, "--quiet"}, tc.args...)
			if code := run(context.Background(), args, &stderr); code != tc.code || !strings.Contains(stderr.String(), tc.says) {
				t.Fatalf("exit code %d, want %d; stderr lacks %q:\n%s", code, tc.code, tc.says, stderr.String())
			}
		})
	}
}
