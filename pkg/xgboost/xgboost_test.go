package xgboost_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/xgboost"
)

func TestParseEval(t *testing.T) {
	for _, tc := range []struct {
		line string
		want []xgboost.Metric
		err  string
	}{
		{"[0]\ttrain-mlogloss:0.5\ttest-merror:0.25", []xgboost.Metric{{"train", "mlogloss", 0.5}, {"test", "merror", 0.25}}, ""},
		{"[12]\tvalid-auc@0.5:0.9", []xgboost.Metric{{"valid", "auc@0.5", 0.9}}, ""},
		{"[3]", nil, ""},
		{"train-mlogloss:0.5", nil, "does not start with [iteration]"},
		{"[0]\ttrain-mlogloss", nil, "has no value"},
		{"[0]\tmlogloss:0.5", nil, "has no data name"},
		{"[0]\ttrain-mlogloss:x", nil, "invalid syntax"},
	} {
		t.Run(tc.line, func(t *testing.T) {
			got, err := xgboost.ParseEval(tc.line)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("metric %d: %v, want %v", i, got[i], tc.want[i])
				}
			}
			if len(tc.want) > 0 {
				if v, ok := xgboost.Lookup(got, tc.want[0].Data, tc.want[0].Metric); !ok || v != tc.want[0].Value {
					t.Errorf("Lookup: %v %v", v, ok)
				}
			}
		})
	}
}

func TestNotCompiledError(t *testing.T) {
	if xgboost.Compiled {
		t.Skip("built with -tags xgboost")
	}
	_, err := xgboost.NewDMatrix([]float32{1}, 1, 1)
	if !errors.Is(err, xgboost.ErrNotCompiled) || !strings.Contains(err.Error(), "-tags xgboost") {
		t.Errorf("error %v: want ErrNotCompiled saying how to rebuild", err)
	}
	if _, err := xgboost.LoadBooster("model.json"); !errors.Is(err, xgboost.ErrNotCompiled) {
		t.Errorf("LoadBooster: %v", err)
	}
}
