package kernelext

import (
	"bytes"
	"cmp"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot/vg"

	"github.com/godltrigger/godltrigger/pkg/evaluate"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/progress"
)

// recorder is a Displayer keeping what it was sent.
type recorder struct {
	html    []string
	pngs    [][]byte
	updates map[string][]string
	syncs   int
}

func (r *recorder) DisplayHTML(h string) { r.html = append(r.html, h) }
func (r *recorder) DisplayPNG(p []byte)  { r.pngs = append(r.pngs, p) }
func (r *recorder) UpdateHTML(id, h string) {
	if r.updates == nil {
		r.updates = map[string][]string{}
	}
	r.updates[id] = append(r.updates[id], h)
}
func (r *recorder) Sync() { r.syncs++ }

func TestHistoryShowsDecodablePNGAndTable(t *testing.T) {
	rec := &recorder{}
	nb := NewWith(rec)
	h := &modeldir.History{Loss: []float64{1, 0.8, 0.6}, ValLoss: []float64{1.1, 0.9, 0.7},
		Accuracy: []float64{0.4, 0.6, 0.7}, ValAccuracy: []float64{0.35, 0.55, 0.65}}
	if err := nb.History(h, "HLF classifier"); err != nil {
		t.Fatal(err)
	}
	if len(rec.pngs) != 1 {
		t.Fatalf("%d PNG outputs, want 1", len(rec.pngs))
	}
	img, err := png.Decode(bytes.NewReader(rec.pngs[0]))
	if err != nil {
		t.Fatalf("PNG does not decode: %v", err)
	}
	// Two plots side by side, 16 cm x 10 cm each at 110 dpi.
	if b := img.Bounds(); b.Dx() < 2*b.Dy() || b.Dy() < 400 {
		t.Errorf("image %v, want two plots side by side", b)
	}
	if len(rec.html) != 1 || !strings.Contains(rec.html[0], "<table") || !strings.Contains(rec.html[0], "0.6500") {
		t.Errorf("history table missing or without the last validation accuracy: %v", rec.html)
	}
	if err := nb.History(&modeldir.History{}, "empty"); err == nil {
		t.Error("no error for a history without epochs")
	}
}

func TestROCAndConfusion(t *testing.T) {
	rec := &recorder{}
	nb := NewWith(rec)
	probs := []float64{0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.1, 0.2, 0.7, 0.6, 0.3, 0.1, 0.3, 0.3, 0.4, 0.2, 0.5, 0.3}
	labels := []int{0, 1, 2, 0, 2, 1}
	curves, err := evaluate.OneVsRestAll(probs, 3, labels)
	if err != nil {
		t.Fatal(err)
	}
	if err := nb.ROC(curves, evaluate.ROCPlotOptions{Model: "test"}); err != nil {
		t.Fatal(err)
	}
	c, err := evaluate.NewConfusion(probs, 3, labels)
	if err != nil {
		t.Fatal(err)
	}
	if err := nb.Confusion(c, nil, "test"); err != nil {
		t.Fatal(err)
	}
	if len(rec.pngs) != 2 {
		t.Fatalf("%d PNG outputs, want 2", len(rec.pngs))
	}
	if nb.Width != 16*vg.Centimeter {
		t.Errorf("Confusion left the width changed: %v", nb.Width)
	}
	if err := nb.PlotSVG(nil); err == nil {
		t.Error("no error for a nil plot")
	}
}

func TestProgressKeepsFinalState(t *testing.T) {
	rec := &recorder{}
	p := NewProgress(rec, "bar1")
	p.Show(progress.State{Step: "ingest", Unit: "events", Done: 10, Total: 100, Elapsed: time.Second}, false)
	p.Show(progress.State{Step: "ingest", Unit: "events", Done: 50, Total: 100, Elapsed: 2 * time.Second}, false)
	p.Show(progress.State{Step: "ingest", Unit: "events", Done: 100, Total: 100, Elapsed: 3 * time.Second}, true)
	for i := 1; i <= 8; i++ {
		p.Show(progress.State{Step: "epoch " + string(rune('0'+i)), Unit: "rows", Done: 5, Total: 5, Elapsed: time.Second}, true)
	}
	ups := rec.updates["bar1"]
	if len(ups) != 11 || len(rec.html) != 0 {
		t.Fatalf("%d updates of bar1 and %d new outputs, want 11 in place and none new", len(ups), len(rec.html))
	}
	if !strings.Contains(ups[1], "50.0%") || !strings.Contains(ups[1], "▶") {
		t.Errorf("running state not drawn: %s", ups[1])
	}
	last := ups[len(ups)-1]
	for _, want := range []string{"✔", "epoch 8", "3 earlier step(s) done"} {
		if !strings.Contains(last, want) {
			t.Errorf("final block lacks %q: %s", want, last)
		}
	}
	if strings.Contains(last, "▶") || strings.Contains(last, ">ingest<") {
		t.Errorf("final block still shows a running or a dropped step: %s", last)
	}
	if p.HTML() != last {
		t.Error("HTML differs from the last update")
	}
}

