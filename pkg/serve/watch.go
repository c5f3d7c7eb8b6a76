package serve

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// inputKind is the format of an input file, told by its extension.
type inputKind int

const (
	rootInput    inputKind = iota + 1 // Delphes ROOT file: all events, trigger emulated here
	parquetInput                      // ingested Parquet part file: events that passed the trigger
)

// input is a file found in the watched directory.
type input struct {
	rel   string // relative to the watched directory, slash-separated
	path  string
	size  int64
	mtime time.Time
	kind  inputKind
}

func (in input) sameAs(r record) bool { return in.size == r.Size && in.mtime.UnixNano() == r.MTimeNs }

// ignoredName reports names that are not (yet) inputs: hidden files, "_" files (markers,
// journals) and temporary names of writers that rename complete files into place.
func ignoredName(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") ||
		strings.Contains(name, ".tmp-") || strings.HasSuffix(name, ".tmp") || strings.HasSuffix(name, ".part")
}

// kindOf returns the kind of an input file name, 0 for other files.
func kindOf(name string) inputKind {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".root":
		return rootInput
	case ".parquet":
		return parquetInput
	}
	return 0
}

// listInputs walks dir and returns its input files in path order.
func listInputs(dir string) ([]input, error) {
	var ins []input
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p != dir && os.IsNotExist(err) { // removed while walking
				return nil
			}
			return err
		}
		if p == dir {
			return nil
		}
		if ignoredName(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		k := kindOf(d.Name())
		if k == 0 {
			return nil
		}
		st, err := d.Info()
		if err != nil {
			return nil // removed since listed
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		ins = append(ins, input{rel: filepath.ToSlash(rel), path: p, size: st.Size(), mtime: st.ModTime(), kind: k})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("serve: watch %s: %w", dir, err)
	}
	return ins, nil
}

// unchanged reports whether in is still the file that was listed.
func (in input) unchanged() bool {
	st, err := os.Stat(in.path)
	return err == nil && st.Size() == in.size && st.ModTime().Equal(in.mtime)
}
