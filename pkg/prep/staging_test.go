package prep_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/killtest"
	"github.com/godltrigger/godltrigger/pkg/prep"
	"github.com/godltrigger/godltrigger/pkg/progress"
	"github.com/godltrigger/godltrigger/pkg/runlock"
)

// childEnv, when set to "IN|OUT", makes the test binary a prepare process that
// TestKilledPrepareLeavesNoStaging kills: once it writes the outputs, it prints "ready" and
// waits to be killed.
const childEnv = "GODLTRIGGER_PREPARE_CHILD"

func childMain() int {
	in, out, ok := strings.Cut(os.Getenv(childEnv), "|")
	if !ok {
		fmt.Fprintf(os.Stderr, "%s=%q: want IN|OUT\n", childEnv, os.Getenv(childEnv))
		return 2
	}
	_, err := prep.Run(context.Background(), prep.Options{In: in, Out: out, Seed: 7, Progress: stopAtWrite{}, Logf: func(string, ...any) {}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("finished without being killed")
	return 0
}

// stopAtWrite is a progress Sink that stops the process once the outputs are being written.
type stopAtWrite struct{}

func (stopAtWrite) Show(s progress.State, final bool) {
	if strings.HasPrefix(s.Step, "prepare: shuffle+write") && s.Done > 0 {
		killtest.Ready()
	}
}

// staging lists the staging folders under out.
func staging(t *testing.T, out string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(out, ".prepare-*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestKilledPrepareLeavesNoStaging(t *testing.T) {
	in := ingested(t)
	out := t.TempDir()
	killtest.RunUntilReady(t, childEnv+"="+in+"|"+out)
	if left := staging(t, out); len(left) != 1 {
		t.Fatalf("killed prepare left staging folders %v, want 1", left)
	}

	var logged []string
	if _, err := prep.Run(context.Background(), prep.Options{In: in, Out: out, Seed: 7,
		Logf: func(f string, a ...any) { logged = append(logged, fmt.Sprintf(f, a...)) }}); err != nil {
		t.Fatal(err)
	}
	if left := staging(t, out); len(left) != 0 {
		t.Errorf("rerun left the killed run's staging %v", left)
	}
	if !strings.Contains(strings.Join(logged, "\n"), "did not finish") {
		t.Errorf("removal not logged: %q", logged)
	}
	if !prep.Complete(out) {
		t.Error("rerun output not complete")
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != len(prep.Outputs())+1 {
		t.Errorf("output holds %d entries, want the %d outputs and the scaler: %v", len(entries), len(prep.Outputs()), entries)
	}
}

func TestPrepareKeepsOffALiveRunsStaging(t *testing.T) {
	out := t.TempDir()
	live := filepath.Join(out, ".prepare-12345")
	if err := os.Mkdir(live, 0o755); err != nil {
		t.Fatal(err)
	}
	lock, err := runlock.Acquire(filepath.Join(out, ".prepare.lock")) // as a live prepare holds it
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Release()
	_, err = prep.Run(context.Background(), prep.Options{In: ingested(t), Out: out, Seed: 7, Logf: t.Logf})
	if !errors.Is(err, runlock.ErrBusy) || !strings.Contains(err.Error(), "another prepare") {
		t.Fatalf("error %v, want one saying another prepare holds %s", err, out)
	}
	if _, err := os.Stat(live); err != nil {
		t.Errorf("the live run's staging was touched: %v", err)
	}
}
