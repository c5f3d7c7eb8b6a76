package evaluate

import (
	"fmt"
	"io"

	"github.com/godltrigger/godltrigger/pkg/atomicfile"
)

// writeAtomic writes path so that a crash never leaves a partial file under its name.
func writeAtomic(path string, write func(w io.Writer) error) error {
	if err := atomicfile.Write(path, write); err != nil {
		return fmt.Errorf("evaluate: %w", err)
	}
	return nil
}
