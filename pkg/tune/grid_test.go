package tune

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestDefaultGrid(t *testing.T) {
	g := DefaultGrid()
	pts := g.Points()
	if len(pts) != 243 || g.Size() != 243 {
		t.Fatalf("default grid has %d points (Size %d), want 243", len(pts), g.Size())
	}
	keys := map[string]bool{}
	for _, p := range pts {
		keys[Key(p, DefaultSetup())] = true
	}
	if len(keys) != 243 {
		t.Fatalf("%d distinct keys, want 243", len(keys))
	}
	if first := pts[0]; first != (Point{BatchSize: 64, Epochs: 10, Hidden: [3]int{50, 20, 10}}) {
		t.Errorf("first point %v, want the published model with batch 64 and 10 epochs", first)
	}
	if last := pts[242]; last != (Point{BatchSize: 200, Epochs: 50, Hidden: [3]int{150, 100, 50}}) {
		t.Errorf("last point %v", last)
	}
}

func TestParseGrid(t *testing.T) {
	for _, tc := range []struct {
		name, json string
		size       int
		err        string
	}{
		{"ok", `{"batch_size":[64,100],"epochs":[10],"nh_1":[50],"nh_2":[20,50,100],"nh_3":[10]}`, 6, ""},
		{"missing list", `{"batch_size":[64],"epochs":[10],"nh_1":[50],"nh_2":[20]}`, 0, "no values for nh_3"},
		{"unknown key", `{"batch_size":[64],"epochs":[10],"nh_1":[50],"nh_2":[20],"nh_3":[10],"lr":[1]}`, 0, "unknown field"},
		{"zero", `{"batch_size":[0],"epochs":[10],"nh_1":[50],"nh_2":[20],"nh_3":[10]}`, 0, "not positive"},
		{"repeated", `{"batch_size":[64],"epochs":[10,10],"nh_1":[50],"nh_2":[20],"nh_3":[10]}`, 0, "epochs=10 twice"},
		{"not json", `batch_size: [64]`, 0, "decode"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := ParseGrid([]byte(tc.json))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(g.Points()) != tc.size {
				t.Errorf("%d points, want %d", len(g.Points()), tc.size)
			}
		})
	}
}

func TestReadGrid(t *testing.T) {
	path := filepath.Join(t.TempDir(), "grid.json")
	mustRun(t, os.WriteFile(path, []byte(`{"batch_size":[32],"epochs":[2],"nh_1":[8],"nh_2":[4],"nh_3":[2,3]}`), 0o644))
	g, err := ReadGrid(path)
	mustRun(t, err)
	if g.Size() != 2 {
		t.Errorf("grid %v has %d points, want 2", g, g.Size())
	}
	if g, err := ReadGrid("default"); err != nil || g.Size() != 243 {
		t.Errorf("ReadGrid(default) = %d points, %v", g.Size(), err)
	}
	if _, err := ReadGrid(filepath.Join(t.TempDir(), "none.json")); err == nil || !strings.HasPrefix(err.Error(), "tune: read grid") {
		t.Errorf("missing file: error %v", err)
	}
}

func TestRandom(t *testing.T) {
	g := DefaultGrid()
	a, b := g.Random(20, 5), g.Random(20, 5)
	if !slices.Equal(a, b) {
		t.Fatal("the same seed drew different points")
	}
	seen := map[Point]bool{}
	all := map[Point]bool{}
	for _, p := range g.Points() {
		all[p] = true
	}
	for _, p := range a {
		if seen[p] || !all[p] {
			t.Fatalf("point %v repeated or outside the grid", p)
		}
		seen[p] = true
	}
	if slices.Equal(a, g.Random(20, 6)) {
		t.Error("different seeds drew the same points")
	}
	if n := len(g.Random(1000, 1)); n != 243 {
		t.Errorf("k above the grid size drew %d points, want 243", n)
	}
}

func TestShardPoints(t *testing.T) {
	pts := smallGrid().Points()
	var union []Point
	for i := 0; i < 3; i++ {
		union = append(union, ShardPoints(pts, i, 3)...)
	}
	if len(union) != len(pts) {
		t.Fatalf("3 shards hold %d points, want %d", len(union), len(pts))
	}
	for _, p := range pts {
		if !slices.Contains(union, p) {
			t.Errorf("point %v in no shard", p)
		}
	}
}

func ExampleKey() {
	p := DefaultGrid().Points()[0]
	fmt.Println(p)
	fmt.Println(Key(p, DefaultSetup()))
	// Output:
	// batch 64 epochs 10 hidden 50-20-10
	// b64-e10-h50.20.10-k5-f0.02-s42
}
