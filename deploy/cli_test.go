package deploy

import (
	"fmt"
	"os/exec"
	"path"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/shellwords"
)

// invocation is one dltrigger command line found in a deploy file.
type invocation struct {
	Cmd   string     // the sub-command, e.g. "ingest"
	Words []string   // the words after the sub-command
	Flags []flagWord // the flags among them, in order
}

// flagWord is one flag of an invocation: --name=value or --name value (value "" for a
// boolean flag).
type flagWord struct{ Name, Value string }

// value returns the value of the last use of flag name and whether it is used.
func (iv invocation) value(name string) (string, bool) {
	v, ok := "", false
	for _, f := range iv.Flags {
		if f.Name == name {
			v, ok = f.Value, true
		}
	}
	return v, ok
}

// values returns the values of every use of flag name.
func (iv invocation) values(name string) []string {
	var vs []string
	for _, f := range iv.Flags {
		if f.Name == name {
			vs = append(vs, f.Value)
		}
	}
	return vs
}

// isDltrigger reports whether a word names the dltrigger binary: dltrigger, a path ending in
// it, or the scripts' $DLTRIGGER variable.
func isDltrigger(w string) bool {
	return path.Base(w) == "dltrigger" || w == "$DLTRIGGER" || w == "${DLTRIGGER}"
}

// findInvocation returns the dltrigger command line inside words (a container's command and
// args, or a shell command), and false when it has none. Which flags are boolean comes from
// the binary's help (bools), so that "--quiet --out DIR" and "--out DIR" parse alike.
func findInvocation(words []string, bools map[string]map[string]bool) (invocation, bool) {
	for i, w := range words {
		if !isDltrigger(w) || i+1 >= len(words) {
			continue
		}
		iv := invocation{Cmd: words[i+1], Words: words[i+2:]}
		for j := 0; j < len(iv.Words); j++ {
			w := iv.Words[j]
			if !strings.HasPrefix(w, "-") || len(w) < 2 || !isLetter(strings.TrimLeft(w, "-")) {
				continue
			}
			name, val, hasVal := strings.Cut(strings.TrimLeft(w, "-"), "=")
			if !hasVal && !bools[iv.Cmd][name] && j+1 < len(iv.Words) {
				j++
				val = iv.Words[j]
			}
			iv.Flags = append(iv.Flags, flagWord{Name: name, Value: val})
		}
		return iv, true
	}
	return invocation{}, false
}

func isLetter(s string) bool {
	return s != "" && (s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z')
}

// shellWords splits a shell script into commands of words (package shellwords): comments
// dropped, backslash-newlines joined, quotes grouping words and removed, no expansion.
func shellWords(script string) [][]string { return shellwords.Script(script) }

// helpFlag is a flag line of 'dltrigger CMD --help' (flag.PrintDefaults): "  -name type" or
// "  -name" for a boolean.
var helpFlag = regexp.MustCompile(`(?m)^  -([A-Za-z][\w.-]*)( \S+)?$`)

// cliHelp caches the flags of the built binary's sub-commands.
type cliHelp struct {
	mu    sync.Mutex
	flags map[string]map[string]bool // command -> flag -> boolean
}

var helps = cliHelp{flags: map[string]map[string]bool{}}

// commandFlags returns the flags of 'dltrigger cmd' from its --help, each with whether it is
// boolean. A command without help (unknown) fails the test.
func commandFlags(t testing.TB, bin, cmd string) map[string]bool {
	t.Helper()
	helps.mu.Lock()
	defer helps.mu.Unlock()
	if f, ok := helps.flags[cmd]; ok {
		return f
	}
	args := append(strings.Fields(cmd), "--help")
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("dltrigger %s --help: %v\n%s", cmd, err, out)
	}
	flags := map[string]bool{}
	for _, m := range helpFlag.FindAllStringSubmatch(string(out), -1) {
		flags[m[1]] = m[2] == ""
	}
	if len(flags) == 0 {
		t.Fatalf("dltrigger %s --help lists no flags:\n%s", cmd, out)
	}
	helps.flags[cmd] = flags
	return flags
}

// boolFlags returns the boolean flags of the given commands, from the binary's help.
func boolFlags(t testing.TB, bin string, cmds ...string) map[string]map[string]bool {
	t.Helper()
	bools := map[string]map[string]bool{}
	for _, c := range cmds {
		bools[c] = map[string]bool{}
		for name, isBool := range commandFlags(t, bin, c) {
			if isBool {
				bools[c][name] = true
			}
		}
	}
	return bools
}

func TestShellWordsAndInvocation(t *testing.T) {
	script := "#!/bin/bash\n#SBATCH --array=0-3\n# dltrigger ingest --nope\necho \"dltrigger ingest --nope\"\n" +
		"exec \"${launch[@]}\" \"$DLTRIGGER\" ingest \\\n  --sample \"qcd=$QCD\" --quiet \\\n  --out '/data/x y' --of=3 # trailing\n"
	cmds := shellWords(script)
	if len(cmds) != 2 {
		t.Fatalf("got %d commands %q, want 2 (comments dropped, continuation joined)", len(cmds), cmds)
	}
	bools := map[string]map[string]bool{"ingest": {"quiet": true}}
	if iv, ok := findInvocation(cmds[0], bools); ok {
		t.Errorf("echo's quoted text taken as a command line: %+v", iv)
	}
	iv, ok := findInvocation(cmds[1], bools)
	if !ok {
		t.Fatalf("no invocation in %q", cmds[1])
	}
	want := []flagWord{{"sample", "qcd=$QCD"}, {"quiet", ""}, {"out", "/data/x y"}, {"of", "3"}}
	if iv.Cmd != "ingest" || fmt.Sprint(iv.Flags) != fmt.Sprint(want) {
		t.Errorf("got %s %v, want ingest %v", iv.Cmd, iv.Flags, want)
	}
}
