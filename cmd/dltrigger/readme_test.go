package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/shellwords"
)

// The documents whose dltrigger command lines are checked against the code, relative to the
// repository root, in the order their commands run (later ones use earlier outputs).
var docFiles = []string{"README.md", "data/README.md", "deploy/README.md", "deploy/slurm/README.md",
	"deploy/kubernetes/README.md", "bench/README.md"}

// docLine is one dltrigger command line of a document.
type docLine struct {
	Where  string   // file:line
	Text   string   // as written, continuation lines joined
	Args   []string // the words after dltrigger
	Inline bool     // from a `code span` in the text, not from a code block
}

// The lines of code blocks run as written, on small generated data, except these, which
// are only checked ('dltrigger check': command, flags, arguments, required flags).
var staticOnly = map[string]string{
	"download testUndersampled_HLF_features.parquet trainUndersampled_HLF_features.parquet --dir data":                                                         "needs the network (CERN's web server)",
	"download trainUndersampled_HLF_features.parquet testUndersampled_HLF_features.parquet --dir data":                                                         "needs the network (CERN's web server)",
	"train --model xgboost --train prepared/trainUndersampled_HLF_features.parquet --test prepared/testUndersampled_HLF_features.parquet --out models/xgboost": "needs a binary built with -tags xgboost (TestTreesCommands runs it under the tag)",
}

// Code spans in the text are mentions, often partial ("dltrigger prepare --parts N"), and so
// are lines with "...", among them those that need EOS ("ingest --sample
// ttbar='root://eospublic.cern.ch//eos/...' ...") or MPI ("mpirun -np N dltrigger train
// --distributed mpi ..."): their command must exist and every flag they name must be in the
// command's --help. "dltrigger <cmd> --help" runs --help of every command. These complete
// code spans run as well.
var inlineRuns = map[string]bool{
	"export --model models/inclusive --onnx inclusive.onnx": true,
	"tune --train prepared --workers 2 --out tuning":        true,
}

// substitutions make the documented commands small enough for a test: each replaces text
// in the command line (the words after dltrigger, joined by spaces) before it runs, and must
// match at least one line.
var substitutions = []struct{ old, new, why string }{
	{"demo --quick", "demo --quick --events 300", "300 events per class instead of 2000"},
	{"generate --out events --events 3000", "generate --out events --events 300", "300 events per class instead of 3000"},
	{"generate --out events --events 6000", "generate --out events --events 300", "300 events per class instead of 6000"},
	{"--out m --epochs 4", "--out m --epochs 1", "one epoch instead of 4"},
	{"--out mb --epochs 4", "--out mb --epochs 1", "one epoch instead of 4"},
	{"--epochs 20", "--epochs 1", "one epoch instead of 20"},
	{"--out models/published-hlf", "--out models/published-hlf --epochs 1", "one epoch instead of 5"},
	{"--class ttbar --threshold 0.9", "--class ttbar --threshold 0.9 --once --settle 0 --quiet", "decide the files present, then exit, instead of serving until interrupted"},
	{"root ls FILE.root", "root ls events/qcd/qcd_0000.root", "FILE.root: a generated file"},
	{"root dump FILE.root", "root dump events/qcd/qcd_0000.root", "FILE.root: a generated file"},
	{"parquet schema DIR", "parquet schema ingested", "DIR: the ingested dataset"},
	{"parquet head DIR", "parquet head ingested", "DIR: the ingested dataset"},
	{"tune --train prepared --workers 2 --out tuning", "tune --train prepared --workers 2 --out tuning --grid grid.json --folds 2 --fraction 1", "a 2-point grid, 2 folds, instead of 243 points and 5 folds"},
}

// fixtures are what some command lines need that no earlier line of the documents makes:
// each is made, once, before the first line naming its path runs.
var fixtures = []struct {
	path string
	why  string
	make func(t *testing.T)
}{
	{"models/inclusive", "the inclusive classifier that export and serve use; trained as the README trains models/hlf",
		func(t *testing.T) {
			runDoc(t, "train", "--model", "inclusive", "--train", "prepared/trainUndersampled_InclusiveClassifier.parquet",
				"--test", "prepared/testUndersampled_InclusiveClassifier.parquet", "--out", "models/inclusive",
				"--epochs", "1", "--max-particles", "8", "--quiet")
		}},
	{"incoming", "the watched folder of serve, with a generated ROOT file arrived",
		func(t *testing.T) {
			copyFile(t, "events/ttbar/ttbar_0000.root", "incoming/ttbar_0000.root")
		}},
	{"data/", "the downloaded datasets: the prepare output, whose datasets have the published names and schemas",
		func(t *testing.T) {
			if err := os.Symlink("prepared", "data"); err != nil {
				t.Fatal(err)
			}
		}},
	{"grid.json", "the grid of the tune substitution",
		func(t *testing.T) {
			grid := `{"batch_size": [64], "epochs": [1], "nh_1": [8], "nh_2": [4], "nh_3": [4, 6]}`
			if err := os.WriteFile("grid.json", []byte(grid), 0o644); err != nil {
				t.Fatal(err)
			}
		}},
}

