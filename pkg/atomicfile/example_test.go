package atomicfile_test

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/godltrigger/godltrigger/pkg/atomicfile"
)

// Write gives the file its name only once write has succeeded: a failed write leaves no file,
// and an earlier complete one stays as it was.
func ExampleWrite() {
	dir, err := os.MkdirTemp("", "atomicfile")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "summary.txt")

	err = atomicfile.Write(path, func(w io.Writer) error {
		_, err := fmt.Fprintln(w, "complete")
		return err
	})
	fmt.Println("first write:", err)
	err = atomicfile.Write(path, func(w io.Writer) error {
		fmt.Fprintln(w, "half of it")
		return errors.New("disk full")
	})
	fmt.Println("second write failed:", err != nil)
	b, _ := os.ReadFile(path)
	left, _ := os.ReadDir(dir)
	fmt.Printf("%s holds %q; %d file in the folder\n", filepath.Base(path), b, len(left))
	// Output:
	// first write: <nil>
	// second write failed: true
	// summary.txt holds "complete\n"; 1 file in the folder
}
