package delphes

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"go-hep.org/x/hep/groot/rbase"
	"go-hep.org/x/hep/groot/rbytes"
	"go-hep.org/x/hep/groot/rdict"
	"go-hep.org/x/hep/groot/rmeta"
	"go-hep.org/x/hep/groot/rtypes"
)

// streamerGuard is the StreamerInfoContext trees are decoded with.
//
// While it decodes a tree, go-hep v0.40.0 builds a Go type for the class of every object
// branch, recursing into member and base classes with no guard against cycles: a class that
// points to itself (ND::TDatum holding an ND::TDatum* fParent) overflows the stack, a fatal
// error no recover catches. A class go-hep cannot build (an unknown STL container, a member
// class without StreamerInfo) panics and loses the whole tree.
//
// Before handing a class to go-hep, the guard walks the classes it reaches through the file's
// StreamerInfos and, for a class on a cycle or depending on one, or one whose type go-hep
// fails to build, hands out an empty stand-in instead and records why. The branches of those
// classes decode as empty objects and are reported unsupported (see unsupportedBranch).
type streamerGuard struct {
	f        rbytes.StreamerInfoContext
	walk     map[rbytes.StreamerInfo]*walkNode
	built    map[rbytes.StreamerInfo]error
	synth    map[string]rbytes.StreamerInfo // std::vector and std::string classes the file does not describe
	replaced map[string]string              // class name -> why it was replaced by a stand-in
}

// walkNode is the state of one class in the cycle walk.
type walkNode struct {
	onStack bool
	cycle   string // non-empty when the class is on a cycle or depends on one: the cycle
}

func newStreamerGuard(f rbytes.StreamerInfoContext) *streamerGuard {
	return &streamerGuard{
		f:        f,
		walk:     map[rbytes.StreamerInfo]*walkNode{},
		built:    map[rbytes.StreamerInfo]error{},
		synth:    map[string]rbytes.StreamerInfo{},
		replaced: map[string]string{},
	}
}

// StreamerInfo implements rbytes.StreamerInfoContext for go-hep.
func (g *streamerGuard) StreamerInfo(name string, version int) (rbytes.StreamerInfo, error) {
	si, err := g.lookup(name, version)
	if err != nil {
		if _, builtin := rmeta.CxxBuiltins[strings.TrimSpace(name)]; builtin {
			return nil, err // go-hep expects and handles these itself
		}
		return g.standIn(name, version, fmt.Sprintf("no StreamerInfo for class %s", name)), nil
	}
	if err := g.buildErr(si); err != nil {
		return g.standIn(name, version, fmt.Sprintf("class %s: %v", name, err)), nil
	}
	return si, nil
}

// standIn records why class name is unsupported and returns an empty StreamerInfo for it. Its
// own name keeps go-hep off the special cases it gives std containers and strings.
func (g *streamerGuard) standIn(name string, version int, why string) rbytes.StreamerInfo {
	if _, seen := g.replaced[name]; !seen {
		g.replaced[name] = why
	}
	return rdict.NewCxxStreamerInfo("unsupported "+name, int32(version), 0, nil)
}

// lookup resolves a class name as go-hep does while decoding a key: the file's StreamerInfos
// (then go-hep's registry); for a std::vector<T> without a StreamerInfo of its own, one built
// from T's, and for std::string, go-hep's own description.
func (g *streamerGuard) lookup(name string, version int) (rbytes.StreamerInfo, error) {
	si, err := g.f.StreamerInfo(name, version)
	if err == nil {
		return si, nil
	}
	if si, ok := g.synth[name]; ok {
		return si, nil
	}
	if name == "string" {
		si = rdict.NewStreamerInfo(name, version, []rbytes.StreamerElement{&rdict.StreamerSTLstring{
			StreamerSTL: *rdict.NewCxxStreamerSTL(rdict.Element{
				Name: *rbase.NewNamed(name, ""), Type: rmeta.STLstring, EName: "string",
			}.New(), 0, rmeta.STLstring),
		}})
		g.synth[name] = si
		return si, nil
	}
	tmpl, ok := templateOf(name)
	if !ok || tmpl.Name != "vector" || len(tmpl.Args) != 1 {
		return nil, err
	}
	elem := tmpl.Args[0]
	var etyp reflect.Type
	if t, builtin := rmeta.CxxBuiltins[elem]; builtin {
		etyp = t
	} else {
		esi, eerr := g.f.StreamerInfo(elem, -1)
		if eerr != nil {
			return nil, err
		}
		if berr := g.buildErr(esi); berr != nil {
			return nil, fmt.Errorf("element class %s: %w", elem, berr)
		}
		if etyp, eerr = rdict.TypeFromSI(g, esi); eerr != nil {
			return nil, eerr
		}
	}
	si = rdict.StreamerOf(g, reflect.SliceOf(etyp))
	g.synth[name] = si
	return si, nil
}

// maxProbeLookups bounds the class lookups of one type build: a backstop that stops a
// recursion the cycle walk did not foresee long before it exhausts the stack.
const maxProbeLookups = 20000

// buildErr says why go-hep cannot build a Go type for si, nil when it can. It first walks si's
// class graph for cycles, then builds the type with lookups that refuse cyclic classes.
func (g *streamerGuard) buildErr(si rbytes.StreamerInfo) error {
	if c := g.cycleOf(si); c != "" {
		return errors.New(c)
	}
	if err, done := g.built[si]; done {
		return err
	}
	p := &probeContext{g: g}
	err := func() (err error) {
		defer func() {
			if e := recover(); e != nil {
				err = fmt.Errorf("%v", e)
			}
		}()
		_, err = rdict.TypeFromSI(p, si)
		return err
	}()
	if err != nil {
		err = errors.New(withoutGoValues(err.Error()))
	}
	g.built[si] = err
	return err
}

