package delphes

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"go-hep.org/x/hep/groot/rtree"
)

// Listing describes the trees of a ROOT file and how this package would read it.
type Listing struct {
	Name   string // the path or URL given to List
	Trees  []TreeListing
	Layout string // LayoutSplit or LayoutFlat; empty when the events are not readable
	Muon   string // MuonBranch; empty when the events are not readable
	Err    error  // why the events are not readable, if they are not
}

// TreeListing describes one tree (one key cycle) of a file.
type TreeListing struct {
	Name     string
	Cycle    int
	Entries  int64
	Branches []BranchListing
	// Err says why the tree could not be decoded at all (Branches is then empty): it matches
	// ErrUnsupported when go-hep cannot decode valid content, ErrCorrupt for damaged bytes.
	Err error
}

// BranchListing describes one branch; Depth is 0 for top-level branches.
type BranchListing struct {
	Name, Class, Title, Type string
	Depth                    int
	// Unsupported says why the reader cannot decode the objects of this branch (a class that
	// refers to itself, or that go-hep cannot build); empty when it can.
	Unsupported string
}

// List describes the file at path: every tree (TTree, TNtuple, ...) with its branches, and the
// layout and muon collection Open would use (or why Open fails). A tree or branch that cannot
// be decoded is listed with the reason, and the others still are; List fails only when the file
// itself cannot be read (missing, permission denied, truncated, not a ROOT file, corrupt
// directory).
func List(path string) (l *Listing, err error) {
	r, err := openTrees(path)
	if err != nil {
		return nil, fmt.Errorf("delphes: list %s: %w", path, err)
	}
	defer r.Close()
	defer func() {
		if e := recover(); e != nil {
			l, err = nil, fmt.Errorf("delphes: list %s: %w", path, classifyPanic(e))
		}
	}()
	l = &Listing{Name: path}
	var events rtree.Tree
	var eventsErr error
	for _, k := range r.treeKeys() {
		tl := TreeListing{Name: k.Name(), Cycle: k.Cycle()}
		t, err := r.load(k)
		if k.Name() == TreeName {
			events, eventsErr = t, err
			if err != nil {
				eventsErr = fmt.Errorf("tree %s;%d: %w", k.Name(), k.Cycle(), err)
			}
		}
		if err != nil {
			tl.Err = err
			l.Trees = append(l.Trees, tl)
			continue
		}
		tl.Entries = t.Entries()
		var walk func(bs []rtree.Branch, depth int, unsupported string)
		walk = func(bs []rtree.Branch, depth int, unsupported string) {
			for _, b := range bs {
				bl := BranchListing{Name: b.Name(), Class: b.Class(), Title: b.Title(), Depth: depth, Unsupported: unsupported}
				if bl.Unsupported == "" {
					bl.Unsupported = r.unsupportedBranch(b)
				}
				if bl.Unsupported == "" {
					bl.Type = leafTypes(b)
				}
				tl.Branches = append(tl.Branches, bl)
				walk(b.Branches(), depth+1, bl.Unsupported)
			}
		}
		walk(t.Branches(), 0, "")
		l.Trees = append(l.Trees, tl)
	}
	switch {
	case eventsErr != nil:
		l.Err = eventsErr
	case events == nil:
		l.Err = fmt.Errorf("no %s tree in the file", TreeName)
	default:
		f, err := newFile(path, r, events, config{})
		if err != nil {
			l.Err = err
		} else {
			l.Layout, l.Muon = f.Layout(), f.MuonBranch()
		}
	}
	return l, nil
}

// Damaged returns an error naming the file and the first tree whose bytes are corrupt, nil
// when no tree is. Trees that are merely unsupported by the reader are not damage.
func (l *Listing) Damaged() error {
	for _, t := range l.Trees {
		if t.Err != nil && errors.Is(t.Err, ErrCorrupt) {
			return fmt.Errorf("delphes: list %s: tree %s;%d: %w", l.Name, t.Name, t.Cycle, t.Err)
		}
	}
	return nil
}

// leafTypes names the types of a branch's leaves.
func leafTypes(b rtree.Branch) string {
	var ts []string
	for _, lf := range b.Leaves() {
		ts = append(ts, leafType(lf))
	}
	return strings.Join(ts, ",")
}

// Write prints the listing as text.
func (l *Listing) Write(w io.Writer) error {
	ew := &errWriter{w: w}
	ew.printf("file %s\n", l.Name)
	for _, t := range l.Trees {
		if t.Err != nil {
			ew.printf("tree %s;%d  %v\n", t.Name, t.Cycle, t.Err)
			continue
		}
		ew.printf("tree %s;%d  entries=%d  branches=%d\n", t.Name, t.Cycle, t.Entries, len(t.Branches))
		for _, b := range t.Branches {
			typ, note := b.Type, ""
			if b.Unsupported != "" {
				typ, note = "-", "  ["+ErrUnsupported.Error()+": "+b.Unsupported+"]"
			}
			ew.printf("  %s%-*s %-14s %-10s %s%s\n", strings.Repeat("  ", b.Depth), 36-2*b.Depth, b.Name, b.Class, typ, b.Title, note)
		}
	}
	if l.Err != nil {
		ew.printf("events: not readable: %v\n", l.Err)
	} else {
		ew.printf("events: layout=%s muons=%s\n", l.Layout, l.Muon)
	}
	return ew.err
}

// errWriter keeps the first write error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

// leafType names a leaf's Go type, or its ROOT class where go-hep cannot type it.
func leafType(lf rtree.Leaf) (name string) {
	defer func() {
		if recover() != nil {
			name = lf.Class()
		}
	}()
	return lf.TypeName()
}
