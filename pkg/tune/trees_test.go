package tune

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
)

func smallTreeGrid() TreeGrid {
	return TreeGrid{Model: models.KindXGBoost, MaxDepth: []int{2, 3}, Eta: []float64{0.3}, Rounds: []int{5}, Subsample: []float64{0.8, 1}}
}

func TestTreeGridPoints(t *testing.T) {
	g := smallTreeGrid()
	pts := g.Points()
	if len(pts) != 4 {
		t.Fatalf("%d points, want 4", len(pts))
	}
	want := Point{Trees: TreePoint{Kind: models.KindXGBoost, MaxDepth: 2, Eta: 0.3, Rounds: 5, Subsample: 1}}
	if pts[1] != want {
		t.Errorf("second point %v, want %v (subsample varies fastest)", pts[1], want)
	}
	if got := Key(pts[1], DefaultSetup()); got != "xgboost-d2-eta0.3-r5-ss1-k5-f0.02-s42" {
		t.Errorf("key %q", got)
	}
	if got := pts[1].String(); got != "xgboost depth 2 eta 0.3 rounds 5 subsample 1" {
		t.Errorf("string %q", got)
	}
	cfg := pts[1].Model()
	if cfg.Kind != models.KindXGBoost || cfg.Trees.MaxDepth != 2 || cfg.Trees.Rounds != 5 || cfg.Trees.EarlyStopping != 0 || cfg.Trees.Subsample != 1 {
		t.Errorf("model %+v %+v: want the point's values and no early stopping", cfg, cfg.Trees)
	}
	if err := pts[1].Options(9).Validate(); err != nil || pts[1].Options(9).Seed != 9 {
		t.Errorf("options of a tree point: %v", err)
	}
	if a, b := g.Random(3, 4), g.Random(3, 4); len(a) != 3 || a[0] != b[0] || a[2] != b[2] {
		t.Errorf("random draws %v and %v with one seed", a, b)
	}
	for _, k := range []models.Kind{models.KindXGBoost, models.KindRF} {
		if err := DefaultTreeGrid(k).Validate(); err != nil {
			t.Errorf("default %s grid: %v", k, err)
		}
		for _, p := range DefaultTreeGrid(k).Points() {
			if err := p.Model().Validate(); err != nil {
				t.Errorf("default %s grid, point %s: %v", k, p, err)
			}
		}
	}
}

func TestReadSpace(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		mustRun(t, os.WriteFile(path, []byte(text), 0o644))
		return path
	}
	for _, tc := range []struct {
		name, path string
		points     int
		tree       bool
		err        string
	}{
		{"default", "default", 243, false, ""},
		{"xgboost", "xgboost", 24, true, ""},
		{"rf", "rf", 8, true, ""},
		{"tree file", write("t.json", `{"model": "rf", "max_depth": [4, 6], "eta": [1], "rounds": [1], "subsample": [0.5, 0.7, 0.9]}`), 6, true, ""},
		{"network file", write("n.json", `{"batch_size":[32],"epochs":[2],"nh_1":[8],"nh_2":[4],"nh_3":[2,3]}`), 2, false, ""},
		{"not a tree", write("h.json", `{"model": "hlf", "max_depth": [4], "eta": [1], "rounds": [1], "subsample": [1]}`), 0, false, "not a tree ensemble"},
		{"eta above 1", write("e.json", `{"model": "xgboost", "max_depth": [4], "eta": [1.5], "rounds": [1], "subsample": [1]}`), 0, false, "eta=1.5"},
		{"missing list", write("m.json", `{"model": "xgboost", "max_depth": [4], "eta": [0.3], "rounds": [1]}`), 0, false, "no values for subsample"},
		{"repeated", write("r.json", `{"model": "xgboost", "max_depth": [4, 4], "eta": [0.3], "rounds": [1], "subsample": [1]}`), 0, false, "max_depth=4"},
		{"unknown key", write("u.json", `{"model": "xgboost", "max_depth": [4], "eta": [0.3], "rounds": [1], "subsample": [1], "nh_1": [2]}`), 0, false, "unknown field"},
		{"missing file", filepath.Join(dir, "none.json"), 0, false, "tune: read grid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ReadSpace(tc.path)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			mustRun(t, err)
			_, tree := s.(TreeGrid)
			if len(s.Points()) != tc.points || tree != tc.tree {
				t.Errorf("%s: %d points, tree grid %v; want %d, %v", s, len(s.Points()), tree, tc.points, tc.tree)
			}
		})
	}
}

func TestTreeTables(t *testing.T) {
	pts := smallTreeGrid().Points()
	results := []Result{testResult(pts[0], 0.8, 0.9), testResult(pts[3], 0.9, 0.95)}
	dir := t.TempDir()
	ranked, err := WriteOutputs(dir, results)
	mustRun(t, err)
	if ranked[0].Point != pts[3] {
		t.Errorf("best %v, want %v", ranked[0].Point, pts[3])
	}
	csv, err := os.ReadFile(filepath.Join(dir, TableCSVFile))
	mustRun(t, err)
	if !strings.HasPrefix(string(csv), "rank,model,max_depth,eta,rounds,subsample,auc_mean") || !strings.Contains(string(csv), "1,xgboost,3,0.3,5,1,0.9250") {
		t.Errorf("results.csv:\n%s", csv)
	}
	md, err := os.ReadFile(filepath.Join(dir, TableMarkdownFile))
	mustRun(t, err)
	if !strings.Contains(string(md), "| 1 | xgboost | 3 | 0.3 | 5 | 1 | 0.9250 |") {
		t.Errorf("results.md:\n%s", md)
	}
	var text bytes.Buffer
	mustRun(t, PrintTable(&text, ranked, 1))
	if !strings.Contains(text.String(), "xgboost") || !strings.Contains(text.String(), "1 more") {
		t.Errorf("table:\n%s", text.String())
	}
	best, err := modeldir.ReadOptionsFile(filepath.Join(dir, BestOptionsFile), "")
	mustRun(t, err)
	if best.Model.Kind != models.KindXGBoost || best.Model.Trees.MaxDepth != 3 || best.Model.Trees.EarlyStopping != 0 || best.Options.Seed != tinySetup().Seed {
		t.Errorf("best options %+v %+v", best.Model, best.Model.Trees)
	}
	// Results read back keep their tree points.
	line, _ := json.Marshal(ranked[0])
	var back Result
	mustRun(t, json.Unmarshal(line, &back))
	if back.Point != ranked[0].Point || Key(back.Point, back.Setup) != back.Key {
		t.Errorf("round trip: %+v", back.Point)
	}
	nn, _ := json.Marshal(testResult(smallGrid().Points()[0], 0.5))
	if bytes.Contains(nn, []byte("trees")) {
		t.Errorf("a network's result carries trees: %s", nn)
	}
	// A network's result and a tree ensemble's do not share a table.
	mixed := append(results, testResult(smallGrid().Points()[0], 0.7))
	if _, err := WriteOutputs(t.TempDir(), mixed); err == nil || !strings.Contains(err.Error(), "separate directories") {
		t.Errorf("mixed results: %v", err)
	}
}
