package bench

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godltrigger/godltrigger/pkg/evaluate"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/spec"
	"github.com/godltrigger/godltrigger/pkg/train"
)

// needTorch returns a Torch over /usr/bin/python3, or skips when it cannot import torch.
func needTorch(t *testing.T) *Torch {
	t.Helper()
	tw, err := NewTorch("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tw.Close() })
	if _, err := tw.Check(context.Background()); err != nil {
		t.Skipf("PyTorch comparison skipped: %v", err)
	}
	return tw
}

// toyData is n rows whose label shifts the features, with sequences of seqLen particles of
// which some rows carry all-zero (masked) steps in the middle and at the end.
func toyData(n, seqLen int, seed uint64) modeldir.Data {
	rng := rand.New(rand.NewPCG(seed, 7))
	d := modeldir.Data{SeqLen: seqLen}
	for i := 0; i < n; i++ {
		l := rng.IntN(models.NumClasses)
		d.Labels = append(d.Labels, l)
		for f := 0; f < models.NumHLF; f++ {
			d.HLF = append(d.HLF, float32(rng.NormFloat64()+float64(l)*0.5))
		}
		for s := 0; s < seqLen; s++ {
			masked := s == seqLen-1 || (i%3 == 0 && s == 1)
			for f := 0; f < models.NumFeatures; f++ {
				v := float32(0)
				if !masked {
					v = float32(rng.NormFloat64() + float64(l)*0.3)
				}
				d.Seq = append(d.Seq, v)
			}
		}
	}
	return d
}

func TestExportData(t *testing.T) {
	d := toyData(5, 3, 1)
	dir := filepath.Join(t.TempDir(), "x")
	if err := ExportData(d, dir); err != nil {
		t.Fatal(err)
	}
	var meta ExportMeta
	b, err := os.ReadFile(filepath.Join(dir, "meta.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &meta); err != nil {
		t.Fatal(err)
	}
	if want := (ExportMeta{Rows: 5, SeqLen: 3, HLF: true, Seq: true}); meta != want {
		t.Errorf("meta = %+v, want %+v", meta, want)
	}
	for _, tc := range []struct {
		file string
		want []float32
	}{{"hlf.f32", d.HLF}, {"seq.f32", d.Seq}} {
		t.Run(tc.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(dir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if len(b) != 4*len(tc.want) {
				t.Fatalf("%d bytes, want %d", len(b), 4*len(tc.want))
			}
			for i, w := range tc.want {
				if g := math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:])); g != w {
					t.Fatalf("value %d = %v, want %v", i, g, w)
				}
			}
		})
	}
	lb, err := os.ReadFile(filepath.Join(dir, "labels.i32"))
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range d.Labels {
		if g := int(int32(binary.LittleEndian.Uint32(lb[4*i:]))); g != l {
			t.Errorf("label %d = %d, want %d", i, g, l)
		}
	}
	bad := d
	bad.HLF = bad.HLF[:3]
	if err := ExportData(bad, filepath.Join(t.TempDir(), "bad")); err == nil || !strings.Contains(err.Error(), "high-level values") {
		t.Errorf("short HLF: error %v", err)
	}
}

