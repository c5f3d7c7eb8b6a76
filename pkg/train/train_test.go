package train

import (
	"bytes"
	stdcontext "context"
	"iter"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/checkpoint"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
)

// testBackend is shared by the package's tests.
var testBackend compute.Backend

func TestMain(m *testing.M) {
	if dir := os.Getenv(lockChildEnv); dir != "" {
		os.Exit(trainUntilKilled(dir))
	}
	b, _, err := modeldir.NewBackend(nil)
	if err != nil {
		panic(err)
	}
	testBackend = b
	os.Exit(m.Run())
}

const backendsEnv = "GOMLX_BACKEND"

// blobs makes n rows per class: high-level features around one Gaussian centre per class in
// 14 dimensions, and (when seqLen > 0) sequences of 2..seqLen particles whose first three
// features are shifted by the class, zero-padded to seqLen (padding is masked).
func blobs(n, seqLen int, seed uint64) modeldir.Data {
	rng := rand.New(rand.NewPCG(seed, 7))
	centre := rand.New(rand.NewPCG(99, 1)) // same centres for every split
	var centres [models.NumClasses][models.NumHLF]float64
	for c := range centres {
		for f := range centres[c] {
			centres[c][f] = 1.5 * centre.NormFloat64()
		}
	}
	var d modeldir.Data
	d.SeqLen = seqLen
	for i := 0; i < n*models.NumClasses; i++ {
		c := i % models.NumClasses
		d.Labels = append(d.Labels, c)
		for f := 0; f < models.NumHLF; f++ {
			d.HLF = append(d.HLF, float32(centres[c][f]+rng.NormFloat64()))
		}
		if seqLen == 0 {
			continue
		}
		length := 2 + rng.IntN(seqLen-1)
		for s := 0; s < seqLen; s++ {
			for f := 0; f < models.NumFeatures; f++ {
				v := 0.0
				if s < length {
					v = rng.NormFloat64()
					if f < 3 {
						v += 1.5 * float64(c-1)
					}
				}
				d.Seq = append(d.Seq, float32(v))
			}
		}
	}
	if seqLen == 0 {
		d.Seq = nil
	}
	return d
}

func sources(t *testing.T, train, val modeldir.Data) (Source, Source) {
	t.Helper()
	a, err := NewMemorySource(train)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewMemorySource(val)
	if err != nil {
		t.Fatal(err)
	}
	return a, b
}

func TestTrainLearnsSeparableData(t *testing.T) {
	for _, tc := range []struct {
		name   string
		cfg    models.Config
		seqLen int
		epochs int
	}{
		{"hlf", models.DefaultConfig(models.KindHLF), 0, 8},
		{"particle", models.DefaultConfig(models.KindParticle), 8, 8},
		{"particle-lstm", models.DefaultConfig(models.KindParticleLSTM), 8, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			trainData, valData := blobs(200, tc.seqLen, 1), blobs(50, tc.seqLen, 2)
			if !tc.cfg.UsesHLF() {
				trainData.HLF, valData.HLF = nil, nil // the particle classifier must not need them
			}
			tr, va := sources(t, trainData, valData)
			opts := modeldir.DefaultOptions()
			opts.Epochs, opts.BatchSize = tc.epochs, 32
			var log bytes.Buffer
			dir := t.TempDir()
			hist, err := Train(stdcontext.Background(), Job{Dir: dir, Model: tc.cfg, Options: opts,
				Train: tr, Validation: va, Backend: testBackend, Log: &log})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s", log.String())
			if hist.Epochs() != tc.epochs || strings.Count(log.String(), "\nepoch ") != tc.epochs ||
				!strings.HasPrefix(log.String(), "building and compiling the training step") {
				t.Fatalf("%d epochs in history, log:\n%s", hist.Epochs(), log.String())
			}
			last := hist.ValAccuracy[tc.epochs-1]
			if last < 0.85 {
				t.Errorf("validation accuracy %.3f, want > 0.85 (chance 0.33)", last)
			}
			if hist.Loss[tc.epochs-1] >= hist.Loss[0] {
				t.Errorf("loss did not decrease: %v", hist.Loss)
			}
			saved, err := modeldir.ReadHistory(dir)
			if err != nil || !slices.Equal(saved.ValAccuracy, hist.ValAccuracy) {
				t.Errorf("history.json: %v, %v", saved, err)
			}

			// Predict agrees with the last validation accuracy on the same rows.
			probs, err := modeldir.Predict(dir, testBackend, valData)
			if err != nil {
				t.Fatal(err)
			}
			if len(probs) != len(valData.Labels)*models.NumClasses {
				t.Fatalf("%d probabilities for %d rows", len(probs), len(valData.Labels))
			}
			correct := 0
			for i, label := range valData.Labels {
				p := probs[i*3 : i*3+3]
				if s := p[0] + p[1] + p[2]; math.Abs(float64(s)-1) > 1e-5 {
					t.Fatalf("row %d: probabilities %v sum to %v", i, p, s)
				}
				if best := argmax(p); best == label {
					correct++
				}
			}
			if acc := float64(correct) / float64(len(valData.Labels)); math.Abs(acc-last) > 1e-9 {
				t.Errorf("Predict accuracy %.4f, last validation accuracy %.4f", acc, last)
			}

			// A finished directory is not trained again from scratch.
			if _, err := Train(stdcontext.Background(), Job{Dir: dir, Model: tc.cfg, Options: opts,
				Train: tr, Validation: va, Backend: testBackend}); err == nil {
				t.Error("Train overwrote a trained model directory")
			}
		})
	}
}

