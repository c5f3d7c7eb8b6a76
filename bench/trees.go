package bench

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/gomlx/compute"

	"github.com/godltrigger/godltrigger/pkg/evaluate"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/train"
	"github.com/godltrigger/godltrigger/pkg/trees"
)

// TreesJob configures CompareTrees.
type TreesJob struct {
	Train, Test modeldir.Data // high-level features and labels
	Epochs      int           // of the HLF network (Keras's defaults otherwise: batch 128, Adam)
	Seed        int64
	Threads     int             // XGBoost's threads; 0: all cores
	Backend     compute.Backend // the HLF network's; nil: modeldir.NewBackend
	WorkDir     string          // receives the three model directories (must hold none)
	Log         io.Writer
}

// TreesRow is one classifier's result in CompareTrees.
type TreesRow struct {
	Kind     models.Kind
	Detail   string    // what was trained
	Seconds  float64   // wall time of training, per-round or per-epoch evaluation of the test set included
	AUC      []float64 // one-vs-rest, from the probabilities (evaluate.ClassNames order)
	Accuracy float64
	Load     [3]float64 // load average after training
}

// TreesReport is the result of CompareTrees.
type TreesReport struct {
	TrainRows, TestRows int
	Rows                []TreesRow
}

// CompareTrees trains XGBoost and the random forest (package trees, their default settings)
// and the HLF network (package train) on the same rows, one after the other in this process,
// and scores each on the test rows from its predicted probabilities.
func CompareTrees(ctx context.Context, job TreesJob) (*TreesReport, error) {
	if job.Log == nil {
		job.Log = io.Discard
	}
	rep := &TreesReport{TrainRows: len(job.Train.Labels), TestRows: len(job.Test.Labels)}
	test := modeldir.Data{HLF: job.Test.HLF}
	for _, kind := range []models.Kind{models.KindXGBoost, models.KindRF} {
		dir := filepath.Join(job.WorkDir, string(kind))
		fmt.Fprintf(job.Log, "bench: training %s (%d rows)\n", kind, rep.TrainRows)
		start := time.Now()
		res, err := trees.Train(ctx, trees.Job{Dir: dir, Model: models.DefaultConfig(kind), Seed: job.Seed, Threads: job.Threads,
			Train: job.Train, Test: job.Test})
		if err != nil {
			return nil, fmt.Errorf("bench: %w", err)
		}
		row := TreesRow{Kind: kind, Seconds: time.Since(start).Seconds(), Load: LoadAverage()}
		c := models.DefaultConfig(kind).Trees
		row.Detail = fmt.Sprintf("XGBoost, at most %d rounds of %d trees per class of depth %d, eta %g, nthread %d (0: all cores); %d rounds, kept %d",
			c.Rounds, c.NumParallelTree, c.MaxDepth, c.Eta, job.Threads, res.Rounds, res.Kept)
		if err := scoreRow(&row, dir, nil, test, job.Test.Labels); err != nil {
			return nil, err
		}
		rep.Rows = append(rep.Rows, row)
	}
	backend := job.Backend
	if backend == nil {
		var err error
		if backend, _, err = modeldir.NewBackend(nil); err != nil {
			return nil, fmt.Errorf("bench: %w", err)
		}
	}
	src, err := train.NewMemorySource(job.Train)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	val, err := train.NewMemorySource(job.Test)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	opts := modeldir.DefaultOptions()
	opts.Epochs, opts.Seed = job.Epochs, job.Seed
	dir := filepath.Join(job.WorkDir, string(models.KindHLF))
	fmt.Fprintf(job.Log, "bench: training the HLF network (%d epochs)\n", opts.Epochs)
	start := time.Now()
	if _, err := train.Train(ctx, train.Job{Dir: dir, Model: models.DefaultConfig(models.KindHLF), Options: opts,
		Train: src, Validation: val, Backend: backend}); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	row := TreesRow{Kind: models.KindHLF, Seconds: time.Since(start).Seconds(), Load: LoadAverage(),
		Detail: fmt.Sprintf("GoMLX %s, %v, %d epochs, batch %d", backend.Name(), models.DefaultConfig(models.KindHLF).HLFHidden, opts.Epochs, opts.BatchSize)}
	if err := scoreRow(&row, dir, backend, test, job.Test.Labels); err != nil {
		return nil, err
	}
	rep.Rows = append(rep.Rows, row)
	return rep, nil
}

// scoreRow predicts the test rows with the model of dir and fills the row's AUCs and accuracy.
func scoreRow(row *TreesRow, dir string, backend compute.Backend, test modeldir.Data, labels []int) error {
	probs, err := modeldir.Predict(dir, backend, test)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	row.AUC, row.Accuracy, _, err = scoreProbs(widen(probs), labels)
	return err
}

// WriteTable prints the comparison: training time, AUCs and accuracy of each classifier.
func (r *TreesReport) WriteTable(w io.Writer) error {
	fmt.Fprintf(w, "%d training rows, %d test rows; AUCs from the predicted probabilities\n", r.TrainRows, r.TestRows)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	names := evaluate.ClassNames()
	fmt.Fprintf(tw, "model\ttrain s\tAUC %s\tAUC %s\tAUC %s\taccuracy\tload after\t\n", names[0], names[1], names[2])
	for _, row := range r.Rows {
		fmt.Fprintf(tw, "%s\t%.2f\t%.4f\t%.4f\t%.4f\t%.4f\t%s\t\n", evaluate.ModelName(row.Kind), row.Seconds,
			row.AUC[0], row.AUC[1], row.AUC[2], row.Accuracy, fmtLoad(row.Load))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, row := range r.Rows {
		fmt.Fprintf(w, "%s: %s\n", evaluate.ModelName(row.Kind), row.Detail)
	}
	return nil
}
