package train

import (
	stdcontext "context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
)

// badValue is a dataset with one bad value and what the error must say about it.
type badValue struct {
	name string
	id   int                      // the row changed
	edit func(vals []any)         // changes its values (inclusive layout)
	says func(file string) string // the error's text, given the row's file
}

// inclusive layout columns: HLF_input, GRU_input, encoded_label.
func badValues() []badValue {
	return []badValue{
		{"NaN feature", 5, func(v []any) { v[0].([]float64)[3] = math.NaN() },
			func(f string) string { return f + ": row 1: HLF_input[3] is NaN" }},
		{"infinite particle feature", 2, func(v []any) { v[1].([]float64)[1*models.NumFeatures+4] = math.Inf(1) },
			func(f string) string { return f + ": row 2: GRU_input[1][4] (particle 1, feature 4) is +Inf" }},
		{"beyond float32", 9, func(v []any) { v[0].([]float64)[0] = -1e300 },
			func(f string) string { return f + ": row 1: HLF_input[0] is -1e+300" }},
		{"two classes", 7, func(v []any) { v[2] = []float64{1, 1, 0} },
			func(f string) string { return f + ": row 3: encoded_label [1 1 0] is not a one-hot label" }},
		{"soft label", 0, func(v []any) { v[2] = []float64{0.5, 0.5, 0} },
			func(f string) string { return f + ": row 0: encoded_label [0.5 0.5 0] is not a one-hot label" }},
	}
}

// writeBad writes 10 rows of the inclusive layout in files of 4 rows with bc's value, and
// returns the file holding it.
func writeBad(t *testing.T, dir string, bc badValue) string {
	t.Helper()
	writeDatasetWith(t, dir, testLayouts()[0], 10, 4, func(id int, vals []any) {
		if id == bc.id {
			bc.edit(vals)
		}
	})
	return filepath.Join(dir, dataset.PartName(bc.id/4, "test"))
}

// TestBadValuesAreRejected reads datasets holding a NaN, an infinity, a number float32 cannot
// hold, or a label that is not one-hot, in every way training, evaluation and prediction read
// them: each fails naming the file, the row in it and the column.
func TestBadValuesAreRejected(t *testing.T) {
	for _, bc := range badValues() {
		t.Run(bc.name, func(t *testing.T) {
			dir := t.TempDir()
			want := bc.says(writeBad(t, dir, bc))
			cfg := DataConfig{Kind: models.KindInclusive}
			check := func(what string, err error) {
				t.Helper()
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("%s: %v; want an error containing %q", what, err, want)
				}
			}
			_, err := LoadData(t.Context(), dir, cfg)
			check("LoadData", err)
			_, err = OpenDataset(t.Context(), dir, cfg)
			check("OpenDataset (in memory)", err)
			for _, shuffle := range []bool{false, true} {
				src, err := NewParquetSource(t.Context(), dir, cfg)
				if err != nil {
					t.Fatal(err)
				}
				err = errors.New("no error")
				for _, e := range src.Batches(Order{Shuffle: shuffle, Seed: 1}, 3) {
					if e != nil {
						err = e
					}
				}
				check(fmt.Sprintf("ParquetSource (shuffle %v)", shuffle), err)
			}
			for _, labels := range []bool{false, true} { // as prediction and evaluation read
				rows, err := OpenRows(t.Context(), dir, cfg, labels)
				if err == nil {
					err = rows.Chunks(t.Context(), 4, func(modeldir.Data) error { return nil })
				}
				check(fmt.Sprintf("OpenRows (labels %v)", labels), err)
			}
		})
	}
}

// TestTrainingOnBadValuesLeavesNoModel streams a dataset whose NaN comes late in the first
// epoch: training fails naming the file, row and column, and leaves no model directory.
func TestTrainingOnBadValuesLeavesNoModel(t *testing.T) {
	data := t.TempDir()
	bc := badValues()[0]
	bc.id = 9
	want := bc.says(writeBad(t, data, bc))
	out := filepath.Join(t.TempDir(), "model")
	_, err := TrainDatasets(stdcontext.Background(), DatasetJob{Dir: out, TrainDir: data, TestDir: data,
		Model: models.DefaultConfig(models.KindHLF), Options: smallJob(t, "", 1).Options,
		MemoryLimitBytes: -1, ShuffleBuffer: 2, Backend: testBackend})
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("training: %v; want an error containing %q", err, want)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the failed training left %s (%v)", out, err)
	}
}
