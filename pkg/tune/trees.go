package tune

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/trees"
)

// TreePoint is one setting of the searched hyperparameters of a tree ensemble; the others keep
// models.DefaultTreeConfig's values, except early stopping, which is off: the held-out fold
// that scores a point must not also choose its rounds.
type TreePoint struct {
	Kind      models.Kind `json:"kind"` // models.KindXGBoost or models.KindRF
	MaxDepth  int         `json:"max_depth"`
	Eta       float64     `json:"eta"`
	Rounds    int         `json:"rounds"`
	Subsample float64     `json:"subsample"`
}

// isTree reports whether the point is a tree ensemble's (Point.Trees set).
func (p Point) isTree() bool { return p.Trees.Kind != "" }

// String renders the point as "xgboost depth 6 eta 0.3 rounds 100 subsample 0.8".
func (t TreePoint) String() string {
	return fmt.Sprintf("%s depth %d eta %s rounds %d subsample %s", t.Kind, t.MaxDepth, fmtFloat(t.Eta), t.Rounds, fmtFloat(t.Subsample))
}

// key identifies the point in Key, e.g. "xgboost-d6-eta0.3-r100-ss0.8".
func (t TreePoint) key() string {
	return fmt.Sprintf("%s-d%d-eta%s-r%d-ss%s", t.Kind, t.MaxDepth, fmtFloat(t.Eta), t.Rounds, fmtFloat(t.Subsample))
}

// model is the ensemble of the point.
func (t TreePoint) model() models.Config {
	c := models.DefaultConfig(t.Kind)
	if c.Trees != nil {
		c.Trees.MaxDepth, c.Trees.Eta, c.Trees.Rounds, c.Trees.Subsample = t.MaxDepth, t.Eta, t.Rounds, t.Subsample
		c.Trees.EarlyStopping = 0
	}
	return c
}

func fmtFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// TreeGrid lists the values tried for each hyperparameter of a tree ensemble; its points are
// the Cartesian product. As a JSON file (ReadSpace) it names the ensemble:
//
//	{"model": "xgboost", "max_depth": [4, 6, 8], "eta": [0.1, 0.3], "rounds": [50, 100],
//	 "subsample": [0.8, 1]}
type TreeGrid struct {
	Model     models.Kind `json:"model"`
	MaxDepth  []int       `json:"max_depth"`
	Eta       []float64   `json:"eta"`
	Rounds    []int       `json:"rounds"`
	Subsample []float64   `json:"subsample"`
}

// DefaultTreeGrid is a search around the original's setting of kind: for xgboost depths 4, 6
// and 8, eta 0.1 and 0.3, 50 and 100 rounds, subsample 0.8 and 1 (24 points); for rf depths 6,
// 8, 10 and 12 and subsample 0.6 and 0.8, one round of eta 1 (8 points).
func DefaultTreeGrid(kind models.Kind) TreeGrid {
	if kind == models.KindRF {
		return TreeGrid{Model: kind, MaxDepth: []int{6, 8, 10, 12}, Eta: []float64{1}, Rounds: []int{1}, Subsample: []float64{0.6, 0.8}}
	}
	return TreeGrid{Model: kind, MaxDepth: []int{4, 6, 8}, Eta: []float64{0.1, 0.3}, Rounds: []int{50, 100}, Subsample: []float64{0.8, 1}}
}

// Validate reports a grid that names no tree ensemble, an empty list, a value out of range or
// a value listed twice.
func (g TreeGrid) Validate() error {
	if !g.Model.Tree() {
		return fmt.Errorf("tune: tree grid: model %q is not a tree ensemble (%s or %s)", g.Model, models.KindXGBoost, models.KindRF)
	}
	ints := map[string][]int{"max_depth": g.MaxDepth, "rounds": g.Rounds}
	floats := map[string][]float64{"eta": g.Eta, "subsample": g.Subsample}
	for _, name := range []string{"max_depth", "eta", "rounds", "subsample"} {
		n := len(ints[name]) + len(floats[name])
		if n == 0 {
			return fmt.Errorf("tune: tree grid has no values for %s", name)
		}
		for i, v := range ints[name] {
			if v <= 0 || slices.Contains(ints[name][:i], v) {
				return fmt.Errorf("tune: tree grid: %s=%d is not positive or listed twice", name, v)
			}
		}
		for i, v := range floats[name] {
			if !(v > 0 && v <= 1) || slices.Contains(floats[name][:i], v) {
				return fmt.Errorf("tune: tree grid: %s=%v is not in (0, 1] or listed twice", name, v)
			}
		}
	}
	return nil
}

// Points lists every point, subsample varying fastest.
func (g TreeGrid) Points() []Point {
	var pts []Point
	for _, d := range g.MaxDepth {
		for _, e := range g.Eta {
			for _, r := range g.Rounds {
				for _, s := range g.Subsample {
					pts = append(pts, Point{Trees: TreePoint{Kind: g.Model, MaxDepth: d, Eta: e, Rounds: r, Subsample: s}})
				}
			}
		}
	}
	return pts
}

