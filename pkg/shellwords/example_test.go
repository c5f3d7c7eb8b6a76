package shellwords_test

import (
	"fmt"

	"github.com/godltrigger/godltrigger/pkg/shellwords"
)

// Split reads a documented command line into its commands and their words.
func ExampleSplit() {
	line := `dltrigger ingest --sample "qcd=events/qcd" --out ingested && dltrigger prepare --in ingested # then train`
	for _, cmd := range shellwords.Split(line) {
		fmt.Printf("%q\n", cmd)
	}
	// Output:
	// ["dltrigger" "ingest" "--sample" "qcd=events/qcd" "--out" "ingested"]
	// ["dltrigger" "prepare" "--in" "ingested"]
}
