package evaluate

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// writeAtomic writes path through a temporary file in the same folder,
// renamed onto path only once write succeeded and the data is synced, so a
// crash never leaves a partial file under the final name.
func writeAtomic(path string, write func(w io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("evaluate: write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = write(f); err != nil {
		return fmt.Errorf("evaluate: write %s: %w", path, err)
	}
	if err = f.Chmod(0o644); err != nil {
		return fmt.Errorf("evaluate: write %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("evaluate: write %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("evaluate: write %s: %w", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("evaluate: write %s: %w", path, err)
	}
	return nil
}
