package tune

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/killtest"
)

// lockChildEnv, when set to an output directory, makes the test binary a search into it that
// stops in its first fold, says "ready" and waits to be killed (see TestMain).
const lockChildEnv = "TUNE_LOCK_CHILD_DIR"

// searchUntilKilled is the child side of TestConcurrentSearchesExcludeEachOther.
func searchUntilKilled(out string) int {
	_, err := Run(context.Background(), Config{Data: blobs(30, 1), Points: smallGrid().Points(), Setup: tinySetup(), Out: out, Workers: 1,
		Trainer: func(context.Context, FoldJob) (FoldScore, error) {
			killtest.Ready()
			return FoldScore{}, errors.New("not killed")
		}})
	os.Stderr.WriteString(err.Error() + "\n")
	return 1
}

// TestConcurrentSearchesExcludeEachOther runs a search in a child process and, while it
// trains, a second search and a merge into the same directory: both fail at once, naming the
// directory and the other run, and the first's scratch models stay. Once the first is killed,
// a search takes the directory.
func TestConcurrentSearchesExcludeEachOther(t *testing.T) {
	out := filepath.Join(t.TempDir(), "tuning")
	kill := killtest.Start(t, lockChildEnv+"="+out)
	want := "another run is writing into the output directory " + out
	_, err := Run(context.Background(), Config{Data: blobs(30, 1), Points: smallGrid().Points()[:1], Setup: tinySetup(), Out: out, Workers: 1})
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("second search: %v; want an error containing %q", err, want)
	}
	if _, err := Merge(out, []string{t.TempDir()}); err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("merge: %v; want an error containing %q", err, want)
	}
	if _, err := os.Stat(filepath.Join(out, scratchDir)); err != nil {
		t.Errorf("the first search's scratch directory: %v", err)
	}
	kill()
	sum, err := Run(context.Background(), Config{Data: blobs(30, 1), Points: smallGrid().Points()[:1], Setup: tinySetup(), Out: out, Workers: 1})
	if err != nil || sum.Done != 1 {
		t.Fatalf("after the first search was killed: %+v, %v", sum, err)
	}
}
