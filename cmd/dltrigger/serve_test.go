package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/serve"
	"github.com/godltrigger/godltrigger/pkg/serve/servetest"
	"github.com/godltrigger/godltrigger/pkg/synth"
)

// tinyModel trains a small inclusive model for one step on random rows, with a scaler.
func tinyModel(t *testing.T) string {
	t.Helper()
	if os.Getenv("GOMLX_BACKEND") == "" {
		t.Setenv("GOMLX_BACKEND", "go")
	}
	return servetest.Model(t, models.Config{Kind: models.KindInclusive, GRUUnits: 3, InclusiveHidden: 3}, 16, 4, 1)
}

func TestServeCommand(t *testing.T) {
	model := tinyModel(t)
	dir := t.TempDir()
	watch, out := filepath.Join(dir, "incoming"), filepath.Join(dir, "decisions")
	if _, err := synth.Generate(context.Background(), watch, synth.Options{Events: 10, Seed: 3, EventsPerFile: 10}); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	args := []string{"--model", model, "--watch", watch, "--out", out, "--once", "--settle", "0", "--class", "wjets", "--threshold", "0.2"}
	if err := serveMain(context.Background(), args, &stdout, &stderr); err != nil {
		t.Fatalf("serve: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "serve: 3 files decided (0 skipped as done, 0 bad), 30 events") {
		t.Errorf("stdout: %q", stdout.String())
	}
	if !strings.Contains(stderr.String(), "serve: end: 3 files decided") {
		t.Errorf("no final rate report on stderr: %q", stderr.String())
	}
	for _, c := range synth.AllClasses() {
		rel := c.String() + "/" + filepath.Base(synth.FileName(watch, c, 0))
		ds, err := serve.ReadDecisions(context.Background(), serve.OutputPath(out, rel))
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 10 {
			t.Fatalf("%s: %d decisions, want 10", rel, len(ds))
		}
		for _, d := range ds {
			if d.Triggered && d.Pass != (d.Probabilities[2] >= 0.2) {
				t.Fatalf("%s entry %d: pass %v with P(wjets) = %v", rel, d.Entry, d.Pass, d.Probabilities[2])
			}
		}
	}
	// A second run skips everything.
	stdout.Reset()
	if err := serveMain(context.Background(), append(args, "--quiet"), &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "0 files decided (3 skipped as done, 0 bad)") {
		t.Errorf("second run: %q", stdout.String())
	}
}

func TestServeCommandUsage(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want error
		text string
	}{
		{"help", []string{"--help"}, flag.ErrHelp, "Example:\n  dltrigger serve --model"},
		{"missing flags", []string{"--model", "m"}, errUsage, "--model, --watch and --out are required"},
		{"stray argument", []string{"--model", "m", "--watch", "w", "--out", "o", "x"}, errUsage, "no arguments"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := serveMain(context.Background(), tc.args, &stdout, &stderr)
			if !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
			if !strings.Contains(stderr.String(), tc.text) {
				t.Fatalf("stderr lacks %q:\n%s", tc.text, stderr.String())
			}
		})
	}
}
