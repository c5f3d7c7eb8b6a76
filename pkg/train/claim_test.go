package train

import (
	stdcontext "context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/killtest"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
)

// lockChildEnv, when set to a model directory, makes the test binary a training run into it
// that stops in its first epoch, says "ready" and waits to be killed (see TestMain).
const lockChildEnv = "TRAIN_LOCK_CHILD_DIR"

// trainUntilKilled is the child side of TestConcurrentRunsExcludeEachOther.
func trainUntilKilled(dir string) int {
	job := smallJob(&testing.T{}, dir, 3)
	job.Options.Seed = 77
	job.Train = &cancelAfter{Source: job.Train, batches: 2, cancel: killtest.Ready}
	if _, err := Train(stdcontext.Background(), job); err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
	}
	return 1
}

// TestConcurrentRunsExcludeEachOther starts a training run in a child process and, while it
// trains, a second run into the same model directory: the second fails at once, naming the
// directory and the other run, and leaves the first's files alone. Once the first is killed
// (kill -9: no cleanup), a new run takes the directory.
func TestConcurrentRunsExcludeEachOther(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "model")
	kill := killtest.Start(t, lockChildEnv+"="+dir)
	for name, run := range map[string]func(stdcontext.Context, Job) (*modeldir.History, error){"train": Train, "resume": Resume} {
		_, err := run(stdcontext.Background(), smallJob(t, dir, 1))
		if err == nil || !strings.Contains(err.Error(), "another run is writing into the model directory "+dir) {
			t.Fatalf("%s while another run trains into %s: %v; want an error naming the directory and the other run", name, dir, err)
		}
	}
	info, err := modeldir.ReadInfo(dir)
	if err != nil || info.Options.Seed != 77 {
		t.Fatalf("model.json of the first run: %+v, %v; want seed 77", info, err)
	}
	kill()
	hist, err := Train(stdcontext.Background(), smallJob(t, dir, 1))
	if err != nil || hist.Epochs() != 1 {
		t.Fatalf("after the first run was killed: %v, %v", hist, err)
	}
	if _, err := os.Stat(filepath.Join(dir, LockFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the lock file stays after the run: %v", err)
	}
}

// TestFailedFirstEpochLeavesNoModel fails runs in their first epoch: a directory the run
// created is removed, and in an existing one the model files go while other files stay. A run
// that failed after an epoch keeps its files (it is resumable).
func TestFailedFirstEpochLeavesNoModel(t *testing.T) {
	failing := func(t *testing.T, dir string, epochs, afterBatches int) error {
		ctx, cancel := stdcontext.WithCancel(stdcontext.Background())
		defer cancel()
		job := smallJob(t, dir, epochs)
		job.Train = &cancelAfter{Source: job.Train, batches: afterBatches, cancel: cancel}
		_, err := Train(ctx, job)
		if err == nil {
			t.Fatal("the run did not fail")
		}
		return err
	}
	t.Run("new directory", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "model")
		failing(t, dir, 2, 2)
		if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the failed run left %s (%v)", dir, err)
		}
	})
	t.Run("existing directory", func(t *testing.T) {
		dir := t.TempDir()
		notes := filepath.Join(dir, "notes.txt")
		if err := os.WriteFile(notes, []byte("mine"), 0o644); err != nil {
			t.Fatal(err)
		}
		failing(t, dir, 2, 2)
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 || entries[0].Name() != "notes.txt" {
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			t.Errorf("the failed run left %v, want only notes.txt", names)
		}
	})
	t.Run("after an epoch", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "model")
		failing(t, dir, 2, 8) // 6 batches per epoch
		if h, err := modeldir.ReadHistory(dir); err != nil || h.Epochs() != 1 {
			t.Fatalf("history %v, %v; want the first epoch", h, err)
		}
		if _, err := modeldir.ReadInfo(dir); err != nil {
			t.Fatal(err)
		}
	})
}

// TestKilledFirstEpochIsNoModel looks at what a run killed in its first epoch leaves (no
// cleanup runs on kill -9): model.json and an empty checkpoint folder. Evaluation, prediction
// and export refuse it, saying that no epoch completed.
func TestKilledFirstEpochIsNoModel(t *testing.T) {
	dir := t.TempDir()
	job := smallJob(t, dir, 1)
	if err := modeldir.WriteInfo(dir, &modeldir.Info{Model: job.Model, Options: job.Options}); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, modeldir.CheckpointDir), 0o755); err != nil {
		t.Fatal(err)
	}
	want := "holds no checkpoint: no epoch of this model completed"
	if _, err := modeldir.Load(dir, testBackend); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("modeldir.Load: %v; want an error containing %q", err, want)
	}
	if _, _, err := modeldir.ReadWeights(dir); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("modeldir.ReadWeights: %v; want an error containing %q", err, want)
	}
}
