package bench_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/godltrigger/godltrigger/bench"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
)

// ExportData writes a dataset in the twin's format: meta.json and raw little-endian arrays.
func ExampleExportData() {
	dir, _ := os.MkdirTemp("", "export")
	defer os.RemoveAll(dir)
	d := modeldir.Data{HLF: make([]float32, 2*14), Labels: []int{0, 2}}
	if err := bench.ExportData(d, filepath.Join(dir, "test")); err != nil {
		fmt.Println(err)
		return
	}
	meta, _ := os.ReadFile(filepath.Join(dir, "test", "meta.json"))
	fmt.Print(string(meta))
	for _, f := range []string{"hlf.f32", "labels.i32"} {
		st, _ := os.Stat(filepath.Join(dir, "test", f))
		fmt.Println(f, st.Size(), "bytes")
	}
	// Output:
	// {
	//   "rows": 2,
	//   "seq_len": 0,
	//   "hlf": true,
	//   "seq": false
	// }
	// hlf.f32 112 bytes
	// labels.i32 8 bytes
}