// TestCompareSpeedSmoke runs the speed comparison end to end at tiny sizes: both sides run
// and their results parse. It asserts no speed.
func TestCompareSpeedSmoke(t *testing.T) {
	tw := needTorch(t)
	w := Window{MinTime: time.Millisecond, MinSteps: 1, MaxSteps: 2, Warmup: 1}
	rep, err := CompareSpeed(context.Background(), SpeedOptions{Torch: tw, SeqLens: []int{4}, Batch: 16,
		Window: w, LongWindow: w, LongSeq: 4, Models: []models.Kind{models.KindHLF, models.KindParticle, models.KindInclusiveLSTM}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rows) != 3 {
		t.Fatalf("%d rows, want hlf, particle and inclusive-lstm: %+v", len(rep.Rows), rep.Rows)
	}
	for _, r := range rep.Rows {
		if len(r.Torch) != 2 || r.Torch[0].Threads != 2 || r.Torch[1].Threads != 1 {
			t.Fatalf("%s seq %d: PyTorch timings %+v, want 2 and 1 threads", r.Model, r.SeqLen, r.Torch)
		}
		if !(len(r.Ours) == 1 && r.Ours[0].RowsPerSec > 0 && r.BestTorch().RowsPerSec > 0 && r.Torch[1].Steps >= 1) {
			t.Errorf("%s seq %d: rates %+v / %+v", r.Model, r.SeqLen, r.Ours, r.Torch)
		}
		if r.Ratio(0) != r.Ours[0].RowsPerSec/max(r.Torch[0].RowsPerSec, r.Torch[1].RowsPerSec) {
			t.Errorf("ratio %v is not against the fastest PyTorch %+v", r.Ratio(0), r.Torch)
		}
		if !strings.Contains(r.TorchTag, "flush-denormal true") {
			t.Errorf("PyTorch ran without flush-denormal: %s", r.TorchTag)
		}
		if layer := strings.ToUpper(r.Model.RecurrentLayer()); layer != "" && !strings.Contains(r.TorchTag, layer+" fused") {
			t.Errorf("%s: PyTorch tag %q does not name the %s", r.Model, r.TorchTag, layer)
		}
	}
	var buf bytes.Buffer
	if err := rep.WriteTable(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "ours 1/best pt") || !strings.Contains(buf.String(), "particle") ||
		!strings.Contains(buf.String(), "GRU fused; torch") || !strings.Contains(buf.String(), "LSTM fused") {
		t.Errorf("table:\n%s", buf.String())
	}
}

// TestCompareAUCSmoke trains both sides for one epoch on toy data and checks the results
// parse and lie in [0, 1], for each classifier (the sequences hold masked steps in the middle,
// so the twin must pick its exact masking loop).
func TestCompareAUCSmoke(t *testing.T) {
	tw := needTorch(t)
	for _, kind := range []models.Kind{models.KindHLF, models.KindParticle, models.KindInclusive, models.KindInclusiveLSTM,
		models.KindInclusiveTransformer, models.KindInclusiveTransformerMasked} {
		t.Run(string(kind), func(t *testing.T) {
			opts := modeldir.DefaultOptions()
			opts.Epochs, opts.BatchSize = 1, 32
			rep, err := CompareAUC(context.Background(), AUCJob{Torch: tw, Model: kind, Options: opts,
				Train: toyData(96, 4, 1), Test: toyData(60, 4, 2), WorkDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			for _, side := range []AUCSide{rep.Ours, rep.Torch} {
				if len(side.AUC) != models.NumClasses || len(side.Loss) != 1 {
					t.Fatalf("side %+v", side)
				}
				for _, a := range side.AUC {
					if !(a >= 0 && a <= 1) {
						t.Errorf("AUC %v outside [0, 1]: %+v", a, side)
					}
				}
			}
			if layer := strings.ToUpper(kind.RecurrentLayer()); layer != "" && !strings.Contains(rep.Torch.Detail, layer+" loop") {
				t.Errorf("twin masking: %s, want the loop (masked steps in the middle)", rep.Torch.Detail)
			}
			var buf bytes.Buffer
			if err := rep.WriteTable(&buf); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(buf.String(), "wjets") {
				t.Errorf("table:\n%s", buf.String())
			}
		})
	}
}

// TestTwinAUCAgreesWithEvaluate checks the twin's numpy AUC against package evaluate's on the
// twin's own test probabilities.
func TestTwinAUCAgreesWithEvaluate(t *testing.T) {
	tw := needTorch(t)
	dir := t.TempDir()
	test := toyData(200, 3, 2)
	if err := ExportData(toyData(200, 3, 1), filepath.Join(dir, "train")); err != nil {
		t.Fatal(err)
	}
	if err := ExportData(test, filepath.Join(dir, "test")); err != nil {
		t.Fatal(err)
	}
	probsFile := filepath.Join(dir, "probs.f32")
	res, err := runTwin[torchTrain](context.Background(), tw, "train", "--model", "hlf", "--epochs", "2",
		"--train", filepath.Join(dir, "train"), "--test", filepath.Join(dir, "test"), "--probs", probsFile)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(probsFile)
	if err != nil {
		t.Fatal(err)
	}
	probs := make([]float32, len(b)/4)
	for i := range probs {
		probs[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	aucs, acc, _, err := scoreProbs(widen(probs), test.Labels)
	if err != nil {
		t.Fatal(err)
	}
	for c, want := range res[0].AUC {
		if math.Abs(aucs[c]-want) > 1e-3 {
			t.Errorf("class %d: evaluate AUC %v, twin AUC %v", c, aucs[c], want)
		}
	}
	if math.Abs(acc-res[0].Accuracy) > 1e-9 {
		t.Errorf("accuracy: ours %v, twin %v", acc, res[0].Accuracy)
	}
	if res[0].AUC[0] < 0.6 {
		t.Errorf("twin AUC %v on separable toy data: the twin did not learn", res[0].AUC)
	}
}

func TestCheckMissingTorch(t *testing.T) {
	tw, err := NewTorch(filepath.Join(t.TempDir(), "no-python"))
	if err != nil {
		t.Fatal(err)
	}
	defer tw.Close()
	if _, err := tw.Check(context.Background()); err == nil || !strings.Contains(err.Error(), "install-bench.sh") {
		t.Errorf("Check with a missing interpreter: error %v, want one naming scripts/install-bench.sh", err)
	}
}

// maskedToyData is toyData laid out as 'dltrigger prepare --mask-padding' lays particle rows
// out: each row's real steps (1 to seqLen) after all-zero padding steps.
func maskedToyData(n, seqLen int, seed uint64) modeldir.Data {
	d := toyData(n, seqLen, seed)
	rng := rand.New(rand.NewPCG(seed, 9))
	w := seqLen * models.NumFeatures
	for i := 0; i < n; i++ {
		row := d.Seq[i*w : (i+1)*w]
		for k := range row {
			if row[k] == 0 { // toyData's own masked steps: real values here
				row[k] = 0.5
			}
		}
		clear(row[:rng.IntN(seqLen)*models.NumFeatures])
	}
	return d
}

// TestTwinPacksLeadingPadding trains the twin on data with leading padding: it packs the
// padding away (not the slow loop), with the same losses as its exact masking loop; and
// CompareAUC trains ours with length bucketing on it.
func TestTwinPacksLeadingPadding(t *testing.T) {
	tw := needTorch(t)
	dir := t.TempDir()
	if err := ExportData(maskedToyData(96, 12, 1), filepath.Join(dir, "train")); err != nil {
		t.Fatal(err)
	}
	if err := ExportData(maskedToyData(60, 12, 2), filepath.Join(dir, "test")); err != nil {
		t.Fatal(err)
	}
	twin := func(impl string) torchTrain {
		res, err := runTwin[torchTrain](context.Background(), tw, "train", "--model", "particle", "--epochs", "2",
			"--batch", "32", "--train", filepath.Join(dir, "train"), "--test", filepath.Join(dir, "test"), "--gru-impl", impl)
		if err != nil {
			t.Fatal(err)
		}
		return res[0]
	}
	auto, loop := twin("auto"), twin("loop")
	if auto.GRUImpl != "packed" {
		t.Fatalf("the twin chose %q for leading padding, want packed", auto.GRUImpl)
	}
	for e := range loop.Loss {
		if math.Abs(auto.Loss[e]-loop.Loss[e]) > 1e-5 {
			t.Fatalf("epoch %d: loss packed %v, masking loop %v", e+1, auto.Loss[e], loop.Loss[e])
		}
	}
	opts := modeldir.DefaultOptions()
	opts.Epochs, opts.BatchSize, opts.BucketByLength = 1, 32, true
	rep, err := CompareAUC(context.Background(), AUCJob{Torch: tw, Model: models.KindParticle, Options: opts,
		Train: maskedToyData(96, 12, 1), Test: maskedToyData(60, 12, 2), WorkDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rep.Torch.Detail, "GRU packed") || len(rep.Ours.AUC) != models.NumClasses {
		t.Errorf("report %+v", rep)
	}
}

// TestCompareAUCWithTrainedModel: a model trained beforehand is compared, not trained again,
// and the twin trains with its early stopping: it stops after patience epochs without a lower
// test loss, and predicts with its best epoch's weights. Both sides give ttbar AUC intervals.
func TestCompareAUCWithTrainedModel(t *testing.T) {
	tw := needTorch(t)
	trainData, testData := toyData(96, 4, 1), toyData(60, 4, 2)
	opts := modeldir.DefaultOptions()
	opts.Epochs, opts.BatchSize, opts.LearningRate = 40, 32, 0.05 // a high rate overfits the toy rows soon
	opts.EarlyStoppingPatience, opts.RestoreBest, opts.LRPlateauPatience = 2, true, 1
	dir := filepath.Join(t.TempDir(), "model")
	mem, err := train.NewMemorySource(trainData)
	if err != nil {
		t.Fatal(err)
	}
	val, err := train.NewMemorySource(testData)
	if err != nil {
		t.Fatal(err)
	}
	hist, err := train.Train(context.Background(), train.Job{Dir: dir, Model: models.DefaultConfig(models.KindHLF), Options: opts, Train: mem, Validation: val})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := CompareAUC(context.Background(), AUCJob{Torch: tw, Model: models.KindHLF, Options: opts,
		Train: trainData, Test: testData, WorkDir: t.TempDir(), OursDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Ours.Loss) != hist.Epochs() || rep.Ours.BestEpoch != hist.BestEpoch || !strings.Contains(rep.Ours.Detail, dir) {
		t.Errorf("ours: %d epochs, best %d (%s); the trained model has %d, best %d", len(rep.Ours.Loss), rep.Ours.BestEpoch, rep.Ours.Detail, hist.Epochs(), hist.BestEpoch)
	}
	n := len(rep.Torch.Loss)
	if n >= opts.Epochs || rep.Torch.BestEpoch < 1 || n-rep.Torch.BestEpoch != opts.EarlyStoppingPatience {
		t.Errorf("twin: %d of %d epochs, best epoch %d: want a stop %d epochs after the best", n, opts.Epochs, rep.Torch.BestEpoch, opts.EarlyStoppingPatience)
	}
	for name, e := range map[string]evaluate.Estimate{"ours": rep.Ours.TTbar, "twin": rep.Torch.TTbar} {
		if !e.HasCI() || !(e.CI95[0] <= e.Value && e.Value <= e.CI95[1]) {
			t.Errorf("%s: ttbar AUC %+v: want a 95%% interval around the value", name, e)
		}
	}
	if d := math.Abs(rep.Torch.TTbar.Value - rep.Torch.AUC[spec.TTbar]); d > 1e-3 {
		t.Errorf("twin: ttbar AUC %v from its probabilities, %v from the twin", rep.Torch.TTbar.Value, rep.Torch.AUC[spec.TTbar])
	}
	var buf bytes.Buffer
	if err := rep.WriteTable(&buf); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ttbar AUC 95% CI", "weights of epoch", fmt.Sprint(rep.Torch.BestEpoch)} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, buf.String())
		}
	}
}
