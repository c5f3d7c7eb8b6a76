package train

import (
	"bytes"
	stdcontext "context"
	"encoding/json"
	"fmt"
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

// TestNextControls replays validation losses through the controls as the training loop
// records them, against Keras's EarlyStopping and ReduceLROnPlateau (min_delta 0, cooldown 0).
func TestNextControls(t *testing.T) {
	for _, tc := range []struct {
		name    string
		opts    modeldir.Options
		val     []float64
		lr      []float64 // the rate each epoch trains with
		best    int
		stopped int
	}{
		{"off", modeldir.Options{LearningRate: 1, LRPlateauFactor: 0.5},
			[]float64{3, 2, 2.5, 2.5, 1, 1}, []float64{1, 1, 1, 1, 1, 1}, 5, 0},
		{"plateau: reduce after 2, wait 2 again, reset on improvement",
			modeldir.Options{LearningRate: 1, LRPlateauPatience: 2, LRPlateauFactor: 0.5},
			[]float64{3, 3, 3, 3, 3, 2, 3, 3, 3}, []float64{1, 1, 1, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125}, 6, 0},
		{"plateau: not below min_lr", modeldir.Options{LearningRate: 1, LRPlateauPatience: 1, LRPlateauFactor: 0.1, MinLR: 0.05},
			[]float64{3, 4, 4, 4}, []float64{1, 1, 0.1, 0.05}, 1, 0},
		{"early stopping after patience epochs without a lower loss (equal is not lower)",
			modeldir.Options{LearningRate: 1, LRPlateauFactor: 0.5, EarlyStoppingPatience: 2},
			[]float64{3, 2, 2, 2.5, 1}, []float64{1, 1, 1, 1}, 2, 4},
		{"both", modeldir.Options{LearningRate: 1, LRPlateauPatience: 1, LRPlateauFactor: 0.5, EarlyStoppingPatience: 3},
			[]float64{3, 4, 5, 2.9, 4, 4, 4, 1}, []float64{1, 1, 0.5, 0.25, 0.25, 0.125, 0.0625}, 4, 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &modeldir.History{}
			lr := tc.opts.LearningRate
			for e, v := range tc.val {
				if h.StoppedEpoch > 0 {
					break
				}
				rec := epochRecord{ValLoss: v, LearningRate: lr, Checkpoint: fmt.Sprintf("c%d", e+1)}
				rec.Next = nextControls(tc.opts, h, lr, v)
				recordEpoch(h, rec)
				lr = rec.Next.LearningRate
			}
			if !slices.Equal(h.LearningRate, tc.lr) || h.BestEpoch != tc.best || h.StoppedEpoch != tc.stopped ||
				h.BestCheckpoint != fmt.Sprintf("c%d", tc.best) {
				t.Errorf("learning rates %v, best epoch %d (%s), stopped after %d; want %v, %d, %d",
					h.LearningRate, h.BestEpoch, h.BestCheckpoint, h.StoppedEpoch, tc.lr, tc.best, tc.stopped)
			}
		})
	}
}

// shiftLabels returns d with every label moved to the next class: a validation set on which
// a model that learns the training data gets worse, so that the controls act.
func shiftLabels(d modeldir.Data) modeldir.Data {
	d.Labels = slices.Clone(d.Labels)
	for i, l := range d.Labels {
		d.Labels[i] = (l + 1) % models.NumClasses
	}
	return d
}

// controlledRun is the setup of the controls' tests: the inclusive classifier (dropout: the
// random state matters too) with every control on, validated on shifted labels.
func controlledRun(t *testing.T) (models.Config, modeldir.Options, Source, Source, modeldir.Data) {
	trainData, valData := blobs(40, 4, 3), shiftLabels(blobs(10, 4, 4))
	cfg := models.DefaultConfig(models.KindInclusive)
	cfg.GRUUnits, cfg.InclusiveHidden = 8, 6
	opts := modeldir.DefaultOptions()
	opts.Epochs, opts.BatchSize, opts.Seed, opts.MaxParticles = 8, 16, 5, 3
	opts.LearningRate, opts.LRPlateauPatience, opts.LRPlateauFactor, opts.MinLR = 0.01, 2, 0.5, 0.002
	opts.EarlyStoppingPatience, opts.RestoreBest = 4, true
	tr, va := sources(t, trainData, valData)
	return cfg, opts, tr, va, valData
}

