package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
)

// errUsage marks an error already explained, with the usage text, on the flag set's output.
var errUsage = errors.New("usage")

// errChecked is what a command returns, instead of running, when its context only checks
// the command line ('dltrigger check').
var errChecked = errors.New("command line checked")

type checkOnlyKey struct{}

// withCheckOnly returns a context in which commands parse and check their command line,
// then return errChecked without doing anything.
func withCheckOnly(ctx context.Context) context.Context {
	return context.WithValue(ctx, checkOnlyKey{}, true)
}

// onlyChecking returns errChecked when ctx only checks the command line, else nil. Every
// command calls it once its flags and arguments are validated, before it touches anything.
func onlyChecking(ctx context.Context) error {
	if on, _ := ctx.Value(checkOnlyKey{}).(bool); on {
		return errChecked
	}
	return nil
}

// parseArgs parses the flags of fs, given before, between or after the positional
// arguments ("--" ends the flags), and returns the positional arguments, of which there
// must be at least min and at most max (max < 0: any number); what names them in messages
// (e.g. "FILE"). -h and --help print the usage and return flag.ErrHelp; other mistakes
// print their cause and the usage and return errUsage.
func parseArgs(fs *flag.FlagSet, args []string, what string, min, max int) ([]string, error) {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			pos = append(pos, args[i+1:]...)
			i = len(args)
		case len(a) > 1 && a[0] == '-':
			flags = append(flags, a)
			if takesValue(fs, a) && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		default:
			pos = append(pos, a)
		}
	}
	if err := fs.Parse(flags); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, flag.ErrHelp
		}
		return nil, errUsage // the flag package printed the cause and the usage
	}
	pos = append(pos, fs.Args()...) // none: every word given to Parse was a flag or its value
	switch {
	case max == 0 && len(pos) > 0:
		return nil, usageErrorf(fs, "takes no arguments, got %s", strings.Join(quoteAll(pos), " "))
	case len(pos) < min && min == 1:
		return nil, usageErrorf(fs, "a %s argument is required", what)
	case len(pos) < min:
		return nil, usageErrorf(fs, "at least %d %s arguments are required, got %d", min, what, len(pos))
	case max > 0 && len(pos) > max:
		return nil, usageErrorf(fs, "takes %s, got %d: %s", countArgs(max, what), len(pos), strings.Join(quoteAll(pos), " "))
	}
	return pos, nil
}

// takesValue reports whether the flag word a (-name or --name, without =value) is followed
// by its value: it names a flag of fs that is not boolean.
func takesValue(fs *flag.FlagSet, a string) bool {
	name := strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
	if strings.Contains(name, "=") {
		return false
	}
	f := fs.Lookup(name)
	if f == nil {
		return false // unknown: Parse reports it
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return !ok || !b.IsBoolFlag()
}

func countArgs(n int, what string) string {
	if n == 1 {
		return "one " + what + " argument"
	}
	return fmt.Sprintf("at most %d %s arguments", n, what)
}

// quoteAll returns the words quoted as Go strings.
func quoteAll(words []string) []string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = fmt.Sprintf("%q", w)
	}
	return q
}

// usageErrorf prints "dltrigger NAME: message" and the usage of fs on its output and
// returns errUsage (exit status 2).
func usageErrorf(fs *flag.FlagSet, format string, args ...any) error {
	fmt.Fprintf(fs.Output(), "dltrigger %s: %s\n\n", fs.Name(), fmt.Sprintf(format, args...))
	fs.Usage()
	return errUsage
}

// requireFlags returns a usage error naming the required flags unless each of names is set
// to a non-empty value.
func requireFlags(fs *flag.FlagSet, names ...string) error {
	var missing []string
	for _, n := range names {
		if f := fs.Lookup(n); f == nil || f.Value.String() == "" {
			missing = append(missing, "--"+n)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	all := make([]string, len(names))
	for i, n := range names {
		all[i] = "--" + n
	}
	verb := "is"
	if len(all) > 1 {
		verb = "are"
	}
	return usageErrorf(fs, "%s %s required; missing %s", joinWords(all, "and"), verb, strings.Join(missing, ", "))
}

// joinWords joins words as "a, b and c" (conj "and").
func joinWords(words []string, conj string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + conj + " " + words[len(words)-1]
}

// aliasValue is the value of a flag that is another name of a documented flag; the usage
// text does not list it.
type aliasValue struct{ flag.Value }

func (a aliasValue) IsBoolFlag() bool {
	b, ok := a.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// aliasFlag makes --alias another name of the flag --name of fs.
func aliasFlag(fs *flag.FlagSet, alias, name string) {
	f := fs.Lookup(name)
	fs.Var(aliasValue{f.Value}, alias, "the same as --"+name)
}

// printFlags prints the flags of fs as flag.PrintDefaults does, leaving out aliases.
func printFlags(fs *flag.FlagSet) {
	shown := flag.NewFlagSet(fs.Name(), flag.ContinueOnError)
	shown.SetOutput(fs.Output())
	fs.VisitAll(func(f *flag.Flag) {
		if _, alias := f.Value.(aliasValue); alias {
			return
		}
		shown.Var(f.Value, f.Name, f.Usage)
		shown.Lookup(f.Name).DefValue = f.DefValue
	})
	shown.PrintDefaults()
}
