package delphes

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"go-hep.org/x/hep/groot/riofs"
	"go-hep.org/x/hep/groot/rtree"
)

// Listing describes the trees of a ROOT file and how this package would read it.
type Listing struct {
	Name   string
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
}

// BranchListing describes one branch; Depth is 0 for top-level branches.
type BranchListing struct {
	Name, Class, Title, Type string
	Depth                    int
}

// List describes the file at path: every TTree key with its branches, and the layout and muon
// collection Open would use (or why Open fails).
func List(path string) (l *Listing, err error) {
	defer func() {
		if e := recover(); e != nil {
			l, err = nil, fmt.Errorf("delphes: list %s: corrupt file: %v", path, e)
		}
	}()
	if !strings.Contains(path, "://") {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("delphes: list %s: %w", path, err)
		}
	}
	rf, err := riofs.Open(path)
	if err != nil {
		return nil, fmt.Errorf("delphes: list %s: not a readable ROOT file: %w", path, err)
	}
	defer rf.Close()
	l = &Listing{Name: path}
	keys := rf.Keys()
	sort.SliceStable(keys, func(i, j int) bool {
		if keys[i].Name() != keys[j].Name() {
			return keys[i].Name() < keys[j].Name()
		}
		return keys[i].Cycle() < keys[j].Cycle()
	})
	for i := range keys {
		k := &keys[i]
		if k.ClassName() != "TTree" {
			continue
		}
		obj, err := k.Object()
		if err != nil {
			return nil, fmt.Errorf("delphes: list %s: tree %s;%d: %w", path, k.Name(), k.Cycle(), err)
		}
		t, ok := obj.(rtree.Tree)
		if !ok {
			continue
		}
		tl := TreeListing{Name: k.Name(), Cycle: k.Cycle(), Entries: t.Entries()}
		var walk func(bs []rtree.Branch, depth int)
		walk = func(bs []rtree.Branch, depth int) {
			for _, b := range bs {
				tl.Branches = append(tl.Branches, BranchListing{
					Name: b.Name(), Class: b.Class(), Title: b.Title(), Type: leafTypes(b), Depth: depth,
				})
				walk(b.Branches(), depth+1)
			}
		}
		walk(t.Branches(), 0)
		l.Trees = append(l.Trees, tl)
	}
	f, err := newFile(path, rf, config{})
	if err != nil {
		l.Err = err
	} else {
		l.Layout, l.Muon = f.Layout(), f.MuonBranch()
	}
	return l, nil
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
		ew.printf("tree %s;%d  entries=%d  branches=%d\n", t.Name, t.Cycle, t.Entries, len(t.Branches))
		for _, b := range t.Branches {
			ew.printf("  %s%-*s %-14s %-10s %s\n", strings.Repeat("  ", b.Depth), 36-2*b.Depth, b.Name, b.Class, b.Type, b.Title)
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
