package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/prep"
	"github.com/godltrigger/godltrigger/pkg/spec"
)

// runAll runs a command line and returns its exit status and everything it wrote on
// stderr: run's own messages and the flag sets' usage (os.Stderr).
func runAll(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var errs bytes.Buffer
	var code int
	usage := stderrOf(t, func() { code = run(context.Background(), args, &errs) })
	return code, usage + errs.String()
}

func TestFlagsAfterArguments(t *testing.T) {
	path := writeRootFixture(t)
	var out string
	var code int
	var errs string
	out = fileOutput(t, &os.Stdout, func() { code, errs = runAll(t, "root", "dump", path, "--json", "--events", "2") })
	if code != 0 || strings.Count(out, "\n") != 2 {
		t.Fatalf("root dump FILE --json --events 2: exit status %d, %d lines, want 0 and 2:\n%s%s", code, strings.Count(out, "\n"), out, errs)
	}
	// Flags between the arguments, and "--" ending the flags: "-x.root" is a file.
	dash := filepath.Join(t.TempDir(), "-x.root")
	copyFile(t, path, dash)
	dir := filepath.Dir(dash)
	t.Chdir(dir)
	out = fileOutput(t, &os.Stdout, func() { code, errs = runAll(t, "root", "dump", "--json", "--", "-x.root") })
	if code != 0 || strings.Count(out, "\n") != 3 {
		t.Fatalf("root dump --json -- -x.root: exit status %d:\n%s%s", code, out, errs)
	}
	if code, errs = runAll(t, "root", "dump", path, "--", "--json"); code != 2 || !strings.Contains(errs, `"--json"`) {
		t.Fatalf("root dump FILE -- --json: exit status %d, want 2 naming the argument \"--json\":\n%s", code, errs)
	}
}

func TestGroupHelp(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want []string
	}{
		{[]string{"root", "--help"}, 0, []string{"Usage: dltrigger root <command>", "root dump", "root ls"}},
		{[]string{"parquet", "-h"}, 0, []string{"parquet head", "parquet schema"}},
		{[]string{"kernel", "--help"}, 0, []string{"kernel install"}},
		{[]string{"help", "root"}, 0, []string{"root dump", "root ls"}},
		{[]string{"root"}, 2, []string{"root dump", "root ls"}},
		{[]string{"tune", "--help"}, 0, []string{"Usage: dltrigger tune --train", "tune merge"}},
		{[]string{"help", "ingest"}, 0, []string{"Usage: dltrigger ingest", "--sample"}},
		{[]string{"help", "root", "ls"}, 0, []string{"Usage: dltrigger root ls FILE"}},
		{[]string{"help"}, 0, []string{"Commands:", "check <command>"}},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out := runAll(t, tc.args...)
			if code != tc.code {
				t.Fatalf("exit status %d, want %d:\n%s", code, tc.code, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			if strings.Contains(out, "unknown command") {
				t.Errorf("says unknown command:\n%s", out)
			}
		})
	}
}

func TestDidYouMean(t *testing.T) {
	for typed, want := range map[string]string{
		"ingst":       `did you mean "ingest"?`,
		"evalute":     `did you mean "evaluate"?`,
		"eval":        `did you mean "evaluate"?`,
		"root dmp":    `did you mean "root dump"?`,
		"rot ls":      `did you mean "root ls"?`,
		"parqet":      `did you mean "parquet"?`,
		"trian --out": `did you mean "train"?`,
	} {
		code, out := runAll(t, strings.Fields(typed)...)
		if code != 2 || !strings.Contains(out, want) {
			t.Errorf("%s: exit status %d, want 2 and %q:\n%s", typed, code, want, out)
		}
	}
	if code, out := runAll(t, "zzzz"); code != 2 || strings.Contains(out, "did you mean") {
		t.Errorf("zzzz: exit status %d, want 2 and no suggestion:\n%s", code, out)
	}
}

