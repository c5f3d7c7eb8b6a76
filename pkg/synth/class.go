package synth

import (
	"fmt"
	"strings"
)

// Class is an event class, numbered as the labels of the reference pipeline.
type Class int

// The three event classes.
const (
	QCD   Class = 0 // QCD multijet with heavy-flavour leptons
	TTbar Class = 1 // top-pair production, at least one leptonic W
	WJets Class = 2 // W -> lepton neutrino plus soft jets
)

// AllClasses returns the three classes in label order.
func AllClasses() []Class { return []Class{QCD, TTbar, WJets} }

// String is the lower-case name used in file and directory names: "qcd", "ttbar", "wjets".
func (c Class) String() string {
	switch c {
	case QCD:
		return "qcd"
	case TTbar:
		return "ttbar"
	case WJets:
		return "wjets"
	}
	return fmt.Sprintf("Class(%d)", int(c))
}

// Valid reports whether c is one of the three classes.
func (c Class) Valid() bool { return c >= QCD && c <= WJets }

// ParseClass parses a class name as written by String (case-insensitive; "tt" and "w" are
// accepted too).
func ParseClass(s string) (Class, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "qcd":
		return QCD, nil
	case "ttbar", "tt":
		return TTbar, nil
	case "wjets", "w+jets", "w":
		return WJets, nil
	}
	return 0, fmt.Errorf("synth: unknown class %q (want qcd, ttbar or wjets)", s)
}

// ParseClasses parses a comma-separated list of class names, e.g. "qcd,ttbar". Duplicates
// are an error; an empty string gives all classes.
func ParseClasses(s string) ([]Class, error) {
	if strings.TrimSpace(s) == "" {
		return AllClasses(), nil
	}
	var out []Class
	seen := map[Class]bool{}
	for _, f := range strings.Split(s, ",") {
		c, err := ParseClass(f)
		if err != nil {
			return nil, err
		}
		if seen[c] {
			return nil, fmt.Errorf("synth: class %q listed twice in %q", c, s)
		}
		seen[c] = true
		out = append(out, c)
	}
	return out, nil
}
