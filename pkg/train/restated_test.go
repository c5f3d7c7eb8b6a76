package train

import (
	stdcontext "context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
)

// TestResumeRefusesChangedSettings trains one epoch from a prepared dataset and resumes it
// restating settings: equal ones resume (the number of epochs may change, and the log says
// so); any other classifier, training option, dataset or shuffle buffer is refused, naming it.
func TestResumeRefusesChangedSettings(t *testing.T) {
	data, other := t.TempDir(), t.TempDir()
	writeDataset(t, data, testLayouts()[0], 24, 8)
	writeDataset(t, other, testLayouts()[0], 24, 8)
	cfg := models.DefaultConfig(models.KindHLF)
	cfg.HLFHidden = []int{8, 6}
	opts := modeldir.DefaultOptions()
	opts.Epochs, opts.BatchSize = 1, 16
	base := DatasetJob{TrainDir: data, TestDir: data, Model: cfg, Options: opts, MemoryLimitBytes: -1, ShuffleBuffer: 5, Backend: testBackend}
	trained := t.TempDir()
	first := base
	first.Dir = trained
	if _, err := TrainDatasets(stdcontext.Background(), first); err != nil {
		t.Fatal(err)
	}
	other2 := *modeldir.DefaultOptionsFile(models.KindHLF)
	for _, tc := range []struct {
		name string
		edit func(j *DatasetJob)
		says string // "" resumes
	}{
		{"same settings", func(j *DatasetJob) {
			j.Restated = &Restated{Kind: models.KindHLF, Options: opts, Given: map[string]string{"learning_rate": "--lr", "batch_size": "--batch-size"}}
		}, ""},
		{"datasets only", func(j *DatasetJob) { j.Restated = &Restated{Options: modeldir.Options{BatchSize: 99}} }, ""},
		{"other classifier", func(j *DatasetJob) { j.Restated = &Restated{Kind: models.KindParticle} },
			"classifier particle differs from hlf recorded in"},
		{"other learning rate", func(j *DatasetJob) {
			o := opts
			o.LearningRate = 0.01
			j.Restated = &Restated{Options: o, Given: map[string]string{"learning_rate": "--lr"}}
		}, "learning_rate 0.01 (--lr) differs from 0.001 recorded in"},
		{"other batch size", func(j *DatasetJob) {
			o := opts
			o.BatchSize = 64
			j.Restated = &Restated{Options: o, Given: map[string]string{"batch_size": "--batch-size"}}
		}, "batch_size 64 (--batch-size) differs from 16 recorded in"},
		{"other model", func(j *DatasetJob) {
			r := &Restated{Model: &other2.Model, ModelFrom: "--options best.json", Options: opts}
			r.GiveAll(r.ModelFrom)
			j.Restated = r
		}, "model hlf_hidden [50 20 10] (--options best.json) differs from [8 6] recorded in"},
		{"other training data", func(j *DatasetJob) { j.TrainDir = other }, "training dataset " + other + " differs from " + data},
		{"other validation data", func(j *DatasetJob) { j.TestDir = other }, "validation dataset " + other + " differs from " + data},
		{"other shuffle buffer", func(j *DatasetJob) { j.ShuffleBuffer = 7 }, "shuffle buffer 7 differs from 5 recorded in"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "m")
			copyDir(t, trained, dir)
			job := base
			job.Dir, job.Resume, job.Options = dir, true, modeldir.Options{Epochs: 2}
			var log strings.Builder
			job.Log = &log
			tc.edit(&job)
			hist, err := TrainDatasets(stdcontext.Background(), job)
			if tc.says == "" {
				if err != nil || hist.Epochs() != 2 {
					t.Fatalf("resume: %v, %v; want 2 epochs", hist, err)
				}
				if !strings.Contains(log.String(), "resume: 2 epochs in all instead of the 1 recorded") {
					t.Errorf("the log does not say that the number of epochs changed:\n%s", log.String())
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("resume: %v; want an error containing %q", err, tc.says)
			}
			if h, err := modeldir.ReadHistory(dir); err != nil || h.Epochs() != 1 {
				t.Errorf("the refused resume changed the history: %v, %v", h, err)
			}
		})
	}
}
