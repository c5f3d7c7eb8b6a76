package bench

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gomlx/compute"

	"github.com/godltrigger/godltrigger/pkg/evaluate"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/spec"
	"github.com/godltrigger/godltrigger/pkg/train"
)

// AUCJob configures CompareAUC.
type AUCJob struct {
	Torch   *Torch
	Backend compute.Backend // nil: modeldir.NewBackend
	Model   models.Kind
	Options modeldir.Options // both sides use its epochs, batch size, learning rate and seed
	Train   modeldir.Data
	Test    modeldir.Data
	WorkDir string // receives the exported data and our model directory (must not hold a model)
	// OursDir, when set, is a model directory already trained on Train (e.g. by 'dltrigger
	// demo'): ours is not trained again but predicts the test set from it, and Options should
	// be its model.json's, which the twin then trains with (epochs, early stopping, learning
	// rate on plateau).
	OursDir string
	Threads int // PyTorch threads; 0: 2
	Log     io.Writer
}

// AUCSide is one framework's result.
type AUCSide struct {
	AUC      []float64 // one-vs-rest per class (evaluate.ClassNames order)
	Accuracy float64
	Loss     []float64 // training loss per epoch
	Seconds  float64   // training time
	Detail   string
	// TTbar is the ttbar selector's AUC with its percentile bootstrap intervals
	// (evaluate.DefaultBootstrap), BestEpoch the epoch whose weights predicted (0: the last).
	TTbar     evaluate.Estimate
	BestEpoch int
}

// AUCReport is the result of CompareAUC.
type AUCReport struct {
	Model            models.Kind
	Epochs           int
	TrainRows, Test  int
	SeqLen           int
	Ours, Torch      AUCSide
	LoadAfterOurs    [3]float64
	LoadAfterPyTorch [3]float64
}

type torchTrain struct {
	AUC           []float64 `json:"auc"`
	Accuracy      float64   `json:"accuracy"`
	Loss          []float64 `json:"loss"`
	BestEpoch     int       `json:"best_epoch"`
	TrainSeconds  float64   `json:"train_seconds"`
	TestRows      int       `json:"test_rows"`
	GRUImpl       string    `json:"gru_impl"`
	Threads       int       `json:"threads"`
	FlushDenormal bool      `json:"flush_denormal"`
	Version       string    `json:"torch"`
	OMPWait       string    `json:"omp_wait_policy"`
}

