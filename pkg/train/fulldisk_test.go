//go:build linux

package train

import (
	stdcontext "context"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"syscall"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/gomlx/gomlx/ml/model/checkpoint"
)

// fullDiskEnv names the model directory that TestCheckpointOnFullDisk's child process resumes
// with a file size limit below a checkpoint's size, as on a full disk.
const fullDiskEnv = "TRAIN_FULL_DISK_DIR"

// TestCheckpointOnFullDisk resumes a one-epoch run in a child process whose writes fail past
// half a checkpoint's size (RLIMIT_FSIZE, as a full disk fails them): the run must fail, and
// leave the model directory with its complete first checkpoint only, which inference reads.
func TestCheckpointOnFullDisk(t *testing.T) {
	if dir := os.Getenv(fullDiskEnv); dir != "" {
		resumeOnFullDisk(t, dir)
		return
	}
	dir := t.TempDir()
	if _, err := Train(stdcontext.Background(), smallJob(t, dir, 1)); err != nil {
		t.Fatal(err)
	}
	first := checkpointNames(t, dir)
	_, want, err := modeldir.ReadWeights(dir)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCheckpointOnFullDisk$", "-test.v")
	cmd.Env = append(os.Environ(), fullDiskEnv+"="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	t.Logf("child:\n%s", out)
	if got := checkpointNames(t, dir); !slices.Equal(got, first) {
		t.Errorf("checkpoints after the failed save: %v, want %v", got, first)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, modeldir.CheckpointDir))
	entries = slices.DeleteFunc(entries, func(e os.DirEntry) bool { return e.Name() == modeldir.BestDir }) // the best checkpoint's copy
	if len(entries) != 2 {
		t.Errorf("the checkpoint folder holds %d entries after the failed save, want the 2 files of the first checkpoint", len(entries))
	}
	info, w, err := modeldir.ReadWeights(dir)
	if err != nil {
		t.Fatalf("modeldir.ReadWeights after the failed save: %v", err)
	}
	if !sameWeights(w, want) || len(info.Skipped) != 0 {
		t.Errorf("weights after the failed save differ from the first epoch's (skipped %q)", info.Skipped)
	}
	if h, err := modeldir.ReadHistory(dir); err != nil || h.Epochs() != 1 {
		t.Errorf("history after the failed save: %v, %v; want 1 epoch", h, err)
	}
}

// resumeOnFullDisk is the child side of TestCheckpointOnFullDisk.
func resumeOnFullDisk(t *testing.T, dir string) {
	bin, err := os.Stat(filepath.Join(dir, modeldir.CheckpointDir, checkpointNames(t, dir)[0]+checkpoint.BinDataSuffix))
	if err != nil {
		t.Fatal(err)
	}
	signal.Ignore(syscall.SIGXFSZ) // the write fails with EFBIG instead
	limit := uint64(bin.Size() / 2)
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: limit, Max: old.Max}); err != nil {
		t.Fatal(err)
	}
	_, err = Resume(stdcontext.Background(), smallJob(t, dir, 2))
	syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old)
	if err == nil {
		t.Fatalf("resuming with writes limited to %d bytes succeeded", limit)
	}
	t.Logf("resume with writes limited to %d bytes: %v", limit, err)
}
