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

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/synth"
)

func TestIngestCommand(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	if _, err := synth.Generate(context.Background(), in, synth.Options{Events: 12, Seed: 5, EventsPerFile: 6}); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(in, "wjets", "zz_not_root.root")
	if err := os.WriteFile(bad, []byte("not ROOT\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"--sample", "qcd=" + filepath.Join(in, "qcd"), "--sample", "ttbar=" + filepath.Join(in, "ttbar"),
		"--sample", "wjets=" + filepath.Join(in, "wjets"), "--out", out, "--quiet"}
	noEnv := func(string) string { return "" }

	var stdout, stderr bytes.Buffer
	if err := ingestMain(context.Background(), args, &stdout, &stderr, noEnv); err != nil {
		t.Fatalf("ingest: %v\n%s", err, stderr.String())
	}
	summary := stdout.String()
	t.Logf("summary:\n%s", summary)
	for _, want := range []string{
		"ingest: 7 input files: 6 ingested now, 0 complete before, 1 bad",
		"events: 36 read",
		"qcd (label 0)", "ttbar (label 1)", "wjets (label 2)",
		"bad input, skipped: delphes: open " + bad,
		"output: " + out + "/label=K/part-*.parquet",
	} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	if !strings.Contains(stderr.String(), bad) {
		t.Errorf("bad input not reported on stderr: %q", stderr.String())
	}
	r, err := dataset.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Check(dataset.Ingested()); err != nil {
		t.Error(err)
	}
	if len(r.Files()) != 6 || r.NumRows() == 0 {
		t.Errorf("output: %d files, %d rows; want 6 files and some rows", len(r.Files()), r.NumRows())
	}

	stdout.Reset()
	if err := ingestMain(context.Background(), args, &stdout, &stderr, noEnv); err != nil {
		t.Fatalf("rerun: %v", err)
	}
	if !strings.Contains(stdout.String(), "0 ingested now, 6 complete before, 1 bad") {
		t.Errorf("rerun summary:\n%s", stdout.String())
	}

	err = ingestMain(context.Background(), append(args, "--strict"), &stdout, &stderr, noEnv)
	if err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("--strict: error %v, want one naming %s", err, bad)
	}
}

func TestIngestCommandUsage(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
		says string
	}{
		{"help", []string{"ingest", "-h"}, 0, ""},
		{"no sample", []string{"ingest", "--out", "x"}, 2, "at least one --sample"},
		{"no out", []string{"ingest", "--sample", "qcd=x"}, 2, "--out"},
		{"bad sample", []string{"ingest", "--sample", "zjets=x", "--out", "x"}, 2, "unknown class"},
		{"stray argument", []string{"ingest", "--sample", "qcd=x", "--out", "x", "extra"}, 2, "no arguments"},
		{"negative shard", []string{"ingest", "--sample", "qcd=x", "--out", "x", "--shard", "-1"}, 2, "non-negative"},
		{"shard not below of", []string{"ingest", "--sample", "qcd=x", "--out", "x", "--shard", "2", "--of", "2"}, 1, "--shard 2 is not below --of 2"},
		{"missing input", []string{"ingest", "--sample", "qcd=/nonexistent/dir/*.root", "--out", t.TempDir()}, 1, "/nonexistent/dir"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			err := ingestMain(context.Background(), tc.args[1:], &bytes.Buffer{}, &stderr, func(string) string { return "" })
			code := 0
			switch {
			case err == nil, errors.Is(err, flag.ErrHelp):
			case errors.Is(err, errUsage):
				code = 2
			default:
				code = 1
				stderr.WriteString(err.Error())
			}
			if code != tc.code || !strings.Contains(stderr.String(), tc.says) {
				t.Fatalf("exit code %d, want %d; output lacks %q:\n%s", code, tc.code, tc.says, stderr.String())
			}
		})
	}
}

func TestIngestHelpTeaches(t *testing.T) {
	var stderr bytes.Buffer
	if err := ingestMain(context.Background(), []string{"-h"}, &bytes.Buffer{}, &stderr, nil); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: %v", err)
	}
	help := stderr.String()
	for _, want := range []string{"Usage: dltrigger ingest", "Example:", "label=K", "--sample", "--shard", "--strict", "SLURM_ARRAY_TASK_ID", "summary"} {
		if !strings.Contains(help, want) {
			t.Errorf("help lacks %q", want)
		}
	}
}

func TestResolveShard(t *testing.T) {
	for _, tc := range []struct {
		name         string
		shard, of    int
		env          map[string]string
		wantI, wantN int
		errContain   string
	}{
		{name: "defaults", shard: -1, of: 0, wantI: 0, wantN: 1},
		{name: "flags", shard: 2, of: 3, wantI: 2, wantN: 3},
		{name: "slurm", shard: -1, of: 0, env: map[string]string{"SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "4"}, wantI: 1, wantN: 4},
		{name: "flags win over slurm", shard: 0, of: 2, env: map[string]string{"SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "4"}, wantI: 0, wantN: 2},
		{name: "kubernetes with --of", shard: -1, of: 5, env: map[string]string{"JOB_COMPLETION_INDEX": "4"}, wantI: 4, wantN: 5},
		{name: "kubernetes index 0 alone", shard: -1, of: 0, env: map[string]string{"JOB_COMPLETION_INDEX": "0"}, wantI: 0, wantN: 1},
		{name: "kubernetes without --of", shard: -1, of: 0, env: map[string]string{"JOB_COMPLETION_INDEX": "2"}, errContain: "pass --of"},
		{name: "mpi", shard: -1, of: 0, env: map[string]string{"OMPI_COMM_WORLD_RANK": "1", "OMPI_COMM_WORLD_SIZE": "2"}, wantI: 1, wantN: 2},
		{name: "bad environment", shard: -1, of: 0, env: map[string]string{"SLURM_ARRAY_TASK_ID": "x"}, errContain: "SLURM_ARRAY_TASK_ID"},
		{name: "shard too big", shard: 3, of: 3, errContain: "not below"},
		{name: "env shard above --of", shard: -1, of: 2, env: map[string]string{"JOB_COMPLETION_INDEX": "2"}, errContain: "not below"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			i, n, err := resolveShard(tc.shard, tc.of, func(k string) string { return tc.env[k] })
			if tc.errContain != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errContain) {
					t.Fatalf("error %v, want one containing %q", err, tc.errContain)
				}
				return
			}
			if err != nil || i != tc.wantI || n != tc.wantN {
				t.Fatalf("got %d of %d (%v), want %d of %d", i, n, err, tc.wantI, tc.wantN)
			}
		})
	}
}