// Random draws k distinct points of the grid as Grid.Random does.
func (g TreeGrid) Random(k int, seed int64) []Point { return randomPoints(g.Points(), k, seed) }

// String renders the grid as "xgboost: max_depth [4 6] eta [0.3] ...".
func (g TreeGrid) String() string {
	return fmt.Sprintf("%s: max_depth %v eta %v rounds %v subsample %v", g.Model, g.MaxDepth, g.Eta, g.Rounds, g.Subsample)
}

// Space is a list of points to search: the HLF network's Grid or a TreeGrid.
type Space interface {
	Points() []Point
	Random(k int, seed int64) []Point
	String() string
}

// ReadSpace reads a grid file: a TreeGrid when its "model" names a tree ensemble, else a Grid
// (ReadGrid). The names "default", "xgboost" and "rf" give DefaultGrid and DefaultTreeGrid.
func ReadSpace(path string) (Space, error) {
	if k := models.Kind(path); k.Tree() {
		return DefaultTreeGrid(k), nil
	}
	if path == "default" {
		return DefaultGrid(), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("tune: read grid: %w", err)
	}
	var probe struct {
		Model models.Kind `json:"model"`
	}
	if json.Unmarshal(data, &probe) != nil || probe.Model == "" {
		return ReadGrid(path)
	}
	var g TreeGrid
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&g); err != nil {
		return nil, fmt.Errorf("tune: grid %s: decode: %w", path, err)
	}
	if err := g.Validate(); err != nil {
		return nil, fmt.Errorf("tune: grid %s: %w", path, err)
	}
	return g, nil
}

// TrainTreeFold trains job.Point's tree ensemble with trees.Train in job.Dir on one thread
// (the workers train one fold per core), predicts the held-out rows and scores them.
func TrainTreeFold(ctx context.Context, job FoldJob) (FoldScore, error) {
	if _, err := trees.Train(ctx, trees.Job{Dir: job.Dir, Model: job.Point.Model(), Seed: job.Seed, Threads: 1,
		Train: job.Train, Test: job.Test}); err != nil {
		return FoldScore{}, err
	}
	probs, err := modeldir.Predict(job.Dir, nil, modeldir.Data{HLF: job.Test.HLF})
	if err != nil {
		return FoldScore{}, err
	}
	return Score(probs, job.Test.Labels)
}

// treeResults tells whether ranked results are those of tree ensembles (all) or of the network
// (none); a mix is an error: their tables have different columns.
func treeResults(ranked []Result) (bool, error) {
	n := 0
	for _, r := range ranked {
		if r.Point.isTree() {
			n++
		}
	}
	if n > 0 && n < len(ranked) {
		return false, fmt.Errorf("tune: %d results of tree ensembles and %d of the network in one table: keep them in separate directories",
			n, len(ranked)-n)
	}
	return n > 0, nil
}

// treeTable renders the rows of tree results: the header, then one row per result with the
// given float format.
func treeTable(ranked []Result, f func(float64) string) [][]string {
	rows := [][]string{{"rank", "model", "max_depth", "eta", "rounds", "subsample",
		"auc_mean", "auc_std", "accuracy_mean", "accuracy_std", "folds", "rows", "seconds", "key"}}
	for i, r := range ranked {
		p := r.Point.Trees
		rows = append(rows, []string{strconv.Itoa(i + 1), string(p.Kind), strconv.Itoa(p.MaxDepth), fmtFloat(p.Eta),
			strconv.Itoa(p.Rounds), fmtFloat(p.Subsample), f(r.MeanAUC), f(r.StdAUC), f(r.MeanAccuracy), f(r.StdAccuracy),
			strconv.Itoa(r.Setup.Folds), strconv.Itoa(r.Rows), strconv.FormatFloat(r.Seconds, 'f', 1, 64), r.Key})
	}
	return rows
}

// markdownRows writes table rows (header first) as a Markdown table.
func markdownRows(w io.Writer, rows [][]string) error {
	var b strings.Builder
	for i, row := range rows {
		b.WriteString("| " + strings.Join(row, " | ") + " |\n")
		if i == 0 {
			b.WriteString(strings.Repeat("|---:", len(row)) + "|\n")
		}
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// printTreeTable writes the first limit tree results as PrintTable does.
func printTreeTable(w io.Writer, ranked []Result, limit int) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "rank\tmodel\tdepth\teta\trounds\tsubsample\tttbar AUC\taccuracy\ts/point\t\n")
	for i, r := range ranked[:limit] {
		p := r.Point.Trees
		fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%d\t%s\t%.4f ± %.4f\t%.4f ± %.4f\t%.1f\t\n", i+1, p.Kind, p.MaxDepth, fmtFloat(p.Eta),
			p.Rounds, fmtFloat(p.Subsample), r.MeanAUC, r.StdAUC, r.MeanAccuracy, r.StdAccuracy, r.Seconds)
	}
	if limit < len(ranked) {
		fmt.Fprintf(tw, "...\t%d more\t\t\t\t\t\t\t\t\n", len(ranked)-limit)
	}
	return tw.Flush()
}
