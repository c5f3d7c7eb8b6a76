package trees

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/progress"
	"github.com/godltrigger/godltrigger/pkg/xgboost"
)

// Job is one training of a tree ensemble on data in memory.
type Job struct {
	Dir   string        // model directory: created; it must not hold a model yet
	Model models.Config // models.KindXGBoost or models.KindRF with its Trees
	Seed  int64         // XGBoost's seed (row and feature subsampling)
	// Threads are XGBoost's threads (nthread); 0 uses all cores.
	Threads int
	// Train and Test hold the high-level features and labels; Test is evaluated after every
	// round and decides early stopping.
	Train, Test modeldir.Data
	Scaler      json.RawMessage      // stored in model.json (see modeldir.Info.Scaler)
	Data        *modeldir.DataRecord // written to data.json when set: where the rows came from
	Progress    progress.Sink        // a bar over the rounds; nil shows nothing
	Log         io.Writer            // a line every 10 rounds and at the end; nil writes nothing
}

// Result is the outcome of Train.
type Result struct {
	History *modeldir.History // every round boosted (also in history.json)
	Rounds  int               // rounds boosted
	Kept    int               // rounds kept in the model: up to the best one with early stopping, else all
	Seconds float64           // training time, evaluation included
}

// Best is the history index of the last round kept.
func (r *Result) Best() int { return r.Kept - 1 }

// Train trains job.Model with XGBoost, one round at a time, evaluating mlogloss and accuracy on
// the training and test sets after each (history.json). With early stopping (TreeConfig's
// EarlyStopping > 0) it stops when the test mlogloss has not improved for that many rounds,
// exactly as Python's xgboost.train(..., early_stopping_rounds=n) with the test set last in
// evals, and keeps the rounds up to the best one. It writes job.Dir: XGBoost's model
// (modeldir.TreeModelFile), history.json, data.json when job.Data is set, and model.json last.
// Cancelling ctx stops between rounds and writes no model.
func Train(ctx context.Context, job Job) (*Result, error) {
	if err := xgboost.Check(); err != nil {
		return nil, fmt.Errorf("trees: %w", err)
	}
	cfg := job.Model
	if !cfg.Kind.Tree() {
		return nil, fmt.Errorf("trees: the %s classifier is not a tree ensemble (want %s or %s)", cfg.Kind, models.KindXGBoost, models.KindRF)
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("trees: %w", err)
	}
	if job.Threads < 0 {
		return nil, fmt.Errorf("trees: threads must be >= 0, got %d", job.Threads)
	}
	if err := checkEmpty(job.Dir); err != nil {
		return nil, err
	}
	dtrain, err := matrix(job.Train, "training")
	if err != nil {
		return nil, err
	}
	defer dtrain.Close()
	dtest, err := matrix(job.Test, "test")
	if err != nil {
		return nil, err
	}
	defer dtest.Close()
	if err := os.MkdirAll(job.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("trees: create model directory: %w", err)
	}
	if job.Data != nil {
		if err := modeldir.WriteDataRecord(job.Dir, *job.Data); err != nil {
			return nil, fmt.Errorf("trees: %w", err)
		}
	}
	booster, res, err := boost(ctx, job, dtrain, dtest)
	if err != nil {
		return nil, err
	}
	defer booster.Close()
	if err := save(job, booster, res); err != nil {
		return nil, err
	}
	return res, nil
}

// boost runs the rounds and returns the booster with all of them.
func boost(ctx context.Context, job Job, dtrain, dtest *xgboost.DMatrix) (*xgboost.Booster, *Result, error) {
	tc := *job.Model.Trees
	b, err := xgboost.NewBooster(Params(tc, job.Seed, job.Threads), dtrain, dtest)
	if err != nil {
		return nil, nil, fmt.Errorf("trees: %w", err)
	}
	log := job.Log
	if log == nil {
		log = io.Discard
	}
	bar := progress.NewBar(job.Progress, string(job.Model.Kind), "rounds", int64(tc.Rounds))
	defer bar.Finish()
	res := &Result{History: &modeldir.History{}}
	h := res.History
	stop := earlyStop{rounds: tc.EarlyStopping}
	start := time.Now()
	for i := 0; i < tc.Rounds; i++ {
		if err := ctx.Err(); err != nil {
			b.Close()
			return nil, nil, err
		}
		t0 := time.Now()
		if err := b.Update(i, dtrain); err != nil {
			b.Close()
			return nil, nil, fmt.Errorf("trees: round %d: %w", i, err)
		}
		line, ev, err := b.Eval(i, []*xgboost.DMatrix{dtrain, dtest}, []string{EvalTrain, EvalTest})
		if err != nil {
			b.Close()
			return nil, nil, fmt.Errorf("trees: round %d: %w", i, err)
		}
		m, err := roundMetrics(ev, line)
		if err != nil {
			b.Close()
			return nil, nil, err
		}
		h.Loss = append(h.Loss, m[0])
		h.Accuracy = append(h.Accuracy, 1-m[1])
		h.ValLoss = append(h.ValLoss, m[2])
		h.ValAccuracy = append(h.ValAccuracy, 1-m[3])
		h.RowsPerSecond = append(h.RowsPerSecond, float64(dtrain.Rows())/time.Since(t0).Seconds())
		res.Rounds = i + 1
		halt := stop.observe(i, m[2])
		bar.Add(1)
		bar.SetNote("test %s %.4f", StopMetric, m[2])
		if i%10 == 0 || halt || i == tc.Rounds-1 {
			fmt.Fprintln(log, line)
		}
		if halt {
			fmt.Fprintf(log, "early stop after round %d: best round %d, test %s %.6f\n", i, stop.best, StopMetric, stop.score)
			break
		}
	}
	res.Seconds = time.Since(start).Seconds()
	res.Kept = res.Rounds
	if tc.EarlyStopping > 0 {
		res.Kept = stop.best + 1
	}
	return b, res, nil
}

