package train

import (
	stdcontext "context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/checkpoint"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
)

// smallJob is a quick HLF training of epochs epochs into dir.
func smallJob(t *testing.T, dir string, epochs int) Job {
	t.Helper()
	cfg := models.DefaultConfig(models.KindHLF)
	cfg.HLFHidden = []int{8, 6}
	opts := modeldir.DefaultOptions()
	opts.Epochs, opts.BatchSize, opts.Seed = epochs, 16, 11
	tr, va := sources(t, blobs(30, 0, 5), blobs(8, 0, 6))
	return Job{Dir: dir, Model: cfg, Options: opts, Train: tr, Validation: va, Backend: testBackend}
}

// checkpointNames lists the checkpoints of the model directory dir, oldest first.
func checkpointNames(t *testing.T, dir string) []string {
	t.Helper()
	names, err := modeldir.ListCheckpoints(filepath.Join(dir, modeldir.CheckpointDir))
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// namedCheckpointWeights reads the model variables of the checkpoint name of the model
// directory dir with GoMLX alone.
func namedCheckpointWeights(t *testing.T, dir, name string) map[string]modeldir.Weight {
	t.Helper()
	ckDir := filepath.Join(dir, modeldir.CheckpointDir)
	js, err := os.ReadFile(filepath.Join(ckDir, name+checkpoint.JsonNameSuffix))
	if err != nil {
		t.Fatal(err)
	}
	bin, err := os.ReadFile(filepath.Join(ckDir, name+checkpoint.BinDataSuffix))
	if err != nil {
		t.Fatal(err)
	}
	store := model.NewStore()
	if _, err := checkpoint.Load(store).FromEmbed(string(js), bin).Immediate().Done(); err != nil {
		t.Fatal(err)
	}
	w, err := modeldir.StoreWeights(store, name)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func sameWeights(a, b map[string]modeldir.Weight) bool {
	if len(a) != len(b) {
		return false
	}
	for k, w := range a {
		if !slices.Equal(w.Values, b[k].Values) {
			return false
		}
	}
	return true
}

// damage truncates path to keep bytes (a negative keep cuts that many from the end).
func damage(t *testing.T, path string, keep int) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	n := int64(keep)
	if keep < 0 {
		n = st.Size() + int64(keep)
	}
	if err := os.Truncate(path, n); err != nil {
		t.Fatal(err)
	}
}

// copyDir copies the files of a model directory (one level of folders).
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
}