// TestDocumentedCommands runs every dltrigger command line of the documents, so that a
// document that drifts from the code fails: code-block lines run as written (after the
// substitutions above) on events generated by the documents' own generate line, in a
// scratch directory; staticOnly lines and code spans are checked without running.
func TestDocumentedCommands(t *testing.T) {
	if os.Getenv("GOMLX_BACKEND") == "" {
		t.Setenv("GOMLX_BACKEND", "go")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	var lines []docLine
	for _, f := range docFiles {
		text, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		found := docCommandLines(f, string(text))
		if len(found) == 0 {
			t.Errorf("%s: no dltrigger command line found", f)
		}
		lines = append(lines, found...)
	}

	work := t.TempDir()
	t.Chdir(work)
	gonb := filepath.Join(work, "bin", "gonb") // 'kernel install' needs a GoNB binary to name
	copyFile(t, "/dev/null", gonb)
	t.Setenv("PATH", filepath.Dir(gonb)+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("JUPYTER_DATA_DIR", filepath.Join(work, "jupyter"))

	used := map[string]bool{}
	made := map[string]bool{}
	var ran, checked, mentioned int
	for _, l := range lines {
		args := l.Args
		if len(args) > 0 && args[0] == "<cmd>" { // "dltrigger <cmd> --help": every command
			for _, name := range commandNames() {
				t.Run(l.Where+" "+name, func(t *testing.T) { runDoc(t, append(strings.Fields(name), args[1:]...)...) })
			}
			mentioned++
			continue
		}
		line := strings.Join(args, " ")
		switch why, static := staticOnly[line]; {
		case static:
			t.Run(l.Where+" "+line, func(t *testing.T) {
				t.Logf("checked only: %s", why)
				runDoc(t, append([]string{"check"}, args...)...)
			})
			checked++
		case l.Inline && !inlineRuns[line], strings.Contains(line, "..."):
			t.Run(l.Where+" "+line, func(t *testing.T) { checkMention(t, args) })
			mentioned++
		default:
			for _, s := range substitutions {
				if strings.Contains(line, s.old) {
					line = strings.Replace(line, s.old, s.new, 1)
					used[s.old] = true
				}
			}
			for _, f := range fixtures {
				if !made[f.path] && mentionsPath(line, f.path) {
					made[f.path] = true
					t.Run("fixture "+f.path, f.make)
				}
			}
			t.Run(l.Where+" "+line, func(t *testing.T) { runDoc(t, strings.Fields(line)...) })
			ran++
		}
	}
	for _, s := range substitutions {
		if !used[s.old] {
			t.Errorf("substitution %q (%s) matches no documented command line", s.old, s.why)
		}
	}
	t.Logf("%d command lines run, %d checked, %d mentions", ran, checked, mentioned)
}

// TestHelpExamples checks the command lines of every command's --help ("Example:") as
// the documents' static lines are checked.
func TestHelpExamples(t *testing.T) {
	for _, name := range commandNames() {
		help := helpOf(t, name)
		_, ex, ok := strings.Cut(help, "\nExample:\n")
		if !ok {
			t.Errorf("%s --help has no example", name)
			continue
		}
		ex, _, _ = strings.Cut(ex, "\n\n")
		for _, l := range docCommandLines(name+" --help", "```\n"+ex+"\n```\n") {
			t.Run(l.Where+" "+l.Text, func(t *testing.T) {
				if strings.Contains(l.Text, "...") {
					checkMention(t, l.Args)
					return
				}
				runDoc(t, append([]string{"check"}, l.Args...)...)
			})
		}
	}
}

// runDoc runs a command line in the process and fails the test unless it exits 0.
func runDoc(t *testing.T, args ...string) {
	t.Helper()
	var errs bytes.Buffer
	var code int
	var stderr string
	stdout := fileOutput(t, &os.Stdout, func() {
		stderr = fileOutput(t, &os.Stderr, func() { code = run(context.Background(), args, &errs) })
	})
	if code != 0 {
		t.Fatalf("dltrigger %s: exit status %d\nstdout:\n%s\nstderr:\n%s%s", strings.Join(args, " "), code, stdout, stderr, errs.String())
	}
}

// helpFlagLine is a flag line of a command's --help (flag.PrintDefaults).
var helpFlagLine = regexp.MustCompile(`(?m)^  -([A-Za-z][\w-]*)`)

// checkMention checks a partial command line: its command exists and each flag it names
// is documented in the command's --help.
func checkMention(t *testing.T, args []string) {
	t.Helper()
	if args[0] == "check" { // "dltrigger check CMD ..." checks CMD ...
		if args = args[1:]; len(args) == 0 {
			return
		}
	}
	c, rest := lookup(args)
	if c == nil {
		if len(args) == 1 && len(commandsUnder(args[0])) > 0 {
			return // a group: "dltrigger root"
		}
		t.Fatalf("no command %q", strings.Join(args, " "))
	}
	documented := map[string]bool{}
	for _, m := range helpFlagLine.FindAllStringSubmatch(helpOf(t, c.Name), -1) {
		documented[m[1]] = true
	}
	for _, w := range rest {
		if w == "--" {
			break
		}
		name, _, _ := strings.Cut(strings.TrimLeft(w, "-"), "=")
		if strings.HasPrefix(w, "-") && name != "" && !documented[name] {
			t.Errorf("dltrigger %s has no flag %s (see its --help)", c.Name, w)
		}
	}
}

// docCommandLines returns the dltrigger command lines of a Markdown document: those of its
// code blocks ("$ " prompts, comments, continuation lines, pipes and && handled) and those
// of its code spans.
func docCommandLines(file, text string) []docLine {
	var out []docLine
	lines := strings.Split(text, "\n")
	inBlock := false
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if strings.HasPrefix(strings.TrimSpace(l), "```") {
			inBlock = !inBlock
			continue
		}
		where := fmt.Sprintf("%s:%d", file, i+1)
		if !inBlock {
			for _, m := range codeSpan.FindAllStringSubmatch(l, -1) {
				for _, cmd := range shellwords.Split(m[1]) {
					if args, ok := dltriggerArgs(cmd); ok {
						out = append(out, docLine{Where: where, Text: m[1], Args: args, Inline: true})
					}
				}
			}
			continue
		}
		for strings.HasSuffix(l, "\\") && i+1 < len(lines) {
			i++
			l = strings.TrimSuffix(l, "\\") + " " + strings.TrimSpace(lines[i])
		}
		l = strings.TrimPrefix(strings.TrimSpace(l), "$ ")
		for _, cmd := range shellwords.Split(l) {
			if args, ok := dltriggerArgs(cmd); ok {
				out = append(out, docLine{Where: where, Text: l, Args: args})
			}
		}
	}
	return out
}

var codeSpan = regexp.MustCompile("`([^`]+)`")

// dltriggerArgs returns the words after dltrigger when words run it: "dltrigger ...",
// "VAR=value dltrigger ...", "go run ./cmd/dltrigger ...", or under a launcher, "mpirun
// -np N ./dltrigger-mpi ...".
func dltriggerArgs(words []string) ([]string, bool) {
	i := 0
	for i < len(words) && strings.Contains(words[i], "=") && !strings.HasPrefix(words[i], "-") {
		i++ // environment assignments
	}
	if i+2 < len(words) && words[i] == "go" && words[i+1] == "run" {
		i += 2
	}
	if i < len(words) && (words[i] == "mpirun" || words[i] == "srun") {
		for i < len(words) && !isDltriggerWord(words[i]) {
			i++
		}
	}
	if i < len(words) && isDltriggerWord(words[i]) && i+1 < len(words) {
		return words[i+1:], true
	}
	return nil, false
}

func isDltriggerWord(w string) bool {
	if strings.HasSuffix(w, "/") {
		return false // the folder cmd/dltrigger/
	}
	b := filepath.Base(w)
	return b == "dltrigger" || b == "dltrigger-mpi"
}

// mentionsPath reports whether the command line names path or a path under it.
func mentionsPath(line, path string) bool {
	for _, w := range strings.Fields(line) {
		if w == strings.TrimSuffix(path, "/") || strings.HasPrefix(w, strings.TrimSuffix(path, "/")+"/") {
			return true
		}
	}
	return false
}
