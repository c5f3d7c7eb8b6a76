// Package notebooks_test executes the project's notebooks headless with Jupyter's nbconvert
// and the GoNB kernel, in order, sharing one work directory, and checks their outputs.
package notebooks_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	kernelext "github.com/godltrigger/godltrigger/kernel-ext"
)

const jupyter = "/usr/bin/jupyter"

// want is what an executed notebook must show.
type want struct {
	name   string // file name without .ipynb
	images int    // image/png outputs, at least
	tables int    // HTML tables, at least
	texts  []string
}

// order is the order the notebooks run in: each may use the outputs of those before it.
var order = []want{
	{name: "1-DataIngestion", images: 2, tables: 3, texts: []string{"Ingestion summary", "HT", "LepIsEle", "✔"}},
	{name: "2-FeaturePreparation", images: 1, tables: 2, texts: []string{"Feature preparation summary", "HLF_input", "encoded_label"}},
	{name: "3-HyperparameterSearch", images: 0, tables: 1, texts: []string{"Hyperparameter search", "mean AUC"}},
	{name: "4a-Training-HLF", images: 1, tables: 1, texts: []string{"HLF classifier", "validation"}},
	{name: "4b-Training-ParticleSequence", images: 1, tables: 1, texts: []string{"validation"}},
	{name: "4c-Training-Inclusive", images: 1, tables: 1, texts: []string{"validation"}},
	{name: "4e-Training-Inclusive-LSTM", images: 1, tables: 1, texts: []string{"validation", "Inclusive classifier (LSTM)", "LSTMUnits:50"}},
	{name: "4f-Training-Inclusive-Transformer", images: 2, tables: 2, texts: []string{"validation",
		"/attention/query/kernel", "17178 parameters with 20 particles", "13378 parameters with 20 particles"}},
	treesWant(),
	{name: "5-Distributed-Training", images: 1, tables: 1, texts: []string{"mpirun", "2 MPI ranks", "validation"}},
	{name: "6-Evaluate-ROC-and-ConfusionMatrix", images: 3, tables: 2, texts: []string{"ROC AUC", "accuracy"}},
}

// treesWant is what notebook 4d shows: the ensembles beside the HLF network, or, without
// XGBoost's library, why it skipped.
func treesWant() want {
	w := want{name: "4d-Training-Trees-HLF"}
	if _, err := os.Stat(kernelext.XGBoostHeader); err != nil {
		w.texts = []string{"Skipped:", "scripts/install-xgboost.sh"}
		return w
	}
	w.images, w.tables = 2, 3
	w.texts = []string{"XGBoost classifier", "Random forest classifier", "HLF classifier", "from probabilities", "0.9205", "kept"}
	return w
}

type notebook struct {
	Cells []struct {
		CellType string          `json:"cell_type"`
		Source   json.RawMessage `json:"source"`
		Outputs  []struct {
			OutputType string                     `json:"output_type"`
			Data       map[string]json.RawMessage `json:"data"`
			Text       json.RawMessage            `json:"text"`
			EName      string                     `json:"ename"`
			EValue     string                     `json:"evalue"`
			Traceback  []string                   `json:"traceback"`
		} `json:"outputs"`
	} `json:"cells"`
}

// TestNotebooksExecute runs every notebook of order with nbconvert. It needs /usr/bin/jupyter
// (Debian jupyter-nbconvert) and gonb and goimports (scripts/install-notebooks.sh installs
// them all); it skips without them. Set DLTRIGGER_NOTEBOOK_SHOTS to a directory to also
// get an HTML rendering and a Chromium screenshot of each notebook there.
func TestNotebooksExecute(t *testing.T) {
	if testing.Short() {
		t.Skip("executing the notebooks takes a few minutes")
	}
	if _, err := os.Stat(jupyter); err != nil {
		t.Skipf("%s missing: run scripts/install-notebooks.sh (%v)", jupyter, err)
	}
	tmp := t.TempDir()
	spec, err := kernelext.InstallKernel(kernelext.KernelOptions{DataDir: filepath.Join(tmp, "jupyter"), RawError: true})
	if err != nil {
		t.Skipf("GoNB kernel not available: %v", err)
	}
	if _, err := exec.LookPath("goimports"); err != nil {
		if _, err := os.Stat(filepath.Join(filepath.Dir(readArgv0(t, spec)), "goimports")); err != nil {
			t.Skipf("goimports missing: run scripts/install-notebooks.sh")
		}
	}
	env := append(os.Environ(),
		"JUPYTER_DATA_DIR="+filepath.Join(tmp, "jupyter"),
		"JUPYTER_CONFIG_DIR="+filepath.Join(tmp, "config"),
		"JUPYTER_RUNTIME_DIR="+filepath.Join(tmp, "runtime"),
		"IPYTHONDIR="+filepath.Join(tmp, "ipython"),
		kernelext.WorkEnv+"="+filepath.Join(tmp, "work"))
	if os.Getenv("GOMLX_BACKEND") == "" {
		env = append(env, "GOMLX_BACKEND=go") // the notebooks' results are checked on the Go backend
	}
	out := filepath.Join(tmp, "executed")
	shots := os.Getenv("DLTRIGGER_NOTEBOOK_SHOTS")
	start := time.Now()
	for _, w := range order {
		ok := t.Run(w.name, func(t *testing.T) {
			src := w.name + ".ipynb"
			if _, err := os.Stat(src); err != nil {
				t.Fatalf("notebook %s: %v", src, err)
			}
			t0 := time.Now()
			cmd := exec.CommandContext(context.Background(), jupyter, "nbconvert", "--to", "notebook", "--execute",
				"--ExecutePreprocessor.timeout=300", "--output-dir", out, src)
			cmd.Env = env
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			runErr := cmd.Run()
			t.Logf("%s executed in %s", src, time.Since(t0).Round(100*time.Millisecond))
			executed := filepath.Join(out, src)
			nb, err := readNotebook(executed)
			if runErr != nil || err != nil {
				t.Fatalf("nbconvert %s: %v %v\n%s\n%s", src, runErr, err, tail(stderr.String(), 3000), errorsOf(nb))
			}
			check(t, nb, w)
			if shots != "" {
				shoot(t, executed, shots)
			}
		})
		if !ok {
			break // later notebooks use this one's outputs
		}
	}
	t.Logf("all notebooks: %s", time.Since(start).Round(100*time.Millisecond))
}

