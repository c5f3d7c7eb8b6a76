package evaluate

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var plotDir = flag.String("plots", "", "also write the plots of the synthetic set into this folder, to look at them")

func syntheticPlotSet(t *testing.T) PlotSet {
	t.Helper()
	probs, labels := syntheticSeps(30000, [3]float64{2, 3.5, 2.7}, 8)
	curves, err := OneVsRestAll(probs, 3, labels)
	if err != nil {
		t.Fatal(err)
	}
	conf, err := NewConfusion(probs, 3, labels)
	if err != nil {
		t.Fatal(err)
	}
	h := &History{Model: "HLF classifier"}
	for e := range 12 {
		x := float64(e)
		h.Loss = append(h.Loss, 0.35+0.6/(1+x))
		h.ValLoss = append(h.ValLoss, 0.38+0.55/(1+x))
		h.Accuracy = append(h.Accuracy, 0.9-0.3/(1+x))
		h.ValAccuracy = append(h.ValAccuracy, 0.89-0.28/(1+x))
	}
	return PlotSet{
		History: h,
		ROC:     curves,
		ROCOptions: ROCPlotOptions{
			Model:        "HLF classifier",
			ReferenceAUC: map[string]float64{"ttbar": 0.9821},
			References:   []ReferencePoint{{Label: "working point", FPR: 0.1, TPR: 0.9}},
		},
		Confusion: conf,
		Model:     "HLF classifier",
	}
}

func TestWritePlots(t *testing.T) {
	set := syntheticPlotSet(t)
	dir := t.TempDir()
	paths, err := WritePlots(dir, set)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, n := range []string{"loss", "accuracy", "roc", "confusion"} {
		want = append(want, filepath.Join(dir, n+".png"), filepath.Join(dir, n+".svg"))
	}
	if strings.Join(paths, " ") != strings.Join(want, " ") {
		t.Fatalf("wrote %v, want %v", paths, want)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(want) {
		t.Errorf("folder holds %d entries, want %d (a temporary file left?)", len(entries), len(want))
	}
	for _, p := range want {
		t.Run(filepath.Base(p), func(t *testing.T) {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(p, ".png") {
				checkPNG(t, b)
			} else {
				checkSVG(t, b)
			}
		})
	}
	if *plotDir != "" {
		if _, err := WritePlots(*plotDir, set); err != nil {
			t.Fatal(err)
		}
		set.ROCOptions.LogFPR = true
		p, err := ROCPlot(set.ROC, set.ROCOptions)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := SavePlot(p, *plotDir, "roc_logfpr", 432, 360); err != nil {
			t.Fatal(err)
		}
	}
}

func checkPNG(t *testing.T, b []byte) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	bd := img.Bounds()
	if bd.Dx() < 600 || bd.Dy() < 500 {
		t.Errorf("image %dx%d, want at least 600x500", bd.Dx(), bd.Dy())
	}
	colors := map[[4]uint32]bool{}
	for y := bd.Min.Y; y < bd.Max.Y; y += 2 {
		for x := bd.Min.X; x < bd.Max.X; x += 2 {
			r, g, b, a := img.At(x, y).RGBA()
			colors[[4]uint32{r, g, b, a}] = true
		}
	}
	if len(colors) < 20 {
		t.Errorf("%d distinct colours: blank image?", len(colors))
	}
}

func checkSVG(t *testing.T, b []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	root := ""
	elements := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if root == "" {
				root = se.Name.Local
			}
			elements++
		}
	}
	if root != "svg" || elements < 20 {
		t.Errorf("root <%s> with %d elements, want <svg> with a drawing", root, elements)
	}
}

func TestPlotErrors(t *testing.T) {
	set := syntheticPlotSet(t)
	if _, err := LossPlot(History{}); err == nil {
		t.Error("LossPlot without epochs: no error")
	}
	if _, err := ROCPlot(set.ROC, ROCPlotOptions{Classes: []string{"a"}}); err == nil {
		t.Error("ROCPlot with one name for three curves: no error")
	}
	if _, err := ROCPlot([]*ROC{set.ROC[0], {}}, ROCPlotOptions{}); err == nil {
		t.Error("ROCPlot with an empty curve: no error")
	}
	if _, err := ConfusionPlot(&Confusion{}, nil, ""); err == nil {
		t.Error("ConfusionPlot of an empty matrix: no error")
	}
	if _, err := ConfusionPlot(&Confusion{Counts: [][]int{{1, 2}, {3}}}, nil, ""); err == nil {
		t.Error("ConfusionPlot of a ragged matrix: no error")
	}
}

func TestThin(t *testing.T) {
	scores, positive := selectorData(30000, 2)
	r, _ := NewROC(scores, positive)
	pts := thin(r, func(x float64) float64 { return x }, false)
	if len(pts) > 2*maxPlotPoints+2 || len(pts) < 100 {
		t.Errorf("%d points drawn for %d, want 100 to %d", len(pts), r.Len(), 2*maxPlotPoints+2)
	}
	if pts[0].X != 0 || pts[0].Y != 0 || pts[len(pts)-1].X != 1 || pts[len(pts)-1].Y != 1 {
		t.Errorf("thinned curve runs from %v to %v, want (0,0) to (1,1)", pts[0], pts[len(pts)-1])
	}
}
