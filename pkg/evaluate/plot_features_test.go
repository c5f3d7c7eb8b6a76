package evaluate

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

func TestFeatureHistograms(t *testing.T) {
	values := [][][]float64{
		{{1, 2, 3, 4}, {2.5, 3.5}, {10}}, // HT: continuous, 4 bins over [1, 10]
		{{0, 1, 1, 2}, {3, 3}, nil},      // nJets: integers, one bin per integer 0..3; no wjets
	}
	plots, err := FeatureHistograms([]string{"HT", "nJets"}, values, nil, 4)
	if err != nil {
		t.Fatal(err)
	}
	if len(plots) != 2 {
		t.Fatalf("%d plots, want 2", len(plots))
	}
	for k, tc := range []struct {
		title   string
		lo, hi  float64
		legends []string
		absent  []string
	}{
		{"HT", 1, 10, []string{"qcd", "ttbar", "wjets"}, nil},
		{"nJets", -0.5, 3.5, []string{"qcd", "ttbar"}, []string{"wjets"}},
	} {
		p := plots[k]
		if p.Title.Text != tc.title || p.X.Label.Text != tc.title || p.Y.Label.Text != "fraction of events" {
			t.Errorf("plot %d: title %q, x %q, y %q", k, p.Title.Text, p.X.Label.Text, p.Y.Label.Text)
		}
		if p.X.Min != tc.lo || p.X.Max != tc.hi {
			t.Errorf("%s: x axis [%v, %v], want the bins' [%v, %v]", tc.title, p.X.Min, p.X.Max, tc.lo, tc.hi)
		}
		wt, err := p.WriterTo(4*vg.Inch, 3*vg.Inch, "svg")
		if err != nil {
			t.Fatal(err)
		}
		var svg bytes.Buffer
		if _, err := wt.WriteTo(&svg); err != nil {
			t.Fatal(err)
		}
		for _, s := range tc.legends {
			if !strings.Contains(svg.String(), ">"+s+"<") {
				t.Errorf("%s: no legend entry %q", tc.title, s)
			}
		}
		for _, s := range tc.absent {
			if strings.Contains(svg.String(), ">"+s+"<") {
				t.Errorf("%s: legend entry %q for a class without values", tc.title, s)
			}
		}
	}
	if _, err := FeatureHistograms([]string{"HT"}, values, nil, 4); err == nil {
		t.Error("two features' values for one name: no error")
	}
	if _, err := FeatureHistograms([]string{"HT"}, values[:1], []string{"a", "b"}, 4); err == nil {
		t.Error("two class names for three classes: no error")
	}
}

func TestHistogramBins(t *testing.T) {
	tests := []struct {
		name   string
		values [][]float64
		bins   int
		edges  []float64
		counts []float64 // fractions of the first class per bin
	}{
		{"continuous", [][]float64{{1, 2, 3, 4.5}, {5}}, 4, []float64{1, 2, 3, 4, 5}, []float64{0.25, 0.25, 0.25, 0.25}},
		{"integers", [][]float64{{0, 1, 1, 2}, {3}}, 30, []float64{-0.5, 0.5, 1.5, 2.5, 3.5}, []float64{0.25, 0.5, 0.25, 0}},
		{"one value", [][]float64{{2.5, 2.5}}, 2, []float64{2.5, 3, 3.5}, []float64{1, 0}},
		{"empty", [][]float64{nil, nil}, 3, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			edges := binEdges(tc.values, tc.bins)
			if len(edges) != len(tc.edges) {
				t.Fatalf("edges %v, want %v", edges, tc.edges)
			}
			for i := range edges {
				if math.Abs(edges[i]-tc.edges[i]) > 1e-12 {
					t.Fatalf("edges %v, want %v", edges, tc.edges)
				}
			}
			if edges == nil {
				return
			}
			for i, b := range fill(tc.values[0], edges) {
				if math.Abs(b.Weight-tc.counts[i]) > 1e-12 {
					t.Errorf("bin %d [%v, %v]: %v, want %v", i, b.Min, b.Max, b.Weight, tc.counts[i])
				}
			}
		})
	}
}
