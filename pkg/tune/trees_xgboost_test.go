//go:build xgboost

package tune

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
)

// Run scores a tree grid with XGBoost folds and writes a best_options.json that trains.
func TestRunTreeGrid(t *testing.T) {
	data, out, setup := blobs(40, 2), t.TempDir(), tinySetup()
	sum, err := Run(context.Background(), Config{Data: data, Points: smallTreeGrid().Points(), Setup: setup, Out: out, Workers: 2})
	mustRun(t, err)
	if sum.Done != 4 || len(sum.Ranked) != 4 {
		t.Fatalf("%d points done, %d ranked, want 4", sum.Done, len(sum.Ranked))
	}
	for _, r := range sum.Ranked {
		if len(r.AUC) != setup.Folds || r.MeanAUC < 0.6 || r.MeanAUC > 1 {
			t.Errorf("%s: fold AUCs %v", r.Point, r.AUC)
		}
	}
	if sum.Ranked[0].MeanAUC == sum.Ranked[3].MeanAUC {
		t.Errorf("all points score %v: the hyperparameters change nothing", sum.Ranked[0].MeanAUC)
	}
	best, err := modeldir.ReadOptionsFile(filepath.Join(out, BestOptionsFile), models.KindXGBoost)
	mustRun(t, err)
	if *best.Model.Trees != *sum.Ranked[0].Point.Model().Trees {
		t.Errorf("best_options.json %+v, best point %s", best.Model.Trees, sum.Ranked[0].Point)
	}
	// A rerun finds every point done.
	again, err := Run(context.Background(), Config{Data: data, Points: smallTreeGrid().Points(), Setup: setup, Out: out, Workers: 2})
	mustRun(t, err)
	if again.Done != 0 || again.Skipped != 4 {
		t.Errorf("rerun: %d done, %d skipped", again.Done, again.Skipped)
	}
}