// CompareAUC trains our classifier (train.Train, validation on the test set) and its PyTorch
// twin on the same rows with the same options, predicts the test set with both and returns
// the one-vs-rest AUC per class of each.
func CompareAUC(ctx context.Context, job AUCJob) (*AUCReport, error) {
	if job.Torch == nil {
		return nil, fmt.Errorf("bench: AUC comparison needs a Torch")
	}
	if job.Log == nil {
		job.Log = io.Discard
	}
	if job.Threads <= 0 {
		job.Threads = 2
	}
	cfg := models.DefaultConfig(job.Model)
	rep := &AUCReport{Model: job.Model, Epochs: job.Options.Epochs, TrainRows: len(job.Train.Labels),
		Test: len(job.Test.Labels), SeqLen: job.Train.SeqLen}
	if !cfg.UsesSequence() {
		rep.SeqLen = 0
	}
	trainDir, testDir := filepath.Join(job.WorkDir, "train"), filepath.Join(job.WorkDir, "test")
	if err := ExportData(job.Train, trainDir); err != nil {
		return nil, err
	}
	if err := ExportData(job.Test, testDir); err != nil {
		return nil, err
	}
	mem, err := train.NewMemorySource(job.Train)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	var trainSrc train.Source = mem
	if job.Options.BucketByLength { // the rows must be laid out as prepare --mask-padding does
		trainSrc = train.NewBucketSource(mem)
	}
	testSrc, err := train.NewMemorySource(job.Test)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	backend := job.Backend
	if backend == nil {
		if backend, _, err = modeldir.NewBackend(nil); err != nil {
			return nil, fmt.Errorf("bench: %w", err)
		}
	}
	modelDir := job.OursDir
	if modelDir == "" {
		modelDir = filepath.Join(job.WorkDir, "model")
		fmt.Fprintf(job.Log, "bench: training ours (%s, %d rows, %d epochs)\n", job.Model, rep.TrainRows, rep.Epochs)
		start := time.Now()
		if _, err := train.Train(ctx, train.Job{Dir: modelDir, Model: cfg, Options: job.Options,
			Train: trainSrc, Validation: testSrc, Backend: backend, Log: job.Log}); err != nil {
			return nil, fmt.Errorf("bench: %w", err)
		}
		rep.Ours.Seconds = time.Since(start).Seconds()
	}
	hist, err := modeldir.ReadHistory(modelDir)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	rep.Ours.Loss = hist.Loss
	if job.Options.RestoreBest {
		rep.Ours.BestEpoch = hist.BestEpoch
	}
	if job.OursDir != "" { // the time of its epochs, from their recorded throughput
		for _, r := range hist.RowsPerSecond {
			if r > 0 {
				rep.Ours.Seconds += float64(rep.TrainRows) / r
			}
		}
	}
	probs, err := modeldir.Predict(modelDir, backend, job.Test)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	if rep.Ours.AUC, rep.Ours.Accuracy, rep.Ours.TTbar, err = scoreProbs(widen(probs), job.Test.Labels); err != nil {
		return nil, err
	}
	rep.Ours.Detail = "GoMLX on " + modeldir.KernelFamily(backend)
	if job.OursDir != "" {
		rep.Ours.Detail += ", trained in " + job.OursDir
	}
	rep.LoadAfterOurs = LoadAverage()

	fmt.Fprintf(job.Log, "bench: training the PyTorch twin\n")
	o := job.Options
	probsFile := filepath.Join(job.WorkDir, "twin_probs.f32")
	args := []string{"train", "--model", string(job.Model), "--train", trainDir,
		"--test", testDir, "--epochs", strconv.Itoa(o.Epochs), "--batch", strconv.Itoa(o.BatchSize),
		"--lr", strconv.FormatFloat(o.LearningRate, 'g', -1, 64), "--seed", strconv.FormatInt(o.Seed, 10),
		"--threads", strconv.Itoa(job.Threads), "--probs", probsFile}
	if o.EarlyStoppingPatience > 0 && o.RestoreBest {
		args = append(args, "--patience", strconv.Itoa(o.EarlyStoppingPatience))
	}
	if o.LRPlateauPatience > 0 {
		args = append(args, "--lr-patience", strconv.Itoa(o.LRPlateauPatience), "--lr-factor", strconv.FormatFloat(o.LRPlateauFactor, 'g', -1, 64))
	}
	res, err := runTwin[torchTrain](ctx, job.Torch, args...)
	if err != nil {
		return nil, err
	}
	t := res[0]
	if len(t.AUC) != models.NumClasses || t.TestRows != rep.Test {
		return nil, fmt.Errorf("bench: torch_twin.py train answered %d AUCs for %d test rows, want %d for %d",
			len(t.AUC), t.TestRows, models.NumClasses, rep.Test)
	}
	twinProbs, err := readFloat32s(probsFile, rep.Test*models.NumClasses)
	if err != nil {
		return nil, err
	}
	_, _, twinTTbar, err := scoreProbs(twinProbs, job.Test.Labels)
	if err != nil {
		return nil, err
	}
	rep.Torch = AUCSide{AUC: t.AUC, Accuracy: t.Accuracy, Loss: t.Loss, Seconds: t.TrainSeconds, TTbar: twinTTbar, BestEpoch: t.BestEpoch,
		Detail: fmt.Sprintf("torch %s, %d threads, flush-denormal %v, OMP_WAIT_POLICY=%s", t.Version, t.Threads, t.FlushDenormal, t.OMPWait)}
	if t.GRUImpl != "" {
		rep.Torch.Detail += ", " + strings.ToUpper(job.Model.RecurrentLayer()) + " " + t.GRUImpl
	}
	rep.LoadAfterPyTorch = LoadAverage()
	return rep, nil
}