// roundMetrics picks train mlogloss, train merror, test mlogloss and test merror of one
// evaluation.
func roundMetrics(ev []xgboost.Metric, line string) ([4]float64, error) {
	var out [4]float64
	for i, k := range [4][2]string{{EvalTrain, StopMetric}, {EvalTrain, ErrorMetric}, {EvalTest, StopMetric}, {EvalTest, ErrorMetric}} {
		v, ok := xgboost.Lookup(ev, k[0], k[1])
		if !ok || math.IsNaN(v) {
			return out, fmt.Errorf("trees: evaluation %q lacks %s-%s", line, k[0], k[1])
		}
		out[i] = v
	}
	return out, nil
}

// earlyStop follows Python's xgboost.callback.EarlyStopping for a metric to minimise: a round
// improves when its score is strictly below the best; training stops once rounds rounds in a
// row have not improved (never when rounds is 0).
type earlyStop struct {
	rounds int
	best   int
	score  float64
	since  int
}

func (e *earlyStop) observe(round int, score float64) bool {
	if round == 0 || e.score-score > 0 {
		e.best, e.score, e.since = round, score, 0
	} else {
		e.since++
	}
	return e.rounds > 0 && e.since >= e.rounds
}

// save writes XGBoost's model of the kept rounds, history.json and model.json (last).
func save(job Job, b *xgboost.Booster, res *Result) error {
	kept := b
	if res.Kept < res.Rounds {
		s, err := b.Slice(0, res.Kept)
		if err != nil {
			return fmt.Errorf("trees: keep rounds [0, %d): %w", res.Kept, err)
		}
		defer s.Close()
		kept = s
	}
	if err := kept.Save(filepath.Join(job.Dir, modeldir.TreeModelFile)); err != nil {
		return fmt.Errorf("trees: %w", err)
	}
	if err := modeldir.WriteHistory(job.Dir, res.History); err != nil {
		return fmt.Errorf("trees: %w", err)
	}
	info := &modeldir.Info{Model: job.Model, Options: modeldir.Options{Seed: job.Seed}, Scaler: job.Scaler}
	if err := modeldir.WriteInfo(job.Dir, info); err != nil {
		return fmt.Errorf("trees: %w", err)
	}
	return nil
}

// checkEmpty refuses a directory that already holds a model.
func checkEmpty(dir string) error {
	if dir == "" {
		return errors.New("trees: no model directory")
	}
	path := filepath.Join(dir, modeldir.ModelFile)
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("trees: %s already holds a model (%s): choose another directory or remove it", dir, path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("trees: %w", err)
	}
	return nil
}

// matrix makes the DMatrix of d's high-level features and labels.
func matrix(d modeldir.Data, what string) (*xgboost.DMatrix, error) {
	n := len(d.Labels)
	if n == 0 {
		return nil, fmt.Errorf("trees: no labelled %s rows", what)
	}
	if len(d.HLF) != n*models.NumHLF {
		return nil, fmt.Errorf("trees: %s data: %d high-level values for %d labels, want %d", what, len(d.HLF), n, n*models.NumHLF)
	}
	m, err := xgboost.NewDMatrix(d.HLF, n, models.NumHLF)
	if err != nil {
		return nil, fmt.Errorf("trees: %s data: %w", what, err)
	}
	labels := make([]float32, n)
	for i, l := range d.Labels {
		if l < 0 || l >= models.NumClasses {
			m.Close()
			return nil, fmt.Errorf("trees: %s data: row %d: label %d outside [0, %d)", what, i, l, models.NumClasses)
		}
		labels[i] = float32(l)
	}
	if err := m.SetLabels(labels); err != nil {
		m.Close()
		return nil, fmt.Errorf("trees: %s data: %w", what, err)
	}
	return m, nil
}