func readArgv0(t *testing.T, spec string) string {
	data, err := os.ReadFile(spec)
	if err != nil {
		t.Fatal(err)
	}
	var k kernelext.KernelSpec
	if err := json.Unmarshal(data, &k); err != nil {
		t.Fatalf("%s: %v", spec, err)
	}
	return k.Argv[0]
}

func readNotebook(path string) (*notebook, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var nb notebook
	if err := json.Unmarshal(data, &nb); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &nb, nil
}

// errorsOf lists the error outputs and stderr text of a notebook.
func errorsOf(nb *notebook) string {
	if nb == nil {
		return ""
	}
	var b strings.Builder
	for i, c := range nb.Cells {
		for _, o := range c.Outputs {
			switch {
			case o.OutputType == "error":
				fmt.Fprintf(&b, "cell %d: %s: %s\n%s\n", i, o.EName, o.EValue, strings.Join(o.Traceback, "\n"))
			case o.OutputType == "stream":
				fmt.Fprintf(&b, "cell %d: %s\n", i, text(o.Text))
			}
		}
	}
	return b.String()
}

// check fails on error outputs and on missing plots, tables or texts.
func check(t *testing.T, nb *notebook, w want) {
	t.Helper()
	if hasError(nb) {
		t.Fatalf("%s: cell errors:\n%s", w.name, errorsOf(nb))
	}
	var images, tables int
	var all strings.Builder
	for _, c := range nb.Cells {
		all.WriteString(text(c.Source))
		for _, o := range c.Outputs {
			all.WriteString(text(o.Text))
			if _, ok := o.Data["image/png"]; ok {
				images++
			}
			if h, ok := o.Data["text/html"]; ok {
				s := text(h)
				all.WriteString(s)
				tables += strings.Count(s, "<table")
				if strings.Contains(s, "<svg") {
					images++
				}
			}
		}
	}
	if images < w.images {
		t.Errorf("%s: %d plots (image/png or inline SVG), want at least %d", w.name, images, w.images)
	}
	if tables < w.tables {
		t.Errorf("%s: %d HTML tables, want at least %d", w.name, tables, w.tables)
	}
	for _, s := range w.texts {
		if !strings.Contains(all.String(), s) {
			t.Errorf("%s: output lacks %q", w.name, s)
		}
	}
}

func hasError(nb *notebook) bool {
	for _, c := range nb.Cells {
		for _, o := range c.Outputs {
			if o.OutputType == "error" {
				return true
			}
		}
	}
	return false
}

// text decodes a notebook string field: a string or a list of strings.
func text(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var l []string
	if json.Unmarshal(raw, &l) == nil {
		return strings.Join(l, "")
	}
	return ""
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// shoot renders an executed notebook to HTML in dir and, when Chromium is installed,
// screenshots it there.
func shoot(t *testing.T, executed, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(jupyter, "nbconvert", "--to", "html", "--output-dir", dir, executed)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nbconvert --to html %s: %v\n%s", executed, err, out)
	}
	html := filepath.Join(dir, strings.TrimSuffix(filepath.Base(executed), ".ipynb")+".html")
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Logf("no chromium: %s not screenshot", html)
		return
	}
	profile := t.TempDir()
	png := strings.TrimSuffix(html, ".html") + ".png"
	cmd = exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+profile, "--window-size=1200,4000", "--screenshot="+png, "file://"+html)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("chromium screenshot of %s: %v\n%s", html, err, tail(string(out), 2000))
	}
}