func TestExtraArgumentsRejected(t *testing.T) {
	d := t.TempDir()
	for _, args := range [][]string{
		{"prepare", "--in", d, "--out", d, "extra"},
		{"evaluate", "--model", d, "--test", d, "--out", d, "extra"},
		{"predict", "--model", d, "--in", d, "--out", d, "extra"},
		{"export", "--model", d, "--onnx", d, "extra"},
		{"train", "--model", "hlf", "--train", d, "--test", d, "--out", d, "extra"},
		{"tune", "--train", d, "--out", d, "extra"},
		{"root", "ls", d, "extra"},
	} {
		code, out := runAll(t, args...)
		if code != 2 || !strings.Contains(out, `"extra"`) {
			t.Errorf("%s: exit status %d, want 2 naming \"extra\":\n%s", strings.Join(args, " "), code, out)
		}
	}
}

// TestEveryCommandChecksArgumentCount gives every command that takes a fixed number of
// arguments one too many; nothing may run.
func TestEveryCommandChecksArgumentCount(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv("JUPYTER_DATA_DIR", t.TempDir())
	for _, name := range commandNames() {
		if name == "download" || name == "tune merge" { // any number of NAME|URL, RESULT_DIR
			continue
		}
		args := append(strings.Fields(name), "a1", "a2", "a3")
		code, out := runAll(t, args...)
		if code != 2 || !strings.Contains(out, `"a3"`) {
			t.Errorf("%s: exit status %d, want 2 naming the extra argument:\n%s", strings.Join(args, " "), code, out)
		}
	}
}

func TestMissingRequiredFlagsAreUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"generate", "--events", "10"},
		{"ingest", "--out", "x"},
		{"prepare", "--in", "x"},
		{"tune", "--out", "x"},
		{"tune", "merge", "a"},
		{"train", "--model", "hlf", "--train", "x"},
		{"evaluate", "--model", "x"},
		{"predict", "--model", "x"},
		{"export", "--model", "x"},
		{"serve", "--model", "x"},
		{"root", "dump", "x.root"},
	} {
		code, out := runAll(t, args...)
		if code != 2 || !strings.Contains(out, "required") || !strings.Contains(out, "Usage: dltrigger "+args[0]) {
			t.Errorf("%s: exit status %d, want 2 with what is required and the usage:\n%s", strings.Join(args, " "), code, out)
		}
	}
}

func TestCheckCommand(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"check", "predict", "--model", "m", "--test", "t", "--out", "o"}, 0, ""},
		{[]string{"check", "evaluate", "--model", "m", "--in", "t", "--out", "o"}, 0, ""},
		{[]string{"check", "train", "--model", "particle", "--max-particles", "0", "--train", "a", "--test", "b", "--out", "c"}, 0, ""},
		{[]string{"check", "train", "--model", "particle", "--max-particles", "802", "--train", "a", "--test", "b", "--out", "c"}, 2, "want 0 (all) to 801"},
		{[]string{"check", "train", "--model", "particle", "--max-particles", "-1", "--train", "a", "--test", "b", "--out", "c"}, 2, "want 0 (all) to 801"},
		{[]string{"check", "prepare", "--in", "x"}, 2, "--in and --out are required; missing --out"},
		{[]string{"check", "root", "ls", "a", "b"}, 2, `takes one FILE argument, got 2: "a" "b"`},
		{[]string{"check", "nosuch"}, 2, "unknown command"},
		{[]string{"check", "kernel", "install", "--user"}, 0, ""},
		{[]string{"check", "demo"}, 0, ""},
		{[]string{"check", "demo", "--extra-models", "inclusive-lstm,particle-lstm"}, 0, ""},
		{[]string{"check", "demo", "--extra-models", "inclusive-lstm,lstm"}, 2, `extra model "lstm": models: unknown kind`},
		{[]string{"check", "demo", "--extra-models", "inclusive"}, 2, "the demo trains it already"},
		{[]string{"check", "train", "--model", "inclusive-lstm", "--train", "a", "--test", "b", "--out", "c"}, 0, ""},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out := runAll(t, tc.args...)
			if code != tc.code || !strings.Contains(out, tc.want) {
				t.Fatalf("exit status %d, want %d and %q:\n%s", code, tc.code, tc.want, out)
			}
		})
	}
	// Aliases work and are not listed as flags of their own.
	for name, alias := range map[string]string{"predict": "test", "evaluate": "in"} {
		help := helpOf(t, name)
		if strings.Contains(help, "\n  -"+alias+" ") {
			t.Errorf("%s --help lists the alias --%s:\n%s", name, alias, help)
		}
	}
	if help := helpOf(t, "train"); !strings.Contains(help, "(0: all 801)") {
		t.Errorf("train --help does not say what --max-particles 0 means:\n%s", help)
	}
}

