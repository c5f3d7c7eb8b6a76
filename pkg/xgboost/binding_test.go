//go:build xgboost

package xgboost_test

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/xgboost"
)

// blobs returns n rows of 4 features in 3 classes: class c shifts feature c by +2, with noise,
// and feature 3 is pure noise; one value in 50 is missing (NaN).
func blobs(n int, seed uint64) (x, y []float32) {
	rng := rand.New(rand.NewPCG(seed, 1))
	for i := 0; i < n; i++ {
		c := i % 3
		for f := 0; f < 4; f++ {
			v := float32(rng.NormFloat64())
			if f == c {
				v += 2
			}
			if rng.IntN(50) == 0 {
				v = float32(math.NaN())
			}
			x = append(x, v)
		}
		y = append(y, float32(c))
	}
	return x, y
}

func matrix(t *testing.T, x, y []float32) *xgboost.DMatrix {
	t.Helper()
	m, err := xgboost.NewDMatrix(x, len(x)/4, 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	if y != nil {
		if err := m.SetLabels(y); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

func params(extra ...xgboost.Param) []xgboost.Param {
	p := []xgboost.Param{{"objective", "multi:softprob"}, {"num_class", "3"}, {"tree_method", "hist"},
		{"max_depth", "3"}, {"eta", "0.3"}, {"seed", "7"}, {"nthread", "2"},
		{"eval_metric", "merror"}, {"eval_metric", "mlogloss"}}
	return append(p, extra...)
}

// train boosts rounds rounds and returns the booster (closed at the end of the test).
func train(t *testing.T, p []xgboost.Param, dtrain *xgboost.DMatrix, rounds int) *xgboost.Booster {
	t.Helper()
	b, err := xgboost.NewBooster(p, dtrain)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	for i := 0; i < rounds; i++ {
		if err := b.Update(i, dtrain); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

func accuracy(probs, y []float32) float64 {
	hits := 0
	for i, l := range y {
		best := 0
		for c := 1; c < 3; c++ {
			if probs[3*i+c] > probs[3*i+best] {
				best = c
			}
		}
		if best == int(l) {
			hits++
		}
	}
	return float64(hits) / float64(len(y))
}

func TestTrainPredictProbabilities(t *testing.T) {
	maj, minor, _ := xgboost.Version()
	if maj != 1 || minor < 7 {
		t.Errorf("XGBoost %d.%d, want 1.7 or later 1.x", maj, minor)
	}
	xt, yt := blobs(1500, 1)
	xv, yv := blobs(600, 2)
	dtrain, dtest := matrix(t, xt, yt), matrix(t, xv, yv)
	if dtrain.Rows() != 1500 || dtrain.Cols() != 4 {
		t.Errorf("shape %d x %d", dtrain.Rows(), dtrain.Cols())
	}
	b := train(t, params(), dtrain, 20)
	probs, shape, err := b.Predict(dtest, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(shape) != 2 || shape[0] != 600 || shape[1] != 3 || len(probs) != 1800 {
		t.Fatalf("shape %v, %d values; want [600 3]", shape, len(probs))
	}
	for i := 0; i < 600; i++ {
		s := probs[3*i] + probs[3*i+1] + probs[3*i+2]
		if math.Abs(float64(s)-1) > 1e-5 {
			t.Fatalf("row %d: probabilities sum to %v", i, s)
		}
	}
	if acc := accuracy(probs, yv); acc < 0.8 {
		t.Errorf("accuracy %.3f on separable blobs, want > 0.8", acc)
	}
	line, metrics, err := b.Eval(19, []*xgboost.DMatrix{dtrain, dtest}, []string{"train", "test"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(line, "[19]") || len(metrics) != 4 {
		t.Fatalf("eval %q -> %v", line, metrics)
	}
	merr, ok := xgboost.Lookup(metrics, "test", "merror")
	if !ok || math.Abs(merr-(1-accuracy(probs, yv))) > 1e-6 {
		t.Errorf("test merror %v (%v), want 1 - accuracy = %v", merr, ok, 1-accuracy(probs, yv))
	}
	if n, err := b.Rounds(); err != nil || n != 20 {
		t.Errorf("Rounds: %d, %v", n, err)
	}
	// Fewer rounds predict differently, and a slice of the first rounds predicts as they do.
	five, _, err := b.Predict(dtest, 5)
	if err != nil {
		t.Fatal(err)
	}
	if equal(five, probs) {
		t.Error("predictions of 5 rounds equal those of 20")
	}
	s, err := b.Slice(0, 5)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sliced, _, err := s.Predict(dtest, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !equal(sliced, five) {
		t.Error("the slice of rounds [0, 5) predicts differently from 5 rounds of the full model")
	}
	if n, _ := s.Rounds(); n != 5 {
		t.Errorf("slice holds %d rounds, want 5", n)
	}
	if _, err := b.Slice(0, 30); err == nil {
		t.Error("slice beyond the model's rounds: no error")
	}
}

func equal(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSaveLoadRoundTrip(t *testing.T) {
	xt, yt := blobs(900, 3)
	xv, _ := blobs(300, 4)
	dtrain, dtest := matrix(t, xt, yt), matrix(t, xv, nil)
	b := train(t, params(), dtrain, 8)
	want, _, err := b.Predict(dtest, 0)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "model.json")
	if err := b.Save(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version []int `json:"version"`
		Learner struct {
			Objective struct {
				Name string `json:"name"`
			} `json:"objective"`
			GradientBooster struct {
				Model struct {
					Trees []json.RawMessage `json:"trees"`
				} `json:"model"`
			} `json:"gradient_booster"`
		} `json:"learner"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s is not JSON: %v", path, err)
	}
	if len(doc.Version) != 3 || doc.Learner.Objective.Name != "multi:softprob" || len(doc.Learner.GradientBooster.Model.Trees) != 8*3 {
		t.Errorf("model file: version %v, objective %q, %d trees; want 3 numbers, multi:softprob, 24 trees",
			doc.Version, doc.Learner.Objective.Name, len(doc.Learner.GradientBooster.Model.Trees))
	}
	loaded, err := xgboost.LoadBooster(path)
	if err != nil {
		t.Fatal(err)
	}
	defer loaded.Close()
	got, _, err := loaded.Predict(dtest, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !equal(got, want) {
		t.Error("the loaded model predicts differently")
	}
	again, err := loaded.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, data) {
		t.Error("saving the loaded model gives another file")
	}
	if _, err := xgboost.LoadBooster(filepath.Join(t.TempDir(), "missing.json")); err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("missing file: %v", err)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"not": "a model"}`), 0o644)
	if _, err := xgboost.LoadBooster(bad); err == nil || !strings.Contains(err.Error(), "bad.json") {
		t.Errorf("not a model: %v", err)
	}
}

// TestSubsamplingReproducible trains the same subsampled model on several goroutines at once:
// every booster keeps XGBoost's per-thread random generator on its own thread, so all agree.
func TestSubsamplingReproducible(t *testing.T) {
	xt, yt := blobs(1200, 5)
	xv, _ := blobs(300, 6)
	dtrain, dtest := matrix(t, xt, yt), matrix(t, xv, nil)
	p := params(xgboost.Param{Name: "subsample", Value: "0.5"}, xgboost.Param{Name: "colsample_bynode", Value: "0.5"})
	const runs = 4
	preds := make([][]float32, runs)
	var wg sync.WaitGroup
	for r := 0; r < runs; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, err := xgboost.NewBooster(p, dtrain)
			if err != nil {
				t.Error(err)
				return
			}
			defer b.Close()
			for i := 0; i < 10; i++ {
				if err := b.Update(i, dtrain); err != nil {
					t.Error(err)
					return
				}
			}
			preds[r], _, _ = b.Predict(dtest, 0)
		}()
	}
	wg.Wait()
	for r := 1; r < runs; r++ {
		if !equal(preds[r], preds[0]) {
			t.Errorf("run %d predicts differently from run 0 with the same seed", r)
		}
	}
	other := train(t, params(xgboost.Param{Name: "subsample", Value: "0.5"}, xgboost.Param{Name: "colsample_bynode", Value: "0.5"},
		xgboost.Param{Name: "seed", Value: "8"}), dtrain, 10)
	o, _, err := other.Predict(dtest, 0)
	if err != nil {
		t.Fatal(err)
	}
	if equal(o, preds[0]) {
		t.Error("another seed gives the same subsampled model")
	}
}

func TestErrors(t *testing.T) {
	if _, err := xgboost.NewDMatrix(make([]float32, 5), 2, 3); err == nil {
		t.Error("5 values for 2 x 3: no error")
	}
	x, y := blobs(30, 7)
	m := matrix(t, x, y)
	if err := m.SetLabels(y[:10]); err == nil {
		t.Error("10 labels for 30 rows: no error")
	}
	b, err := xgboost.NewBooster([]xgboost.Param{{"objective", "multi:softprob"}, {"num_class", "3"}, {"max_depth", "-2"}}, m)
	if err == nil {
		// XGBoost checks some values when it configures, at the first update.
		err = b.Update(0, m)
		b.Close()
	}
	if err == nil || !strings.Contains(err.Error(), "max_depth") {
		t.Errorf("max_depth -2: error %v, want XGBoost's message naming max_depth", err)
	}
	b = train(t, params(), m, 1)
	if _, _, err := b.Eval(0, []*xgboost.DMatrix{m}, nil); err == nil {
		t.Error("eval without names: no error")
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, _, err := b.Predict(m, 0); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("predict with a closed booster: %v", err)
	}
	m.Close()
	if err := m.Close(); err != nil {
		t.Errorf("second DMatrix Close: %v", err)
	}
}
