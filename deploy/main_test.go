package deploy

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godltrigger/godltrigger/pkg/synth"
)

// image is the container image the manifests run: the one docker/ builds.
const image = "godltrigger/godltrigger:latest"

// shared holds what several tests build once: the dltrigger binary and generated events.
type shared struct {
	dir string // removed by TestMain

	binOnce sync.Once
	bin     string
	binErr  error

	genOnce sync.Once
	events  string
	genErr  error
}

var fixtures shared

func TestMain(m *testing.M) {
	code := m.Run()
	if fixtures.dir != "" {
		os.RemoveAll(fixtures.dir)
	}
	os.Exit(code)
}

// sharedDir returns the folder of the shared fixtures, made on first use.
func sharedDir() (string, error) {
	if fixtures.dir == "" {
		d, err := os.MkdirTemp("", "deploy-test-")
		if err != nil {
			return "", err
		}
		fixtures.dir = d
	}
	return fixtures.dir, nil
}

// dltrigger builds cmd/dltrigger once (go build -o) and returns the binary's path; env
// DLTRIGGER_BIN names a binary to test instead (e.g. one built with -tags mpi).
func dltrigger(t testing.TB) string {
	t.Helper()
	fixtures.binOnce.Do(func() {
		if bin := os.Getenv("DLTRIGGER_BIN"); bin != "" {
			fixtures.bin, fixtures.binErr = filepath.Abs(bin)
			if _, err := os.Stat(fixtures.bin); err != nil {
				fixtures.binErr = fmt.Errorf("DLTRIGGER_BIN: %w", err)
			}
			return
		}
		dir, err := sharedDir()
		if err != nil {
			fixtures.binErr = err
			return
		}
		bin := filepath.Join(dir, "bin", "dltrigger")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/godltrigger/godltrigger/cmd/dltrigger").CombinedOutput()
		if err != nil {
			fixtures.binErr = fmt.Errorf("go build ./cmd/dltrigger: %w\n%s", err, out)
			return
		}
		fixtures.bin = bin
	})
	if fixtures.binErr != nil {
		t.Fatal(fixtures.binErr)
	}
	return fixtures.bin
}

// Generated inputs: 3 files per class, 9 in all, so that 3 shards get 3 files each.
const (
	eventsPerClass = 30
	eventsPerFile  = 10
)

// events generates Delphes files once (DIR/qcd, DIR/ttbar, DIR/wjets) and returns DIR.
func events(t testing.TB) string {
	t.Helper()
	fixtures.genOnce.Do(func() {
		dir, err := sharedDir()
		if err != nil {
			fixtures.genErr = err
			return
		}
		fixtures.events = filepath.Join(dir, "delphes")
		_, fixtures.genErr = synth.Generate(context.Background(), fixtures.events,
			synth.Options{Events: eventsPerClass, Seed: 11, EventsPerFile: eventsPerFile, Workers: 1})
	})
	if fixtures.genErr != nil {
		t.Fatalf("generate events: %v", fixtures.genErr)
	}
	return fixtures.events
}

// cleanEnv is the test's environment without the scheduler variables that would make a run
// shard itself (the tests may themselves run inside a Slurm job), plus extra.
func cleanEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "SLURM_") || strings.HasPrefix(k, "OMPI_") || k == "JOB_COMPLETION_INDEX" {
			continue
		}
		env = append(env, kv)
	}
	return append(env, extra...)
}

// referenceIngest runs 'dltrigger ingest' unsharded over the generated events into a new folder,
// with the same input paths as the deploy scripts use (outputs are named after them), and
// returns the folder.
func referenceIngest(t *testing.T, bin, in string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "reference")
	cmd := exec.Command(bin, "ingest", "--sample", "qcd="+filepath.Join(in, "qcd"),
		"--sample", "ttbar="+filepath.Join(in, "ttbar"), "--sample", "wjets="+filepath.Join(in, "wjets"),
		"--out", out, "--shard", "0", "--of", "1", "--quiet")
	cmd.Env = cleanEnv()
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("reference ingest: %v\n%s", err, b)
	}
	return out
}

// shardLine is the first line of the summary of a sharded 'dltrigger ingest'.
var shardLine = regexp.MustCompile(`ingest: (\d+) input files \(--shard (\d+) --of (\d+)\): (\d+) ingested now`)

// shardSummary parses the summary line of one shard's log: its shard index and count, and the
// number of files it ingested.
func shardSummary(log string) (shard, of, done int, ok bool) {
	m := shardLine.FindStringSubmatch(log)
	if m == nil {
		return 0, 0, 0, false
	}
	fmt.Sscan(m[2], &shard)
	fmt.Sscan(m[3], &of)
	fmt.Sscan(m[4], &done)
	return shard, of, done, true
}