func argmax(p []float32) int {
	best := 0
	for i := range p {
		if p[i] > p[best] {
			best = i
		}
	}
	return best
}

// cancelAfter wraps a Source and cancels a context once a given number of training batches
// have been read: the run dies in the middle of an epoch.
type cancelAfter struct {
	Source
	batches int
	cancel  func()
}

func (c *cancelAfter) Batches(o Order, size int) iter.Seq2[*Batch, error] {
	return func(yield func(*Batch, error) bool) {
		for b, err := range c.Source.Batches(o, size) {
			if c.batches--; c.batches == 0 {
				c.cancel()
			}
			if !yield(b, err) {
				return
			}
		}
	}
}

// TestResumeEqualsUninterruptedRun trains the inclusive classifiers (they have dropout, so
// the random state must survive too) for 3 epochs, and again with a run killed in its second
// epoch then resumed: weights and history must be identical.
func TestResumeEqualsUninterruptedRun(t *testing.T) {
	gru := models.DefaultConfig(models.KindInclusive)
	gru.GRUUnits, gru.InclusiveHidden = 8, 6
	lstm := models.DefaultConfig(models.KindInclusiveLSTM)
	lstm.LSTMUnits, lstm.InclusiveHidden = 8, 6
	transformer := models.DefaultConfig(models.KindInclusiveTransformer)
	transformer.AttentionHeads, transformer.AttentionKeyDim = 2, 4
	masked := models.DefaultConfig(models.KindInclusiveTransformerMasked)
	masked.AttentionHeads, masked.AttentionKeyDim, masked.PairBias = 2, 4, true
	for _, c := range []models.Config{gru, lstm, transformer, masked} {
		t.Run(string(c.Kind), func(t *testing.T) { resumeEqualsUninterruptedRun(t, c) })
	}
}

// resumeEqualsUninterruptedRun interrupts a run of cfg after an epoch and 2 batches, resumes
// it and checks that history and weights equal an uninterrupted run's, bit for bit.
func resumeEqualsUninterruptedRun(t *testing.T, cfg models.Config) {
	trainData, valData := blobs(40, 4, 3), blobs(10, 4, 4)
	opts := modeldir.DefaultOptions()
	opts.Epochs, opts.BatchSize, opts.Seed = 3, 16, 5
	opts.MaxParticles = 3

	whole := t.TempDir()
	tr, va := sources(t, trainData, valData)
	want, err := Train(stdcontext.Background(), Job{Dir: whole, Model: cfg, Options: opts, Train: tr, Validation: va, Backend: testBackend})
	if err != nil {
		t.Fatal(err)
	}

	broken := t.TempDir()
	ctx, cancel := stdcontext.WithCancel(stdcontext.Background())
	defer cancel()
	batchesPerEpoch := (len(trainData.Labels) + opts.BatchSize - 1) / opts.BatchSize
	killer := &cancelAfter{Source: tr, batches: batchesPerEpoch + 2, cancel: cancel}
	if _, err := Train(ctx, Job{Dir: broken, Model: cfg, Options: opts, Train: killer, Validation: va, Backend: testBackend}); err == nil {
		t.Fatal("the interrupted run did not report the interruption")
	}
	if h, err := modeldir.ReadHistory(broken); err != nil || h.Epochs() != 1 {
		t.Fatalf("interrupted run: history %v, %v; want 1 epoch", h, err)
	}
	got, err := Resume(stdcontext.Background(), Job{Dir: broken, Train: tr, Validation: va, Backend: testBackend})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct {
		name      string
		got, want []float64
	}{
		{"loss", got.Loss, want.Loss}, {"accuracy", got.Accuracy, want.Accuracy},
		{"val_loss", got.ValLoss, want.ValLoss}, {"val_accuracy", got.ValAccuracy, want.ValAccuracy},
	} {
		if !slices.Equal(s.got, s.want) {
			t.Errorf("%s: resumed %v, uninterrupted %v", s.name, s.got, s.want)
		}
	}
	a, b := checkpointValues(t, whole), checkpointValues(t, broken)
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("%d and %d variables", len(a), len(b))
	}
	for name, va := range a {
		if !slices.Equal(va, b[name]) {
			t.Errorf("variable %s differs after resuming", name)
		}
	}
}

// checkpointValues reads every variable of dir's last checkpoint.
func checkpointValues(t *testing.T, dir string) map[string][]float64 {
	t.Helper()
	store := model.NewStore()
	if _, err := checkpoint.Load(store).Dir(filepath.Join(dir, modeldir.CheckpointDir)).Immediate().Done(); err != nil {
		t.Fatal(err)
	}
	return storeValues(store)
}

// storeValues reads every float32 and int64 variable of store as float64 values.
func storeValues(store *model.Store) map[string][]float64 {
	out := map[string][]float64{}
	for v := range store.IterVariables() {
		x := v.MustValue()
		var vals []float64
		switch x.DType().GoStr() {
		case "float32":
			for _, f := range tensors.MustCopyFlatData[float32](x) {
				vals = append(vals, float64(f))
			}
		case "int64":
			for _, f := range tensors.MustCopyFlatData[int64](x) {
				vals = append(vals, float64(f))
			}
		default:
			continue
		}
		out[v.Path()] = vals
	}
	return out
}