// TestControlsResumeEqualsUninterruptedRun trains with early stopping, learning-rate
// reduction and restore-best, and again with runs killed in the middle of an epoch, after
// the learning rate was reduced, then resumed: history (decisions included), last and best
// checkpoints must be identical. It also checks that the reduced rate is in the checkpoint
// and acts on training, that the stopped run is complete, and that the directory serves the
// best weights.
func TestControlsResumeEqualsUninterruptedRun(t *testing.T) {
	cfg, opts, tr, va, valData := controlledRun(t)
	whole := t.TempDir()
	var log bytes.Buffer
	want, err := Train(stdcontext.Background(), Job{Dir: whole, Model: cfg, Options: opts, Train: tr, Validation: va, Backend: testBackend, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s", log.String())
	reduced := slices.IndexFunc(want.LearningRate, func(lr float64) bool { return lr < opts.LearningRate })
	if want.StoppedEpoch == 0 || want.Epochs() >= opts.Epochs || reduced < 1 || want.BestEpoch == want.Epochs() {
		t.Fatalf("the controls did not act: stopped after %d of %d epochs, learning rates %v, best epoch %d",
			want.StoppedEpoch, opts.Epochs, want.LearningRate, want.BestEpoch)
	}
	if !strings.Contains(log.String(), "early stopping:") || !strings.Contains(log.String(), "learning rate 0.01 -> 0.005") {
		t.Errorf("log does not report the decisions:\n%s", log.String())
	}
	lrs := checkpointValues(t, whole)[learningRatePath]
	if len(lrs) != 1 || lrs[0] != float64(float32(want.NextLearningRate)) {
		t.Errorf("checkpoint's learning rate %v, history's next_learning_rate %v", lrs, want.NextLearningRate)
	}

	// The reduced rate acts: without the plateau control the epochs after the reduction differ.
	plain := opts
	plain.LRPlateauPatience = 0
	other, err := Train(stdcontext.Background(), Job{Dir: t.TempDir(), Model: cfg, Options: plain, Train: tr, Validation: va, Backend: testBackend})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(other.Loss[:reduced], want.Loss[:reduced]) || other.Loss[reduced] == want.Loss[reduced] {
		t.Errorf("training losses with the plateau control %v, without %v: want equal up to epoch %d, then different",
			want.Loss, other.Loss, reduced)
	}

	// Killed in epoch reduced+1 (trained with the reduced rate), then in the next one.
	broken := t.TempDir()
	batches := (tr.Rows() + opts.BatchSize - 1) / opts.BatchSize
	ctx, cancel := stdcontext.WithCancel(stdcontext.Background())
	killer := &cancelAfter{Source: tr, batches: reduced*batches + 2, cancel: cancel}
	if _, err := Train(ctx, Job{Dir: broken, Model: cfg, Options: opts, Train: killer, Validation: va, Backend: testBackend}); err == nil {
		t.Fatal("the interrupted run did not report the interruption")
	}
	cancel()
	ctx, cancel = stdcontext.WithCancel(stdcontext.Background())
	defer cancel()
	killer = &cancelAfter{Source: tr, batches: batches + 3, cancel: cancel}
	if _, err := Resume(ctx, Job{Dir: broken, Train: killer, Validation: va, Backend: testBackend}); err == nil {
		t.Fatal("the interrupted resumed run did not report the interruption")
	}
	if h, err := modeldir.ReadHistory(broken); err != nil || h.Epochs() != reduced+1 || h.LearningRate[reduced] >= opts.LearningRate {
		t.Fatalf("interrupted runs: history %+v, %v; want %d epochs, the last with the reduced rate", h, err, reduced+1)
	}
	got, err := Resume(stdcontext.Background(), Job{Dir: broken, Train: tr, Validation: va, Backend: testBackend})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := decisions(want), decisions(got); a != b {
		t.Errorf("history:\nresumed       %s\nuninterrupted %s", b, a)
	}
	for _, pick := range []func(string) string{lastCheckpoint, bestCheckpoint} {
		a, b := checkpointValuesAt(t, pick(whole)), checkpointValuesAt(t, pick(broken))
		if len(a) == 0 || len(a) != len(b) {
			t.Fatalf("%d and %d variables", len(a), len(b))
		}
		for name, va := range a {
			if !slices.Equal(va, b[name]) {
				t.Errorf("%s: variable %s differs after resuming", pick(whole), name)
			}
		}
	}

	// A stopped run is complete: resuming with more epochs trains nothing.
	more, err := Resume(stdcontext.Background(), Job{Dir: broken, Options: modeldir.Options{Epochs: opts.Epochs + 5}, Train: tr, Validation: va, Backend: testBackend})
	if err != nil || more.Epochs() != want.Epochs() {
		t.Errorf("resuming a stopped run: %d epochs, %v; want %d", more.Epochs(), err, want.Epochs())
	}

	// The directory serves the best epoch: its predictions give the best validation accuracy
	// (not the last), and its weights are the best checkpoint's.
	if want.ServedEpoch(opts) != want.BestEpoch {
		t.Errorf("served epoch %d, want the best %d", want.ServedEpoch(opts), want.BestEpoch)
	}
	best, last := want.ValAccuracy[want.BestEpoch-1], want.ValAccuracy[want.Epochs()-1]
	if acc := servedAccuracy(t, whole, valData); acc != best {
		t.Errorf("served accuracy %v, best epoch's %v (last epoch's %v)", acc, best, last)
	}
	_, served, err := modeldir.ReadWeights(whole)
	if err != nil {
		t.Fatal(err)
	}
	bestVals := checkpointValuesAt(t, bestCheckpoint(whole))
	for name, w := range served {
		var f []float64
		for _, x := range w.Values {
			f = append(f, float64(x))
		}
		if !slices.Equal(f, bestVals["/"+modeldir.ModelScope+name]) {
			t.Errorf("served weight %s is not the best checkpoint's", name)
		}
	}
}

// TestRestoreBestOff checks that without restore_best the directory serves the last epoch,
// while the best checkpoint is still kept.
func TestRestoreBestOff(t *testing.T) {
	cfg, opts, tr, va, valData := controlledRun(t)
	opts.RestoreBest, opts.EarlyStoppingPatience, opts.Epochs = false, 0, 3
	dir := t.TempDir()
	hist, err := Train(stdcontext.Background(), Job{Dir: dir, Model: cfg, Options: opts, Train: tr, Validation: va, Backend: testBackend})
	if err != nil {
		t.Fatal(err)
	}
	if hist.BestEpoch != 1 || hist.StoppedEpoch != 0 {
		t.Fatalf("best epoch %d, stopped %d; want 1 (validation on shifted labels), 0", hist.BestEpoch, hist.StoppedEpoch)
	}
	if _, err := os.Stat(filepath.Join(bestCheckpoint(dir) + checkpoint.JsonNameSuffix)); err != nil {
		t.Errorf("best checkpoint not kept: %v", err)
	}
	if hist.ServedEpoch(opts) != 3 {
		t.Errorf("served epoch %d, want the last, 3", hist.ServedEpoch(opts))
	}
	if acc := servedAccuracy(t, dir, valData); acc != hist.ValAccuracy[2] {
		t.Errorf("served accuracy %v, last epoch's %v", acc, hist.ValAccuracy[2])
	}
}

// TestResumeDropsUnrecordedBest leaves a best checkpoint that a crash between saving it and
// writing the history would leave: resuming removes it and keeps the recorded one.
func TestResumeDropsUnrecordedBest(t *testing.T) {
	cfg, opts, tr, va, _ := controlledRun(t)
	opts.Epochs = 2
	dir := t.TempDir()
	hist, err := Train(stdcontext.Background(), Job{Dir: dir, Model: cfg, Options: opts, Train: tr, Validation: va, Backend: testBackend})
	if err != nil {
		t.Fatal(err)
	}
	best := filepath.Join(dir, modeldir.CheckpointDir, modeldir.BestDir)
	stray := filepath.Join(best, "checkpoint-n9999999-stray")
	for _, f := range modeldir.CheckpointFiles(best, hist.BestCheckpoint) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(stray+filepath.Ext(f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Resume(stdcontext.Background(), Job{Dir: dir, Options: modeldir.Options{Epochs: 3}, Train: tr, Validation: va, Backend: testBackend}); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(best)
	h, _ := modeldir.ReadHistory(dir)
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), h.BestCheckpoint+".") {
			t.Errorf("%s left in %s (best checkpoint %s)", e.Name(), best, h.BestCheckpoint)
		}
	}
	if len(entries) != 2 {
		t.Errorf("%d files in %s, want the 2 of the best checkpoint", len(entries), best)
	}
}

// servedAccuracy is the accuracy on d of the model that dir serves.
func servedAccuracy(t *testing.T, dir string, d modeldir.Data) float64 {
	t.Helper()
	probs, err := modeldir.Predict(dir, testBackend, d)
	if err != nil {
		t.Fatal(err)
	}
	correct := 0
	for i, label := range d.Labels {
		if argmax(probs[i*models.NumClasses:(i+1)*models.NumClasses]) == label {
			correct++
		}
	}
	return float64(correct) / float64(len(d.Labels))
}

// decisions is a history without its timings and checkpoint names, as JSON.
func decisions(h *modeldir.History) string {
	c := *h
	c.RowsPerSecond, c.Checkpoint, c.BestCheckpoint = nil, "", ""
	b, _ := json.Marshal(c)
	return string(b)
}

// lastCheckpoint and bestCheckpoint are the base paths of dir's recorded checkpoints.
func lastCheckpoint(dir string) string {
	h, _ := modeldir.ReadHistory(dir)
	return filepath.Join(dir, modeldir.CheckpointDir, h.Checkpoint)
}

func bestCheckpoint(dir string) string {
	h, _ := modeldir.ReadHistory(dir)
	return filepath.Join(dir, modeldir.CheckpointDir, modeldir.BestDir, h.BestCheckpoint)
}

// checkpointValuesAt reads every variable of the checkpoint at base path (without suffix).
func checkpointValuesAt(t *testing.T, base string) map[string][]float64 {
	t.Helper()
	js, err := os.ReadFile(base + checkpoint.JsonNameSuffix)
	if err != nil {
		t.Fatal(err)
	}
	bin, err := os.ReadFile(base + checkpoint.BinDataSuffix)
	if err != nil {
		t.Fatal(err)
	}
	store := model.NewStore()
	if _, err := checkpoint.Load(store).FromEmbed(string(js), bin).Immediate().Done(); err != nil {
		t.Fatal(err)
	}
	return storeValues(store)
}
