package delphes

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"go-hep.org/x/hep/groot/riofs"
	"go-hep.org/x/hep/groot/rtree"
)

// FlatWriter writes events in the flat layout: for each collection X an int32 branch X_size
// and one variable-length branch X.Member per member counted by it (Event.Muon is written as
// MuonTight). Files it writes open with Open and read back identically.
//
// It writes to a temporary name next to path and renames on Close, so an interrupted run
// never leaves a file that looks complete.
type FlatWriter struct {
	path, tmp string
	f         *riofs.File
	w         rtree.Writer
	counts    [len(collections)]int32
	ev        Event // slices point at the event being written
	n         int64
	err       error
}

// NewFlatWriter creates a flat-layout Delphes file at path. Options are go-hep write options,
// for example rtree.WithLZ4(1) or rtree.WithBasketSize(n); go-hep's default compression
// (zlib) applies otherwise.
func NewFlatWriter(path string, opts ...rtree.WriteOption) (*FlatWriter, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return nil, fmt.Errorf("delphes: create %s: %w", path, err)
	}
	tmp.Close()
	if err := os.Chmod(tmp.Name(), 0o644); err != nil { // CreateTemp makes it private
		os.Remove(tmp.Name())
		return nil, fmt.Errorf("delphes: create %s: %w", path, err)
	}
	fw := &FlatWriter{path: path, tmp: tmp.Name()}
	fw.f, err = riofs.Create(fw.tmp)
	if err != nil {
		os.Remove(fw.tmp)
		return nil, fmt.Errorf("delphes: create %s: %w", path, err)
	}
	var vars []rtree.WriteVar
	for i := range collections {
		spec := &collections[i]
		name := spec.name
		if name == "Muon" {
			name = "MuonTight"
		}
		count := name + "_size"
		vars = append(vars, rtree.WriteVar{Name: count, Value: &fw.counts[i]})
		for _, m := range spec.members {
			wv := rtree.WriteVar{Name: name + "." + m.name, Count: count}
			switch m.kind {
			case kindF32:
				wv.Value = m.f32(&fw.ev)
			case kindI32:
				wv.Value = m.i32(&fw.ev)
			case kindU32:
				wv.Value = m.u32(&fw.ev)
			}
			vars = append(vars, wv)
		}
	}
	fw.w, err = rtree.NewWriter(fw.f, TreeName, vars, opts...)
	if err != nil {
		fw.f.Close()
		os.Remove(fw.tmp)
		return nil, fmt.Errorf("delphes: create %s: %w", path, err)
	}
	return fw, nil
}

// Write appends one event. Within a collection all member slices must have the same length.
func (fw *FlatWriter) Write(ev *Event) error {
	if fw.err != nil {
		return fw.err
	}
	for i := range collections {
		spec := &collections[i]
		n := -1
		for _, m := range spec.members {
			var l int
			switch m.kind {
			case kindF32:
				s := m.f32(ev)
				*m.f32(&fw.ev) = *s
				l = len(*s)
			case kindI32:
				s := m.i32(ev)
				*m.i32(&fw.ev) = *s
				l = len(*s)
			case kindU32:
				s := m.u32(ev)
				*m.u32(&fw.ev) = *s
				l = len(*s)
			}
			if n >= 0 && l != n {
				return fmt.Errorf("delphes: write %s: event %d: %s.%s has %d values, %s.%s has %d",
					fw.path, fw.n, spec.name, m.name, l, spec.name, spec.members[0].name, n)
			}
			n = l
		}
		fw.counts[i] = int32(n)
	}
	if _, err := fw.w.Write(); err != nil {
		fw.err = fmt.Errorf("delphes: write %s: event %d: %w", fw.path, fw.n, err)
		return fw.err
	}
	fw.n++
	return nil
}

// Entries is the number of events written so far.
func (fw *FlatWriter) Entries() int64 { return fw.n }

// Close completes the file and renames it to its final path. After a failed Write, Close
// removes the temporary file and returns the error.
func (fw *FlatWriter) Close() error {
	if fw.f == nil {
		return fw.err
	}
	err := fw.err
	if e := fw.w.Close(); e != nil && err == nil {
		err = fmt.Errorf("delphes: close %s: %w", fw.path, e)
	}
	if e := fw.f.Close(); e != nil && err == nil {
		err = fmt.Errorf("delphes: close %s: %w", fw.path, e)
	}
	fw.f = nil
	if err == nil {
		if e := os.Rename(fw.tmp, fw.path); e != nil {
			err = fmt.Errorf("delphes: close %s: %w", fw.path, e)
		}
	}
	if err != nil {
		os.Remove(fw.tmp)
		fw.err = err
	}
	return err
}

// Abort discards the file being written.
func (fw *FlatWriter) Abort() error {
	if fw.f == nil {
		return nil
	}
	fw.w.Close()
	fw.f.Close()
	fw.f = nil
	fw.err = errors.New("delphes: write " + fw.path + ": aborted")
	return os.Remove(fw.tmp)
}