func TestTableEscapesAndAligns(t *testing.T) {
	tb := &Table{Caption: "a<b", Header: []string{"name", "value"}}
	tb.Add("<script>", "0.25")
	h := tb.HTML()
	if strings.Contains(h, "<script>") || !strings.Contains(h, "&lt;script&gt;") || !strings.Contains(h, "a&lt;b") {
		t.Errorf("not escaped: %s", h)
	}
	if !strings.Contains(h, "text-align:right;font-family:monospace\">0.25") {
		t.Errorf("number not right-aligned: %s", h)
	}
	for _, c := range []struct {
		s    string
		want bool
	}{{"12", true}, {"-1.5e3", true}, {"0.1 – 0.2", false}, {"qcd", false}, {"", false}, {"50%", true}} {
		if got := numeric(c.s); got != c.want {
			t.Errorf("numeric(%q) = %v, want %v", c.s, got, c.want)
		}
	}
	if err := NewWith(&recorder{}).KeyValues("odd", "a"); err == nil {
		t.Error("no error for an odd number of arguments")
	}
}

func TestInstallKernel(t *testing.T) {
	gonb := filepath.Join(t.TempDir(), "bin", "gonb")
	if err := os.MkdirAll(filepath.Dir(gonb), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(gonb, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"PATH": "/usr/bin", "KRB5CCNAME": "FILE:/tmp/krb", "HOME": "/home/u"}
	for _, c := range []struct {
		name     string
		opt      KernelOptions
		env      map[string]string
		dir      string // under the temp root
		backend  string
		rawError bool
	}{
		{name: "prefix", opt: KernelOptions{Prefix: "P"}, dir: "P/share/jupyter/kernels/gonb", backend: ""},
		{name: "data dir raw errors", opt: KernelOptions{DataDir: "D", RawError: true}, dir: "D/kernels/gonb", backend: "", rawError: true},
		{name: "backend from env", opt: KernelOptions{DataDir: "E"}, env: map[string]string{"GOMLX_BACKEND": "xla:cpu",
			"ONNXRUNTIME_SHARED_LIBRARY_PATH": "/lib/ort.so", "GOEXPERIMENT": "simd,other"}, dir: "E/kernels/gonb", backend: "xla:cpu"},
		{name: "user", opt: KernelOptions{}, env: map[string]string{"HOME": "H"}, dir: "H/.local/share/jupyter/kernels/gonb", backend: ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			e := map[string]string{}
			for k, v := range env {
				e[k] = v
			}
			for k, v := range c.env {
				e[k] = v
			}
			if e["HOME"] == "H" {
				e["HOME"] = filepath.Join(root, "H")
			}
			o := c.opt
			if o.Prefix != "" {
				o.Prefix = filepath.Join(root, o.Prefix)
			}
			if o.DataDir != "" {
				o.DataDir = filepath.Join(root, o.DataDir)
			}
			o.Gonb = gonb
			o.Getenv = func(k string) string { return e[k] }
			o.Environ = func() []string { return []string{"XRD_REQUESTTIMEOUT=60", "OTHER=1", "XRD_NETWORKSTACK=IPv4"} }
			path, err := InstallKernel(o)
			if err != nil {
				t.Fatal(err)
			}
			if want := filepath.Join(root, c.dir, "kernel.json"); path != want {
				t.Errorf("installed at %s, want %s", path, want)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var k KernelSpec
			if err := json.Unmarshal(data, &k); err != nil {
				t.Fatalf("kernel.json: %v", err)
			}
			if k.Argv[0] != gonb || k.Argv[1] != "--kernel" || k.Argv[2] != "{connection_file}" || k.Language != "go" {
				t.Errorf("argv %v language %q", k.Argv, k.Language)
			}
			if got := strings.Contains(strings.Join(k.Argv, " "), "--raw_error"); got != c.rawError {
				t.Errorf("--raw_error in argv: %v, want %v", got, c.rawError)
			}
			if k.Env["GOMLX_BACKEND"] != c.backend {
				t.Errorf("GOMLX_BACKEND %q, want %q", k.Env["GOMLX_BACKEND"], c.backend)
			}
			if want := c.env["ONNXRUNTIME_SHARED_LIBRARY_PATH"]; k.Env["ONNXRUNTIME_SHARED_LIBRARY_PATH"] != want {
				t.Errorf("ONNXRUNTIME_SHARED_LIBRARY_PATH %q, want %q", k.Env["ONNXRUNTIME_SHARED_LIBRARY_PATH"], want)
			}
			if want := cmp.Or(c.env["GOEXPERIMENT"], "simd"); k.Env["GOEXPERIMENT"] != want {
				t.Errorf("GOEXPERIMENT %q, want %q", k.Env["GOEXPERIMENT"], want)
			}
			delete(k.Env, "GOEXPERIMENT")
			delete(k.Env, "ONNXRUNTIME_SHARED_LIBRARY_PATH")
			if k.Env["XRD_REQUESTTIMEOUT"] != "60" || k.Env["XRD_NETWORKSTACK"] != "IPv4" || k.Env["OTHER"] != "" || k.Env["KRB5CCNAME"] != "FILE:/tmp/krb" {
				t.Errorf("env %v: want the XRD_* variables and KRB5CCNAME only", k.Env)
			}
			if !strings.HasPrefix(k.Env["PATH"], filepath.Dir(gonb)+":") {
				t.Errorf("PATH %q does not start with gonb's directory", k.Env["PATH"])
			}
			if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".kernel.json-*")); len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
	if _, err := InstallKernel(KernelOptions{DataDir: t.TempDir(), Gonb: filepath.Join(t.TempDir(), "missing")}); err == nil || !strings.Contains(err.Error(), "install-notebooks.sh") {
		t.Errorf("missing gonb: error %v, want one pointing at the install script", err)
	}
}