// TestDamagedCheckpointIsSkipped damages the newest checkpoint of a model directory in the
// ways a full disk or a kill leaves it: inference and export read the previous, complete one
// and name the damaged one.
func TestDamagedCheckpointIsSkipped(t *testing.T) {
	trained := t.TempDir()
	if _, err := Train(stdcontext.Background(), smallJob(t, trained, 2)); err != nil {
		t.Fatal(err)
	}
	names := checkpointNames(t, trained)
	if len(names) != 2 {
		t.Fatalf("checkpoints %v, want 2", names)
	}
	entries, _ := os.ReadDir(filepath.Join(trained, modeldir.CheckpointDir))
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "checkpoint-") && e.Name() != modeldir.BestDir {
			t.Errorf("%s left in the checkpoint folder", e.Name())
		}
	}
	previous := namedCheckpointWeights(t, trained, names[0])
	if sameWeights(previous, namedCheckpointWeights(t, trained, names[1])) {
		t.Fatal("the two epochs' checkpoints hold the same weights")
	}
	for _, tc := range []struct {
		name   string
		suffix string
		keep   int
	}{
		{"data cut in half", checkpoint.BinDataSuffix, 200},
		{"data without its gzip trailer", checkpoint.BinDataSuffix, -4},
		{"empty layout", checkpoint.JsonNameSuffix, 0},
		{"layout cut", checkpoint.JsonNameSuffix, 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "m")
			copyDir(t, trained, dir)
			damage(t, filepath.Join(dir, modeldir.CheckpointDir, names[1]+tc.suffix), tc.keep)
			stop := captureStderr(t)
			info, w, err := modeldir.ReadWeights(dir)
			said := stop()
			if err != nil {
				t.Fatalf("modeldir.ReadWeights: %v", err)
			}
			if !sameWeights(w, previous) {
				t.Error("modeldir.ReadWeights did not return the previous checkpoint's weights")
			}
			if info.Checkpoint != names[0] || len(info.Skipped) != 1 || !strings.HasPrefix(info.Skipped[0], names[1]+": ") {
				t.Errorf("loaded %s, skipped %q; want %s, skipping %s", info.Checkpoint, info.Skipped, names[0], names[1])
			}
			if !strings.Contains(said, "skipped the damaged checkpoint "+names[1]) {
				t.Errorf("loading said %q, want it to name %s", said, names[1])
			}
			p, err := modeldir.Load(dir, testBackend)
			if err != nil {
				t.Fatalf("modeldir.Load: %v", err)
			}
			if _, err := p.Predict(modeldir.Data{HLF: blobs(1, 0, 9).HLF}); err != nil {
				t.Fatal(err)
			}
			p.Close()
		})
	}
	t.Run("all damaged", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "m")
		copyDir(t, trained, dir)
		for _, n := range names {
			damage(t, filepath.Join(dir, modeldir.CheckpointDir, n+checkpoint.BinDataSuffix), 100)
		}
		_, _, err := modeldir.ReadWeights(dir)
		if err == nil || !strings.Contains(err.Error(), "no complete checkpoint") || !strings.Contains(err.Error(), names[0]) || !strings.Contains(err.Error(), names[1]) {
			t.Fatalf("modeldir.ReadWeights: %v; want an error naming both damaged checkpoints", err)
		}
	})
}

// TestResumeFromDamagedCheckpointIsExact damages (or removes) the checkpoint that
// history.json records: the resumed run continues from the previous one, trains that epoch
// again, and ends exactly as an uninterrupted run.
func TestResumeFromDamagedCheckpointIsExact(t *testing.T) {
	whole := t.TempDir()
	want, err := Train(stdcontext.Background(), smallJob(t, whole, 3))
	if err != nil {
		t.Fatal(err)
	}
	_, a, err := modeldir.ReadWeights(whole)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, base string)
		says   string
	}{
		{"damaged", func(t *testing.T, base string) { damage(t, base+checkpoint.BinDataSuffix, 150) }, "is damaged ("},
		{"missing", func(t *testing.T, base string) {
			for _, suffix := range []string{checkpoint.BinDataSuffix, checkpoint.JsonNameSuffix} {
				if err := os.Remove(base + suffix); err != nil {
					t.Fatal(err)
				}
			}
		}, "is missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			broken := t.TempDir()
			if _, err := Train(stdcontext.Background(), smallJob(t, broken, 2)); err != nil {
				t.Fatal(err)
			}
			names := checkpointNames(t, broken)
			recorded := names[len(names)-1]
			tc.damage(t, filepath.Join(broken, modeldir.CheckpointDir, recorded))
			var log strings.Builder
			job := smallJob(t, broken, 3)
			job.Log = &log
			got, err := Resume(stdcontext.Background(), job)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(log.String(), recorded+", recorded after epoch 2, "+tc.says) {
				t.Errorf("the log does not name the %s checkpoint:\n%s", tc.name, log.String())
			}
			if err := compareHistories(got, want, 0); err != nil {
				t.Error(err)
			}
			info, b, err := modeldir.ReadWeights(broken)
			if err != nil {
				t.Fatal(err)
			}
			if !sameWeights(a, b) || len(info.Skipped) != 0 {
				t.Errorf("the resumed run ends with other weights (skipped %q)", info.Skipped)
			}
		})
	}
}

// captureStderr sends os.Stderr to a file until the returned function is called, which
// restores it and returns what was written.
func captureStderr(t *testing.T) func() string {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stderr
	os.Stderr = f
	return func() string {
		os.Stderr = saved
		f.Close()
		data, err := os.ReadFile(f.Name())
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
}
