package bench

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWorkDir(t *testing.T) {
	tmp, done, err := WorkDir("", "workdir-")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tmp); err != nil {
		t.Fatal(err)
	}
	done()
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Errorf("temporary %s left after done: %v", tmp, err)
	}
	given := filepath.Join(t.TempDir(), "a", "b")
	got, done, err := WorkDir(given, "workdir-")
	if err != nil || got != given {
		t.Fatalf("WorkDir(%s) = %s, %v", given, got, err)
	}
	done()
	if _, err := os.Stat(given); err != nil {
		t.Errorf("given directory not kept: %v", err)
	}
}
