// Package shellwords splits shell command lines into words, as far as reading the command
// lines of documentation and batch scripts needs: it is not a shell and expands nothing.
package shellwords

import "strings"

// Split splits one line of shell into its commands, each a list of words. Quotes ('...' and
// "...") group words and are removed; an unquoted # starting a word begins a comment; |, &
// and ; (so also ||, && and a trailing &) end a command.
func Split(line string) [][]string {
	var cmds [][]string
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	endWord := func() {
		if inWord {
			words = append(words, cur.String())
			cur.Reset()
			inWord = false
		}
	}
	endCmd := func() {
		endWord()
		if len(words) > 0 {
			cmds = append(cmds, words)
		}
		words = nil
	}
	for _, r := range line {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '"' || r == '\'':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			endWord()
		case r == '#' && !inWord:
			endCmd()
			return cmds
		case r == '|' || r == '&' || r == ';':
			endCmd()
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	endCmd()
	return cmds
}

// Script splits a script into its commands: backslash-newlines join lines, then each line
// is split as by Split.
func Script(script string) [][]string {
	var cmds [][]string
	for _, line := range strings.Split(strings.ReplaceAll(script, "\\\n", " "), "\n") {
		cmds = append(cmds, Split(line)...)
	}
	return cmds
}
