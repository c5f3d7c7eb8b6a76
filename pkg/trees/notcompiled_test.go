//go:build !xgboost

package trees_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/trees"
	"github.com/godltrigger/godltrigger/pkg/xgboost"
)

func TestTrainSaysHowToRebuild(t *testing.T) {
	_, err := trees.TrainDatasets(context.Background(), trees.DatasetJob{Dir: t.TempDir(), TrainDir: "train", TestDir: "test",
		Model: models.DefaultConfig(models.KindXGBoost)})
	if !errors.Is(err, xgboost.ErrNotCompiled) || !strings.Contains(err.Error(), "go build -tags xgboost") {
		t.Errorf("error %v, want one saying to rebuild with -tags xgboost", err)
	}
}
