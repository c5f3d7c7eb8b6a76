//go:build xgboost

package bench

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/models"
)

func TestCompareTrees(t *testing.T) {
	if testing.Short() {
		t.Skip("trains three classifiers")
	}
	d := toyData(600, 0, 3)
	d.Seq, d.SeqLen = nil, 0
	test := toyData(300, 0, 4)
	test.Seq, test.SeqLen = nil, 0
	rep, err := CompareTrees(context.Background(), TreesJob{Train: d, Test: test, Epochs: 30, Seed: 1, Threads: 1, WorkDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rows) != 3 || rep.Rows[0].Kind != models.KindXGBoost || rep.Rows[1].Kind != models.KindRF || rep.Rows[2].Kind != models.KindHLF {
		t.Fatalf("rows %+v", rep.Rows)
	}
	for _, r := range rep.Rows {
		if r.Seconds <= 0 || len(r.AUC) != 3 || r.AUC[1] < 0.6 {
			t.Errorf("%s: %.2f s, AUC %v, accuracy %.3f", r.Kind, r.Seconds, r.AUC, r.Accuracy)
		}
	}
	var out bytes.Buffer
	if err := rep.WriteTable(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"XGBoost classifier", "Random forest classifier", "HLF classifier", "AUC ttbar", "kept"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
}
