package synth

import (
	"fmt"
	"strings"

	"github.com/godltrigger/godltrigger/pkg/spec"
)

// Class is an event class, numbered as the labels of the reference pipeline.
type Class int

// The three event classes, labelled as spec's.
const (
	QCD   Class = spec.QCD   // QCD multijet with heavy-flavour leptons
	TTbar Class = spec.TTbar // top-pair production, at least one leptonic W
	WJets Class = spec.WJets // W -> lepton neutrino plus soft jets
)

// AllClasses returns the three classes in label order.
func AllClasses() []Class { return []Class{QCD, TTbar, WJets} }

// String is the lower-case name used in file and directory names, spec.Classes: "qcd",
// "ttbar", "wjets".
func (c Class) String() string {
	if c.Valid() {
		return spec.Classes[c]
	}
	return fmt.Sprintf("Class(%d)", int(c))
}

// Valid reports whether c is one of the three classes.
func (c Class) Valid() bool { return c >= QCD && c <= WJets }

// shortNames are the other spellings ParseClass accepts.
var shortNames = map[string]Class{"tt": TTbar, "w+jets": WJets, "w": WJets}

// ParseClass parses a class name as written by String (case-insensitive; "tt" and "w" are
// accepted too).
func ParseClass(s string) (Class, error) {
	name := strings.ToLower(strings.TrimSpace(s))
	for _, c := range AllClasses() {
		if name == c.String() {
			return c, nil
		}
	}
	if c, ok := shortNames[name]; ok {
		return c, nil
	}
	n := spec.Classes[:]
	return 0, fmt.Errorf("synth: unknown class %q (want %s or %s)", s, strings.Join(n[:len(n)-1], ", "), n[len(n)-1])
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
