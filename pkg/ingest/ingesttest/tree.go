// Package ingesttest holds what tests of ingestion outputs share: reading an output tree,
// counting its part files and comparing two trees byte for byte (outputs, the marker of
// completion included, do not depend on sharding, workers or restarts).
package ingesttest

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Tree reads every regular file under dir, keyed by slash path relative to dir.
func Tree(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatalf("read %s: %v", dir, err)
	}
	return files
}

// Parts counts the part files (*.parquet) of a tree read by Tree: the outputs an ingestion
// writes beside its marker of completion.
func Parts(tree map[string][]byte) int {
	n := 0
	for name := range tree {
		if strings.HasSuffix(name, ".parquet") {
			n++
		}
	}
	return n
}

// SameTree fails the test unless got and want hold the same files with the same bytes, and
// want is not empty.
func SameTree(t testing.TB, got, want map[string][]byte) {
	t.Helper()
	if len(want) == 0 {
		t.Fatalf("reference output is empty")
	}
	for name, w := range want {
		g, ok := got[name]
		switch {
		case !ok:
			t.Errorf("%s: missing", name)
		case !bytes.Equal(g, w):
			t.Errorf("%s: %d bytes differ from the reference's %d", name, len(g), len(w))
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: not in the reference output", name)
		}
	}
}
