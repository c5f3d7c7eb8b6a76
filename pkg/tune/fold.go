package tune

import (
	"context"
	"fmt"

	"github.com/gomlx/compute"

	"github.com/godltrigger/godltrigger/pkg/evaluate"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
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
	Train   modeldir.Data
	Test    modeldir.Data
	Backend compute.Backend // the worker's backend
	Dir     string          // an empty scratch directory, removed afterwards
}

// FoldScore is the score of a trained fold on its held-out rows.
type FoldScore struct {
	AUC      float64 // ROC AUC of the ttbar selector (class 1 against the others)
	Accuracy float64 // fraction of rows whose most probable class is the true one
}

// Trainer trains and scores one fold. TrainFold is the real one; tests wrap it to count or
// interrupt trainings.
type Trainer func(ctx context.Context, job FoldJob) (FoldScore, error)

// TrainFold trains job.Point with train.Train in job.Dir (the held-out fold serves as the
// per-epoch validation set), predicts the held-out rows and scores them. Concurrent calls are
// safe: package vjp writes GoMLX's gradient registry only once per process. A tree ensemble's
// point trains with TrainTreeFold.
func TrainFold(ctx context.Context, job FoldJob) (FoldScore, error) {
	if job.Point.isTree() {
		return TrainTreeFold(ctx, job)
	}
	src, err := train.NewMemorySource(job.Train)
	if err != nil {
		return FoldScore{}, err
	}
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
	probs, err := modeldir.Predict(job.Dir, job.Backend, modeldir.Data{HLF: job.Test.HLF})
	if err != nil {
		return FoldScore{}, err
	}
	return Score(probs, job.Test.Labels)
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
