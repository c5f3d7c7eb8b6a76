package delphes

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestExpand(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"b.root", "a.root", "c.txt", "sub/d.root"} {
		p := filepath.Join(dir, n)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	j := func(n string) string { return filepath.Join(dir, n) }
	for _, tc := range []struct {
		name     string
		patterns []string
		want     []string
	}{
		{"file", []string{j("c.txt")}, []string{j("c.txt")}},
		{"directory", []string{dir}, []string{j("a.root"), j("b.root")}},
		{"glob", []string{j("*.root"), j("sub/*")}, []string{j("a.root"), j("b.root"), j("sub/d.root")}},
		{"url", []string{"root://eos.example:1094//eos/x.root"}, []string{"root://eos.example:1094//eos/x.root"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Expand(tc.patterns...)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	for _, bad := range []string{j("nosuch.root"), j("*.parquet"), j("sub/[")} {
		if _, err := Expand(j("a.root"), bad); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("Expand(%s): error %v should name the pattern", bad, err)
		}
	}
}
