package kernelext_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	kernelext "github.com/godltrigger/godltrigger/kernel-ext"
	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/evaluate"
)

func TestReadPredictions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pred.parquet")
	w, err := dataset.NewWriter(path, evaluate.PredictionSchema(true))
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]float64{{0.7, 0.2, 0.1}, {0.1, 0.8, 0.1}, {0.3, 0.3, 0.4}}
	for i, p := range rows {
		if err := w.Append(p, int64(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	probs, labels, err := kernelext.ReadPredictions(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(probs, slices.Concat(rows...)) || !slices.Equal(labels, []int{0, 1, 2}) {
		t.Errorf("read %v %v", probs, labels)
	}
	unlabelled := filepath.Join(t.TempDir(), "u.parquet")
	w, _ = dataset.NewWriter(unlabelled, evaluate.PredictionSchema(false))
	w.Append(rows[0])
	w.Close()
	if _, _, err := kernelext.ReadPredictions(context.Background(), unlabelled); err == nil || !strings.Contains(err.Error(), "u.parquet") {
		t.Errorf("a prediction file without labels: %v", err)
	}
}