// scoreProbs returns the one-vs-rest AUC per class, the accuracy of probabilities [N, 3] and
// the ttbar AUC with its bootstrap intervals.
func scoreProbs(p []float64, labels []int) ([]float64, float64, evaluate.Estimate, error) {
	rocs, err := evaluate.OneVsRestAll(p, models.NumClasses, labels)
	if err != nil {
		return nil, 0, evaluate.Estimate{}, fmt.Errorf("bench: %w", err)
	}
	aucs := make([]float64, len(rocs))
	for c, r := range rocs {
		aucs[c] = r.AUC()
	}
	hits := 0
	scores, positive := make([]float64, len(labels)), make([]bool, len(labels))
	for i, l := range labels {
		best := 0
		for c := 1; c < models.NumClasses; c++ {
			if p[i*models.NumClasses+c] > p[i*models.NumClasses+best] {
				best = c
			}
		}
		if best == l {
			hits++
		}
		scores[i], positive[i] = p[i*models.NumClasses+spec.TTbar], l == spec.TTbar
	}
	tm, err := evaluate.NewTriggerMetrics(spec.Classes[spec.TTbar], scores, positive, evaluate.TriggerConfig{})
	if err != nil {
		return nil, 0, evaluate.Estimate{}, fmt.Errorf("bench: %w", err)
	}
	return aucs, float64(hits) / float64(len(labels)), tm.AUC, nil
}

// widen converts predicted probabilities to float64.
func widen(p []float32) []float64 {
	out := make([]float64, len(p))
	for i, v := range p {
		out[i] = float64(v)
	}
	return out
}

// readFloat32s reads n little-endian float32 values from path, as float64.
func readFloat32s(path string, n int) ([]float64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	if len(b) != 4*n {
		return nil, fmt.Errorf("bench: %s holds %d bytes, want %d (%d float32 values)", path, len(b), 4*n, n)
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:])))
	}
	return out, nil
}

// WriteTable prints both AUC tables side by side with the differences (ours - PyTorch).
func (r *AUCReport) WriteTable(w io.Writer) error {
	seq := ""
	if r.SeqLen > 0 {
		seq = fmt.Sprintf(", %d particles", r.SeqLen)
	}
	fmt.Fprintf(w, "%s classifier: %d training rows, %d test rows%s, %d epochs\n", r.Model, r.TrainRows, r.Test, seq, r.Epochs)
	fmt.Fprintf(w, "ours:    %s; trained in %.1f s; load after %s\n", r.Ours.Detail, r.Ours.Seconds, fmtLoad(r.LoadAfterOurs))
	fmt.Fprintf(w, "pytorch: %s; trained in %.1f s; load after %s\n", r.Torch.Detail, r.Torch.Seconds, fmtLoad(r.LoadAfterPyTorch))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "class\tAUC ours\tAUC pytorch\tours - pytorch\t")
	names := evaluate.ClassNames()
	for c := range r.Ours.AUC {
		fmt.Fprintf(tw, "%s\t%.4f\t%.4f\t%+.4f\t\n", names[c], r.Ours.AUC[c], r.Torch.AUC[c], r.Ours.AUC[c]-r.Torch.AUC[c])
	}
	fmt.Fprintf(tw, "accuracy\t%.4f\t%.4f\t%+.4f\t\n", r.Ours.Accuracy, r.Torch.Accuracy, r.Ours.Accuracy-r.Torch.Accuracy)
	fmt.Fprintf(tw, "final train loss\t%.4f\t%.4f\t%+.4f\t\n", last(r.Ours.Loss), last(r.Torch.Loss), last(r.Ours.Loss)-last(r.Torch.Loss))
	fmt.Fprintf(tw, "epochs trained\t%d\t%d\t\t\n", len(r.Ours.Loss), len(r.Torch.Loss))
	fmt.Fprintf(tw, "weights of epoch\t%s\t%s\t\t\n", epochOf(r.Ours), epochOf(r.Torch))
	fmt.Fprintf(tw, "ttbar AUC 95%% CI\t%s\t%s\t\t\n", ciOf(r.Ours.TTbar), ciOf(r.Torch.TTbar))
	return tw.Flush()
}

func epochOf(s AUCSide) string {
	if s.BestEpoch > 0 {
		return strconv.Itoa(s.BestEpoch)
	}
	return "last"
}

func ciOf(e evaluate.Estimate) string {
	if !e.HasCI() {
		return "–"
	}
	return fmt.Sprintf("[%.4f, %.4f]", e.CI95[0], e.CI95[1])
}

func last(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	return v[len(v)-1]
}
