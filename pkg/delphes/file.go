package delphes

import (
	"errors"
	"fmt"
	"log"
	"strings"

	_ "go-hep.org/x/hep/groot/riofs/plugin/xrootd" // root:// URLs
	"go-hep.org/x/hep/groot/rtree"
)

// TreeName is the name of the Delphes event tree.
const TreeName = "Delphes"

// Layouts reported by File.Layout.
const (
	LayoutSplit = "split" // Delphes' own split TClonesArray branches
	LayoutFlat  = "flat"  // rtree.NewWriter variable-length branches with X_size counters
)

// Option configures Open.
type Option func(*config)

type config struct {
	logf func(format string, args ...any)
}

// WithLog sets the function told which muon collection a file provides (default log.Printf).
// A nil function silences it.
func WithLogf(logf func(format string, args ...any)) Option {
	return func(c *config) { c.logf = logf }
}

// File is an open Delphes file, ready to read the collections of its event tree.
// A File is not safe for concurrent use.
type File struct {
	name    string
	root    *rootFile
	tree    rtree.Tree
	layout  string
	muon    string
	entries int64
	colls   []collReader
	src     *basketSource
}

// collReader reads one collection: a counter column and one column per member.
type collReader struct {
	spec    *collectionSpec
	name    string // in the file
	counter *column
	members []*column
}

// Open opens a Delphes file: a local path or a root://host:port//abs/path URL. It fails,
// naming the file, when the file cannot be read (permission denied, truncated, corrupt, not a
// ROOT file), has no Delphes tree or lacks one of the needed collections.
func Open(path string, opts ...Option) (f *File, err error) {
	cfg := config{logf: log.Printf}
	for _, o := range opts {
		o(&cfg)
	}
	r, err := openTrees(path)
	if err != nil {
		return nil, fmt.Errorf("delphes: open %s: %w", path, err)
	}
	defer func() {
		if e := recover(); e != nil {
			err = classifyPanic(e)
		}
		if err != nil {
			r.Close()
			f, err = nil, fmt.Errorf("delphes: open %s: %w", path, err)
		}
	}()
	tree, err := r.tree(TreeName)
	if err != nil {
		return nil, err
	}
	return newFile(path, r, tree, cfg)
}

func newFile(path string, r *rootFile, tree rtree.Tree, cfg config) (*File, error) {
	f := &File{name: path, root: r, tree: tree, entries: tree.Entries(), src: r.src}
	if f.entries < 0 {
		return nil, fmt.Errorf("tree %s has %d entries", TreeName, f.entries)
	}
	f.muon = "MuonTight"
	if findBranch(tree, "MuonTight") == nil && findBranch(tree, "MuonTight_size") == nil {
		f.muon = "Muon"
	}
	var missing []string
	layouts := map[string]bool{}
	for i := range collections {
		spec := &collections[i]
		name := spec.name
		if name == "Muon" {
			name = f.muon
		}
		cr, layout, err := f.resolve(spec, name)
		if err != nil {
			if errors.Is(err, errMissing) {
				missing = append(missing, err.Error())
				continue
			}
			return nil, err
		}
		layouts[layout] = true
		f.colls = append(f.colls, cr)
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("missing collection %s", strings.Join(missing, ", "))
	}
	switch {
	case layouts[LayoutSplit] && layouts[LayoutFlat]:
		f.layout = LayoutSplit + "+" + LayoutFlat
	case layouts[LayoutFlat]:
		f.layout = LayoutFlat
	default:
		f.layout = LayoutSplit
	}
	if cfg.logf != nil {
		cfg.logf("delphes: %s: muons from %s", path, f.muon)
	}
	return f, nil
}

// errMissing marks a collection or member absent from the file.
var errMissing = errors.New("missing")

type missingError string

func (e missingError) Error() string        { return string(e) }
func (e missingError) Is(target error) bool { return target == errMissing }

// resolve finds the counter and member branches of one collection.
func (f *File) resolve(spec *collectionSpec, name string) (collReader, string, error) {
	cr := collReader{spec: spec, name: name}
	layout := LayoutSplit
	cb := findBranch(f.tree, name)
	if cb == nil || cb.Leaf(name+"_") == nil {
		layout = LayoutFlat
		cb = findBranch(f.tree, name+"_size")
	}
	if cb == nil {
		return cr, "", missingError(name)
	}
	var err error
	if cr.counter, err = f.newColumn(cb); err != nil {
		return cr, "", err
	}
	for _, m := range spec.members {
		full := name + "." + m.name
		mb := findBranch(f.tree, full)
		if mb == nil {
			return cr, "", missingError(full)
		}
		c, err := f.newColumn(mb)
		if err != nil {
			return cr, "", err
		}
		cr.members = append(cr.members, c)
	}
	return cr, layout, nil
}

func (f *File) newColumn(br rtree.Branch) (*column, error) {
	meta, err := readBranchMeta(br)
	if err != nil {
		return nil, err
	}
	if meta.entries != f.entries {
		return nil, fmt.Errorf("branch %s has %d entries, tree has %d", meta.name, meta.entries, f.entries)
	}
	return &column{meta: meta, src: f.src}, nil
}

// findBranch finds a branch by name at any depth.
func findBranch(t rtree.Tree, name string) rtree.Branch {
	var walk func(bs []rtree.Branch) rtree.Branch
	walk = func(bs []rtree.Branch) rtree.Branch {
		for _, b := range bs {
			if b.Name() == name {
				return b
			}
			if r := walk(b.Branches()); r != nil {
				return r
			}
		}
		return nil
	}
	return walk(t.Branches())
}

// Name is the path or URL the file was opened with.
func (f *File) Name() string { return f.name }

// Entries is the number of events in the file.
func (f *File) Entries() int64 { return f.entries }

// Layout is LayoutSplit for Delphes' own files and LayoutFlat for files written by
// rtree.NewWriter (such as FlatWriter's).
func (f *File) Layout() string { return f.layout }

// MuonBranch is the muon collection read into Event.Muon: "MuonTight" or "Muon".
func (f *File) MuonBranch() string { return f.muon }

// Close closes the file.
func (f *File) Close() error {
	if err := f.root.Close(); err != nil {
		return fmt.Errorf("delphes: close %s: %w", f.name, err)
	}
	return nil
}
