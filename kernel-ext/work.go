package kernelext

import (
	"fmt"
	"os"
	"path/filepath"
)

// WorkEnv names the environment variable holding the notebooks' shared work directory.
const WorkEnv = "DLTRIGGER_WORK"

// WorkDir returns the directory the notebooks share (generated events, datasets, models):
// $DLTRIGGER_WORK, or dltrigger-notebooks under the system's temporary directory. It creates
// the directory.
func WorkDir() (string, error) {
	dir := os.Getenv(WorkEnv)
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "dltrigger-notebooks")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("kernelext: work directory: %w", err)
	}
	return dir, nil
}

// Require returns an error naming the notebook to run first when path does not exist.
func Require(path, notebook string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("kernelext: %s is missing: run %s first (same %s): %w", path, notebook, WorkEnv, err)
	}
	return nil
}