// withoutGoValues shortens the Go values go-hep prints in some messages
// ("&rdict.StreamerSTL{...}") to their type.
func withoutGoValues(msg string) string {
	var b strings.Builder
	for {
		i := strings.Index(msg, "&rdict.")
		j := strings.IndexByte(msg[max(i, 0):], '{')
		if i < 0 || j < 0 {
			break
		}
		end, depth := i+j, 0
	scan:
		for ; end < len(msg); end++ {
			switch msg[end] {
			case '{':
				depth++
			case '}':
				if depth--; depth == 0 {
					break scan
				}
			}
		}
		b.WriteString(msg[:i])
		b.WriteString(msg[i+1 : i+j])
		msg = msg[min(end+1, len(msg)):]
	}
	b.WriteString(msg)
	return b.String()
}

// probeContext resolves classes while the guard tries to build a type: cyclic classes and
// lookups beyond maxProbeLookups are refused, so the build fails instead of recursing.
type probeContext struct {
	g       *streamerGuard
	lookups int
}

func (p *probeContext) StreamerInfo(name string, version int) (rbytes.StreamerInfo, error) {
	if p.lookups++; p.lookups > maxProbeLookups {
		return nil, fmt.Errorf("class %s: more than %d nested class lookups", name, maxProbeLookups)
	}
	si, err := p.g.lookup(name, version)
	if err != nil {
		return nil, err
	}
	if c := p.g.cycleOf(si); c != "" {
		return nil, errors.New(c)
	}
	return si, nil
}

// cycleOf walks the classes si refers to, depth first, and returns the cycle si lies on or
// depends on ("recursive class A -> B -> A"), or "" when there is none.
func (g *streamerGuard) cycleOf(si rbytes.StreamerInfo) string {
	return g.visit(si, nil)
}

func (g *streamerGuard) visit(si rbytes.StreamerInfo, path []string) string {
	n := g.walk[si]
	if n != nil {
		if n.onStack {
			i := len(path) - 1
			for i > 0 && path[i] != si.Name() {
				i--
			}
			return "recursive class " + strings.Join(append(path[i:len(path):len(path)], si.Name()), " -> ")
		}
		return n.cycle
	}
	n = &walkNode{onStack: true}
	g.walk[si] = n
	path = append(path, si.Name())
	for _, name := range referencedClasses(si) {
		dep, err := g.f.StreamerInfo(name, -1)
		if err != nil || dep == nil {
			continue // go-hep's own lookup fails too, and stops there
		}
		if c := g.visit(dep, path); c != "" && n.cycle == "" {
			n.cycle = c
		}
	}
	n.onStack = false
	return n.cycle
}

// referencedClasses lists the classes go-hep looks up to build si's type: base classes, and the
// classes named in its members' types (the arguments of containers, not the containers).
func referencedClasses(si rbytes.StreamerInfo) []string {
	var names []string
	for _, se := range si.Elements() {
		switch se := se.(type) {
		case *rdict.StreamerBase:
			names = appendClassNames(names, se.Name())
		case *rdict.StreamerSTLstring:
		case *rdict.StreamerSTL: // go-hep builds the container from its arguments, whatever its name
			if tmpl, ok := templateOf(se.TypeName()); ok {
				for _, a := range tmpl.Args {
					names = appendClassNames(names, a)
				}
			}
		default:
			names = appendClassNames(names, se.TypeName())
		}
	}
	return names
}

// appendClassNames adds the class names in the C++ type typ: typ itself without pointer stars
// and qualifiers, unless it is a builtin, a type go-hep knows natively or a std container,
// whose template arguments are added instead.
func appendClassNames(dst []string, typ string) []string {
	typ = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(typ), "const "))
	typ = strings.TrimRight(typ, "*& ")
	if typ == "" {
		return dst
	}
	if _, ok := rmeta.CxxBuiltins[typ]; ok {
		return dst
	}
	if _, ok := rmeta.TypeName2Enum(typ); ok {
		return dst
	}
	if tmpl, ok := templateOf(typ); ok && stdContainers[strings.TrimPrefix(tmpl.Name, "std::")] {
		for _, a := range tmpl.Args {
			dst = appendClassNames(dst, a)
		}
		return dst
	}
	if rtypes.Factory.HasKey(typ) {
		return dst
	}
	return append(dst, typ)
}

// stdContainers are the templates go-hep builds from their arguments' types.
var stdContainers = map[string]bool{
	"vector": true, "list": true, "deque": true, "forward_list": true, "array": true,
	"set": true, "multiset": true, "unordered_set": true, "unordered_multiset": true,
	"map": true, "multimap": true, "unordered_map": true, "unordered_multimap": true,
	"pair": true, "bitset": true,
}

// templateOf parses a C++ template name, "name<args>"; ok is false for other names.
func templateOf(typ string) (tmpl rmeta.CxxTemplate, ok bool) {
	typ = strings.TrimSpace(typ)
	if !strings.Contains(typ, "<") || !strings.HasSuffix(typ, ">") {
		return tmpl, false
	}
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return rmeta.CxxTemplateFrom(typ), true
}
