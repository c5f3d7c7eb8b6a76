package tune

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
)

// Grid lists the values tried for each hyperparameter; its points are the Cartesian product.
// As a JSON file (ReadGrid) it is one object with the five lists:
//
//	{"batch_size": [64, 100, 200], "epochs": [10, 30, 50],
//	 "nh_1": [50, 100, 150], "nh_2": [20, 50, 100], "nh_3": [10, 20, 50]}
type Grid struct {
	BatchSize []int `json:"batch_size"`
	Epochs    []int `json:"epochs"`
	NH1       []int `json:"nh_1"` // units of the first hidden Dense layer
	NH2       []int `json:"nh_2"` // units of the second
	NH3       []int `json:"nh_3"` // units of the third
}

// DefaultGrid is the published search: 3 x 3 x 3 x 3 x 3 = 243 points.
func DefaultGrid() Grid {
	return Grid{
		BatchSize: []int{64, 100, 200},
		Epochs:    []int{10, 30, 50},
		NH1:       []int{50, 100, 150},
		NH2:       []int{20, 50, 100},
		NH3:       []int{10, 20, 50},
	}
}

// ReadGrid reads a grid from a JSON file (see Grid); the name "default" gives DefaultGrid.
func ReadGrid(path string) (Grid, error) {
	if path == "default" {
		return DefaultGrid(), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return Grid{}, fmt.Errorf("tune: read grid: %w", err)
	}
	g, err := ParseGrid(data)
	if err != nil {
		return Grid{}, fmt.Errorf("tune: grid %s: %w", path, err)
	}
	return g, nil
}

// ParseGrid decodes a grid from JSON. Unknown keys, missing or empty lists, non-positive
// values and repeated values are errors.
func ParseGrid(data []byte) (Grid, error) {
	var g Grid
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&g); err != nil {
		return Grid{}, fmt.Errorf("decode: %w", err)
	}
	if err := g.Validate(); err != nil {
		return Grid{}, err
	}
	return g, nil
}

// Validate reports an empty list, a value <= 0 or a value listed twice.
func (g Grid) Validate() error {
	for _, p := range g.params() {
		if len(p.values) == 0 {
			return fmt.Errorf("tune: grid has no values for %s", p.name)
		}
		for i, v := range p.values {
			if v <= 0 {
				return fmt.Errorf("tune: grid value %d for %s is not positive", v, p.name)
			}
			if slices.Contains(p.values[:i], v) {
				return fmt.Errorf("tune: grid lists %s=%d twice", p.name, v)
			}
		}
	}
	return nil
}

type gridParam struct {
	name   string
	values []int
}

func (g Grid) params() []gridParam {
	return []gridParam{
		{"batch_size", g.BatchSize}, {"epochs", g.Epochs},
		{"nh_1", g.NH1}, {"nh_2", g.NH2}, {"nh_3", g.NH3},
	}
}

// Size is the number of points.
func (g Grid) Size() int {
	return len(g.BatchSize) * len(g.Epochs) * len(g.NH1) * len(g.NH2) * len(g.NH3)
}

// Points lists every point, the last parameter (nh_3) varying fastest. The order is part of
// the sharding contract: shard i of n takes the points i, i+n, i+2n, ...
func (g Grid) Points() []Point {
	pts := make([]Point, 0, g.Size())
	for _, b := range g.BatchSize {
		for _, e := range g.Epochs {
			for _, h1 := range g.NH1 {
				for _, h2 := range g.NH2 {
					for _, h3 := range g.NH3 {
						pts = append(pts, Point{BatchSize: b, Epochs: e, Hidden: [3]int{h1, h2, h3}})
					}
				}
			}
		}
	}
	return pts
}

// Random draws k distinct points of the grid (all of them when k >= Size), in an order and
// a choice that depend only on seed: every shard of a random search draws the same list.
func (g Grid) Random(k int, seed int64) []Point { return randomPoints(g.Points(), k, seed) }

// randomPoints draws k of the points, in an order that depends only on seed.
func randomPoints(all []Point, k int, seed int64) []Point {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x7475_6e65)) // "tune"
	rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	if k < len(all) {
		all = all[:k]
	}
	return all
}

// String renders the grid as "batch_size {64 100} epochs {10} ...".
func (g Grid) String() string {
	var parts []string
	for _, p := range g.params() {
		parts = append(parts, fmt.Sprintf("%s %v", p.name, p.values))
	}
	return strings.Join(parts, " ")
}
