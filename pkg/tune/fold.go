package tune

import (
	"context"
	"fmt"
	"iter"
	"sync"

	"github.com/gomlx/gomlx/backends"

	"github.com/godltrigger/godltrigger/pkg/evaluate"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/train"
)

// ttbarClass is the class whose one-vs-rest ROC AUC ranks the points (the trigger selector).
const ttbarClass = 1

// FoldJob is one training of the cross-validation: a point trained on all folds but one and
// scored on that one.
type FoldJob struct {
	Point   Point
	Fold    int   // 0-based index of the held-out fold
	Seed    int64 // training seed (initial weights, data order)
	Train   train.Data
	Test    train.Data
	Backend backends.Backend // the worker's backend
	Dir     string           // an empty scratch directory, removed afterwards
}

// FoldScore is the score of a trained fold on its held-out rows.
type FoldScore struct {
	AUC      float64 // ROC AUC of the ttbar selector (class 1 against the others)
	Accuracy float64 // fraction of rows whose most probable class is the true one
}

// Trainer trains and scores one fold. TrainFold is the real one; tests wrap it to count or
// interrupt trainings.
type Trainer func(ctx context.Context, job FoldJob) (FoldScore, error)

// registryMu serialises the part of a training that touches GoMLX's process-wide gradient
// registry (graph.VJPRegistration, a plain map): train.Train registers the rules of package
// vjp at its start (map writes), and the training graphs built during its first epoch read
// them (later epochs reuse the compiled graphs; evaluation and prediction graphs take no
// gradient). Without it, models started at the same time race on the map, which the Go
// runtime may answer with "fatal error: concurrent map writes".
var registryMu sync.Mutex

// TrainFold trains job.Point with train.Train in job.Dir (the held-out fold serves as the
// per-epoch validation set), predicts the held-out rows and scores them. Concurrent calls
// run their first epochs one at a time (see registryMu) and the rest in parallel.
func TrainFold(ctx context.Context, job FoldJob) (FoldScore, error) {
	mem, err := train.NewMemorySource(job.Train)
	if err != nil {
		return FoldScore{}, err
	}
	registryMu.Lock()
	release := sync.OnceFunc(registryMu.Unlock)
	defer release()
	src := &firstPassHook{Source: mem, done: release}
	val, err := train.NewMemorySource(job.Test)
	if err != nil {
		return FoldScore{}, err
	}
	if _, err := train.Train(ctx, train.Job{
		Dir: job.Dir, Model: job.Point.Model(), Options: job.Point.Options(job.Seed),
		Train: src, Validation: val, Backend: job.Backend,
	}); err != nil {
		return FoldScore{}, err
	}
	probs, err := train.Predict(job.Dir, job.Backend, train.Data{HLF: job.Test.HLF})
	if err != nil {
		return FoldScore{}, err
	}
	return Score(probs, job.Test.Labels)
}

// firstPassHook calls done once the training loop has consumed (and trained on) the last
// batch of the first epoch.
type firstPassHook struct {
	train.Source
	done func()
}

func (s *firstPassHook) Batches(order train.Order, batchSize int) iter.Seq2[*train.Batch, error] {
	inner := s.Source.Batches(order, batchSize)
	if !order.Shuffle || order.Epoch != 0 {
		return inner
	}
	return func(yield func(*train.Batch, error) bool) {
		for b, err := range inner {
			if !yield(b, err) { // the loop stopped early; the deferred release in TrainFold applies
				return
			}
		}
		s.done() // yield returns after the loop body: the last step has run
	}
}

// Score computes the ttbar ROC AUC and the accuracy of class probabilities [N, 3] (row-major)
// against the true labels.
func Score(probs []float32, labels []int) (FoldScore, error) {
	p := make([]float64, len(probs))
	for i, v := range probs {
		p[i] = float64(v)
	}
	roc, err := evaluate.OneVsRest(p, models.NumClasses, labels, ttbarClass)
	if err != nil {
		return FoldScore{}, fmt.Errorf("tune: score: %w", err)
	}
	acc, err := evaluate.Accuracy(p, models.NumClasses, labels)
	if err != nil {
		return FoldScore{}, fmt.Errorf("tune: score: %w", err)
	}
	return FoldScore{AUC: roc.AUC(), Accuracy: acc}, nil
}
