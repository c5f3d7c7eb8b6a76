package synth

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/killtest"
	"github.com/godltrigger/godltrigger/pkg/progress"
	"github.com/godltrigger/godltrigger/pkg/runlock"
)

// childEnv, when set to a directory, makes the test binary a generate process that
// TestKilledGenerateLeavesNoTemporaryFile kills in the middle of writing a file.
const childEnv = "GODLTRIGGER_GENERATE_CHILD"

// childOpts are the options of the killed run: one file, large enough to be caught unfinished.
var childOpts = Options{Events: 5000, Seed: 3, EventsPerFile: 5000, Classes: []Class{QCD}, Workers: 1}

func TestMain(m *testing.M) {
	if dir := os.Getenv(childEnv); dir != "" {
		opts := childOpts
		opts.Progress = stopMidFile{}
		if _, err := Generate(context.Background(), dir, opts); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println("finished without being killed")
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// stopMidFile is a progress Sink that stops the process once some events are written.
type stopMidFile struct{}

func (stopMidFile) Show(s progress.State, final bool) {
	if s.Done > 0 && !final {
		killtest.Ready()
	}
}

// temporaries lists the writers' temporary files under dir.
func temporaries(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "*", ".*.tmp*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestKilledGenerateLeavesNoTemporaryFile(t *testing.T) {
	dir := t.TempDir()
	killtest.RunUntilReady(t, childEnv+"="+dir)
	if left := temporaries(t, dir); len(left) != 1 {
		t.Fatalf("killed run left temporary files %v, want 1", left)
	}
	files, err := Generate(context.Background(), dir, childOpts)
	if err != nil {
		t.Fatal(err)
	}
	if left := temporaries(t, dir); len(left) != 0 {
		t.Errorf("rerun left the killed run's temporary files %v", left)
	}
	if len(files) != 1 || !complete(job{path: files[0], events: childOpts.Events,
		title: fmt.Sprintf("synth model=%d class=qcd seed=3 file=0 per-file=5000 events=5000", ModelVersion)}) {
		t.Errorf("rerun wrote %v, want one complete file", files)
	}
}

func TestGenerateKeepsOffALiveRun(t *testing.T) {
	dir := t.TempDir()
	lock, err := runlock.Acquire(filepath.Join(dir, lockName)) // as a live generate holds it
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Release()
	if err := os.MkdirAll(filepath.Join(dir, "qcd"), 0o755); err != nil {
		t.Fatal(err)
	}
	live := filepath.Join(dir, "qcd", ".qcd_0000.root.tmp123")
	if err := os.WriteFile(live, []byte("being written"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Generate(context.Background(), dir, Options{Events: 10, Classes: []Class{QCD}})
	if !errors.Is(err, runlock.ErrBusy) || !strings.Contains(err.Error(), "another generate") {
		t.Fatalf("error %v, want one saying another generate holds %s", err, dir)
	}
	if _, err := os.Stat(live); err != nil {
		t.Errorf("the live run's temporary file was touched: %v", err)
	}
}