// repeatedPrefix returns a package or command prefix ("train: ") that appears twice in an
// error line, or "".
func repeatedPrefix(line string) string {
	seen := map[string]bool{}
	for _, seg := range strings.Split(strings.TrimPrefix(strings.TrimSpace(line), "dltrigger "), ": ") {
		if !prefixWord.MatchString(seg) {
			continue
		}
		if seen[seg] {
			return seg + ": "
		}
		seen[seg] = true
	}
	return ""
}

var prefixWord = regexp.MustCompile(`^[a-z]+$`)

func TestErrorsDoNotRepeatTheirPrefix(t *testing.T) {
	data := preparedData(t)
	hlfTrain, hlfTest := filepath.Join(data, prep.TrainHLF), filepath.Join(data, prep.TestHLF)
	model := filepath.Join(t.TempDir(), "hlf")
	runOK(t, context.Background(), "train", "--model", "hlf", "--train", hlfTrain, "--test", hlfTest, "--out", model, "--epochs", "1", "--quiet")

	// A dataset whose only row has no class.
	bad := t.TempDir()
	w, err := dataset.NewWriter(filepath.Join(bad, "part-0.parquet"), dataset.Schema{
		{Name: "HLF_input", Kind: dataset.Float64List, Width: spec.NumHLF},
		{Name: "encoded_label", Kind: dataset.Float64List, Width: 3}})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Append(make([]float64, spec.NumHLF), []float64{0, 0, 0}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"predict", "--model", model, "--in", bad, "--out", filepath.Join(out, "p.parquet"), "--quiet"}, "is not a one-hot label"},
		{[]string{"evaluate", "--model", model, "--test", bad, "--out", filepath.Join(out, "r"), "--quiet"}, "is not a one-hot label"},
		{[]string{"train", "--model", "hlf", "--train", bad, "--test", bad, "--out", filepath.Join(out, "m"), "--quiet"}, "is not a one-hot label"},
		{[]string{"train", "--model", "hlf", "--train", hlfTrain, "--test", hlfTest, "--out", model, "--quiet"}, "already holds 1 trained epochs"},
		{[]string{"tune", "--train", filepath.Join(out, "nosuch"), "--out", filepath.Join(out, "t"), "--quiet"}, "nosuch"},
	} {
		t.Run(strings.Join(tc.args[:1], " "), func(t *testing.T) {
			var code int
			var msg string
			fileOutput(t, &os.Stdout, func() { code, msg = runAll(t, tc.args...) })
			if code != 1 || !strings.Contains(msg, tc.want) {
				t.Fatalf("exit status %d, want 1 and %q:\n%s", code, tc.want, msg)
			}
			for _, l := range strings.Split(msg, "\n") {
				if strings.HasPrefix(l, "dltrigger ") {
					if p := repeatedPrefix(l); p != "" {
						t.Errorf("%q twice in %q", p, l)
					}
				}
			}
		})
	}
}

// commandNames returns the names of the registered commands, sorted.
func commandNames() []string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// helpOf returns the --help text of the command name.
func helpOf(t *testing.T, name string) string {
	t.Helper()
	var buf bytes.Buffer
	var code int
	out := fileOutput(t, &os.Stderr, func() {
		code = run(context.Background(), append(strings.Fields(name), "--help"), &buf)
	})
	if code != 0 {
		t.Fatalf("dltrigger %s --help: exit status %d\n%s%s", name, code, out, buf.String())
	}
	return out + buf.String()
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o755); err != nil {
		t.Fatal(err)
	}
}

// fileOutput returns what f writes to *file (os.Stdout or os.Stderr).
func fileOutput(t *testing.T, file **os.File, f func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := *file
	*file = w
	done := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		done <- string(b)
	}()
	defer func() { *file = saved }()
	f()
	w.Close()
	return <-done
}
