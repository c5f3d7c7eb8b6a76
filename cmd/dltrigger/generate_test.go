package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

func TestGenerateCommand(t *testing.T) {
	dir := t.TempDir()
	var stderr bytes.Buffer
	code := run(context.Background(), []string{"generate", "--out", dir, "--events", "30", "--per-file", "20", "--classes", "ttbar,wjets", "--seed", "3"}, &stderr)
	if code != 0 {
		t.Fatalf("exit code %d: %s", code, stderr.String())
	}
	for _, name := range []string{"ttbar/ttbar_0000.root", "ttbar/ttbar_0001.root", "wjets/wjets_0000.root", "wjets/wjets_0001.root"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("missing output: %v", err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "qcd")); !os.IsNotExist(err) {
		t.Errorf("qcd written though not asked for (stat error %v)", err)
	}
}

func TestGenerateCommandUsage(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"help", []string{"generate", "-h"}, 0},
		{"missing out", []string{"generate", "--events", "10"}, 2},
		{"missing events", []string{"generate", "--out", "x"}, 2},
		{"bad class", []string{"generate", "--out", "x", "--events", "1", "--classes", "zjets"}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			if code := run(context.Background(), tc.args, &stderr); code != tc.code {
				t.Fatalf("exit code %d, want %d: %s", code, tc.code, stderr.String())
			}
		})
	}
}

// TestGenerateQuiet checks that --quiet leaves the terminal without a progress bar.
func TestGenerateQuiet(t *testing.T) {
	for _, quiet := range []bool{false, true} {
		args := []string{"generate", "--out", t.TempDir(), "--events", "5", "--classes", "ttbar"}
		if quiet {
			args = append(args, "--quiet")
		}
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		saved := os.Stderr
		os.Stderr = w
		var stderr bytes.Buffer
		code := run(context.Background(), args, &stderr)
		os.Stderr = saved
		w.Close()
		var bar bytes.Buffer
		bar.ReadFrom(r)
		if code != 0 {
			t.Fatalf("%v: exit code %d: %s", args, code, stderr.String())
		}
		if got := bar.Len() > 0; got == quiet {
			t.Errorf("%v: progress output %q", args, bar.String())
		}
	}
}
