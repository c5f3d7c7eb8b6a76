// Command dltrigger runs the GoDLTrigger pipeline: generate or read Delphes events, ingest them
// into features, prepare the datasets, tune, train and evaluate the classifiers.
//
// Each sub-command lives in its own file and only wires flags to the packages under pkg/.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// command is one dltrigger sub-command.
type command struct {
	Name    string // e.g. "ingest" or "root ls"
	Summary string // one line for the command list
	// Run parses args (the words after the command name) and runs the command.
	Run func(ctx context.Context, args []string) error
}

var commands = map[string]*command{}

func register(c *command) {
	if _, dup := commands[c.Name]; dup {
		panic("dltrigger: command registered twice: " + c.Name)
	}
	commands[c.Name] = c
}

// newFlags returns a flag set for a sub-command whose usage text starts with usage and
// the paragraph about, and lists the commands under it ("tune merge" under "tune").
func newFlags(name, usage, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: dltrigger %s\n\n%s\n", usage, strings.TrimSpace(about))
		var n int
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprintf(w, "\nFlags:\n")
			printFlags(fs)
		}
		if sub := commandsUnder(name); len(sub) > 0 {
			fmt.Fprintf(w, "\nCommands under '%s':\n", name)
			listCommands(w, sub)
		}
	}
	return fs
}

// commandsUnder returns the names of the commands whose first words are group, sorted.
func commandsUnder(group string) []string {
	var names []string
	for n := range commands {
		if strings.HasPrefix(n, group+" ") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

func listCommands(w io.Writer, names []string) {
	for _, n := range names {
		fmt.Fprintf(w, "  %-18s %s\n", n, commands[n].Summary)
	}
}

func usage(w io.Writer) {
	fmt.Fprintf(w, `dltrigger: a particle-topology classifier for LHC trigger studies (SparkDLTrigger in Go).

Usage: dltrigger <command> [flags] [args]

Commands:
`)
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	listCommands(w, names)
	fmt.Fprintf(w, "  %-18s %s\n", "check <command>", "check a command line (command, flags, arguments) without running it")
	fmt.Fprintf(w, "\nFlags may come before or after the arguments; \"--\" ends them.\n")
	fmt.Fprintf(w, "Run 'dltrigger help <command>' or 'dltrigger <command> --help' for the flags of a command.\n")
}

// groupUsage lists the commands under group (e.g. "root").
func groupUsage(w io.Writer, group string) {
	fmt.Fprintf(w, "Usage: dltrigger %s <command> [flags] [args]\n\nCommands:\n", group)
	listCommands(w, commandsUnder(group))
	fmt.Fprintf(w, "\nRun 'dltrigger %s <command> --help' for the flags of a command.\n", group)
}

// lookup finds the command named by the first one or two words of args.
func lookup(args []string) (*command, []string) {
	if len(args) >= 2 {
		if c, ok := commands[args[0]+" "+args[1]]; ok {
			return c, args[2:]
		}
	}
	if len(args) >= 1 {
		if c, ok := commands[args[0]]; ok {
			return c, args[1:]
		}
	}
	return nil, nil
}

func isHelp(a string) bool { return a == "-h" || a == "-help" || a == "--help" || a == "help" }

// unknown explains a command line that names no command: a group without its command
// lists the group's commands (status 0 when help was asked for), anything else gets the
// closest command names and the list of commands (status 2).
func unknown(args []string, stderr io.Writer) int {
	if len(commandsUnder(args[0])) > 0 {
		if len(args) == 1 || isHelp(args[1]) {
			groupUsage(stderr, args[0])
			if len(args) == 1 {
				return 2
			}
			return 0
		}
	}
	typed := strings.Join(args[:min(2, len(args))], " ")
	if len(args) >= 2 && strings.HasPrefix(args[1], "-") {
		typed = args[0]
	}
	fmt.Fprintf(stderr, "dltrigger: unknown command %q", typed)
	if s := suggest(args); len(s) > 0 {
		fmt.Fprintf(stderr, "; did you mean %s?", joinWords(quoteAll(s), "or"))
	}
	fmt.Fprintf(stderr, "\n\n")
	usage(stderr)
	return 2
}

// suggest returns the command and group names closest to what args start with: within two
// edits (one for names of up to 4 letters) of the first word, or of the first two words for
// two-word names; a name that starts with the first word counts as one edit. A command is
// preferred to its group.
func suggest(args []string) []string {
	names := map[string]bool{}
	for n := range commands {
		names[n] = true
		if g, _, ok := strings.Cut(n, " "); ok {
			names[g] = true
		}
	}
	var best []string
	bestD := 3
	for name := range names {
		typed := args[0]
		if name == typed {
			continue // a group named right, its command wrong: suggest the group's commands
		}
		if strings.Contains(name, " ") {
			if len(args) < 2 {
				continue
			}
			typed += " " + args[1]
		}
		d := editDistance(typed, name)
		if !strings.Contains(name, " ") && len(args[0]) >= 3 && strings.HasPrefix(name, args[0]) {
			d = min(d, 1)
		}
		limit := 2
		if len(name) <= 4 {
			limit = 1
		}
		switch {
		case d > limit || d > bestD:
		case d < bestD:
			best, bestD = []string{name}, d
		default:
			best = append(best, name)
		}
	}
	sort.Strings(best)
	var out []string // "root ls" rather than "root" and "root ls"
	for i, n := range best {
		if i+1 < len(best) && strings.HasPrefix(best[i+1], n+" ") {
			continue
		}
		out = append(out, n)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// run runs the command line args and returns the exit status: 0 success (and help), 1 the
// command failed, 2 a usage error (unknown command, bad or missing flags or arguments).
func run(ctx context.Context, args []string, stderr io.Writer) int {
	checking := len(args) > 0 && args[0] == "check"
	if checking {
		ctx, args = withCheckOnly(ctx), args[1:]
	}
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	if isHelp(args[0]) {
		if len(args) == 1 {
			usage(stderr)
			return 0
		}
		args = append(args[1:len(args):len(args)], "--help") // 'help ingest' is 'ingest --help'
	}
	c, rest := lookup(args)
	if c == nil {
		return unknown(args, stderr)
	}
	err := c.Run(ctx, rest)
	switch {
	case checking && errors.Is(err, errChecked):
		return 0
	case checking && err == nil:
		fmt.Fprintf(stderr, "dltrigger check: %s ran instead of only checking its command line\n", c.Name)
		return 1
	}
	return exitStatus(c, err, stderr)
}

// exitStatus reports err of command c on stderr, "dltrigger CMD: cause", and returns the
// exit status. A cause that already starts with "CMD: " (a package of the same name) is
// not prefixed twice.
func exitStatus(c *command, err error, stderr io.Writer) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, c.Name+": ") {
		msg = c.Name + ": " + msg
	}
	fmt.Fprintf(stderr, "dltrigger %s\n", msg)
	return 1
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stderr))
}
