package tune

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func testResult(p Point, auc ...float64) Result {
	var scores []FoldScore
	for _, a := range auc {
		scores = append(scores, FoldScore{AUC: a, Accuracy: a / 2})
	}
	return NewResult(p, tinySetup(), scores, 90, 1.5)
}

func TestNewResult(t *testing.T) {
	r := testResult(Point{BatchSize: 8, Epochs: 1, Hidden: [3]int{3, 2, 1}}, 0.8, 0.9, 1.0)
	if math.Abs(r.MeanAUC-0.9) > 1e-12 || math.Abs(r.StdAUC-math.Sqrt(0.02/3)) > 1e-12 {
		t.Errorf("AUC %v ± %v, want 0.9 ± %v", r.MeanAUC, r.StdAUC, math.Sqrt(0.02/3))
	}
	if math.Abs(r.MeanAccuracy-0.45) > 1e-12 {
		t.Errorf("accuracy %v, want 0.45", r.MeanAccuracy)
	}
}

func TestResultLogTornLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), ResultsFile)
	pts := smallGrid().Points()
	log, old, err := OpenResultLog(path)
	mustRun(t, err)
	if len(old) != 0 {
		t.Fatalf("new log holds %d results", len(old))
	}
	mustRun(t, log.Append(testResult(pts[0], 0.7, 0.8)))
	mustRun(t, log.Append(testResult(pts[1], 0.6, 0.5)))
	mustRun(t, log.Close())

	// A crash in the middle of an append leaves a line without its newline.
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	mustRun(t, err)
	f.WriteString(`{"key":"b16-e1-h8.6`)
	f.Close()

	got, err := ReadResults(path)
	mustRun(t, err)
	if len(got) != 2 || got[1].Key != Key(pts[1], tinySetup()) || got[0].AUC[1] != 0.8 {
		t.Fatalf("read %d results %+v, want the 2 complete ones", len(got), got)
	}
	log, old, err = OpenResultLog(path)
	mustRun(t, err)
	if len(old) != 2 {
		t.Fatalf("reopened log holds %d results, want 2", len(old))
	}
	mustRun(t, log.Append(testResult(pts[2], 0.9, 0.9)))
	mustRun(t, log.Close())
	got, err = ReadResults(path)
	mustRun(t, err)
	if len(got) != 3 || got[2].Key != Key(pts[2], tinySetup()) {
		t.Fatalf("after reopening and appending: %d results, want 3 (the torn line cut off)", len(got))
	}
}

func TestReadResultsErrors(t *testing.T) {
	good := `{"key":"b16-e1-h8.6.4-k3-f1-s7","point":{"batch_size":16,"epochs":1,"hidden":[8,6,4]},"setup":{"folds":3,"fraction":1,"seed":7}}`
	for _, tc := range []struct{ name, content, err string }{
		{"bad middle line", good + "\n{oops\n" + good + "\n", "line 2"},
		{"key mismatch", strings.Replace(good, `"epochs":1`, `"epochs":2`, 1) + "\n", "does not match"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), ResultsFile)
			mustRun(t, os.WriteFile(path, []byte(tc.content), 0o644))
			_, err := ReadResults(path)
			if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), path) {
				t.Fatalf("error %v, want one naming %s and %q", err, path, tc.err)
			}
		})
	}
	if r, err := ReadResults(filepath.Join(t.TempDir(), "none")); err != nil || r != nil {
		t.Errorf("missing log: %v, %v; want no results and no error", r, err)
	}
}

func TestRank(t *testing.T) {
	pts := smallGrid().Points()
	rs := []Result{testResult(pts[0], 0.7), testResult(pts[1], 0.9), testResult(pts[2], 0.8)}
	got := Rank(rs)
	if got[0].Key != rs[1].Key || got[1].Key != rs[2].Key || got[2].Key != rs[0].Key {
		t.Errorf("ranked %s %s %s", got[0].Key, got[1].Key, got[2].Key)
	}
	if rs[0].Key != Key(pts[0], tinySetup()) {
		t.Error("Rank reordered its input")
	}
}

func TestScore(t *testing.T) {
	// Row 0 ttbar scores highest, row 2 (ttbar) is scored below row 1 (qcd): AUC 3/4.
	probs := []float32{0.1, 0.8, 0.1, 0.3, 0.6, 0.1, 0.5, 0.4, 0.1, 0.1, 0.2, 0.7}
	s, err := Score(probs, []int{1, 0, 1, 2})
	mustRun(t, err)
	if s.AUC != 0.75 || s.Accuracy != 0.5 {
		t.Errorf("score %+v, want AUC 0.75 accuracy 0.5", s)
	}
}
