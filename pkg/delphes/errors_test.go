package delphes

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go-hep.org/x/hep/groot/riofs"
)

// openAndRead opens path and reads all its events, returning the first error.
func openAndRead(path string) error {
	f, err := Open(path, WithLogf(nil))
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Read(context.Background(), func(*Event) error { return nil })
}

func TestErrorsNameFileAndCause(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile(writeFlat(t, genEvents(200, 5, smallMult)))
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	zeroed := append([]byte(nil), good...)
	for i := len(zeroed) / 3; i < 2*len(zeroed)/3; i++ {
		zeroed[i] = 0
	}
	for _, tc := range []struct {
		name, path string
		want       string
	}{
		{"missing", filepath.Join(dir, "nosuch.root"), "no such file"},
		{"directory", dir, "is a directory"},
		{"empty", write("empty.root", nil), "not a readable ROOT file"},
		{"text", write("text.root", []byte("this is not a ROOT file\n")), "not a readable ROOT file"},
		{"truncated-header", write("trunc1.root", good[:200]), "delphes: open"},
		{"truncated-half", write("trunc2.root", good[:len(good)/2]), "delphes:"},
		{"zeroed-middle", write("zeroed.root", zeroed), "delphes:"},
		{"no-tree", write("notree.root", emptyROOTFile(t)), "no Delphes tree"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := openAndRead(tc.path)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.path) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q should name %s and say %q", err, tc.path, tc.want)
			}
		})
	}
}

func TestTruncatedRealFile(t *testing.T) {
	good, err := os.ReadFile(testdata(t, fileZH))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, frac := range []float64{0.01, 0.3, 0.6, 0.9, 0.999} {
		p := filepath.Join(dir, "cut.root")
		if err := os.WriteFile(p, good[:int(frac*float64(len(good)))], 0o644); err != nil {
			t.Fatal(err)
		}
		if err := openAndRead(p); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("cut at %.1f%%: error %v", 100*frac, err)
		}
	}
}

// emptyROOTFile returns a valid ROOT file with no tree.
func emptyROOTFile(t *testing.T) []byte {
	p := filepath.Join(t.TempDir(), "e.root")
	f, err := riofs.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
