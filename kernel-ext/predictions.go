package kernelext

import (
	"context"
	"fmt"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/evaluate"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/train"
)

// ReadPredictions reads a labelled prediction file written by 'dltrigger predict'
// (evaluate.PredictionSchema): the class probabilities, 3 per event, and the true labels, in the
// file's order, ready for evaluate.OneVsRest.
func ReadPredictions(ctx context.Context, path string) (probs []float64, labels []int, err error) {
	r, err := dataset.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("kernelext: %w", err)
	}
	err = r.Scan(ctx, evaluate.PredictionSchema(true), 0, func(b *dataset.Batch) error {
		probs = append(probs, b.Float64s("probabilities")...)
		for _, l := range b.Int64s(train.ColumnLabel) {
			labels = append(labels, int(l))
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("kernelext: read predictions %s: %w", path, err)
	}
	if len(probs) != models.NumClasses*len(labels) {
		return nil, nil, fmt.Errorf("kernelext: %s: %d probabilities for %d labels", path, len(probs), len(labels))
	}
	return probs, labels, nil
}
