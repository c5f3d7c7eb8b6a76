package serve_test

import (
	"fmt"

	"github.com/godltrigger/godltrigger/pkg/serve"
)

func ExampleOutputPath() {
	fmt.Println(serve.OutputPath("decisions", "run7/ttbar_0001.root"))
	// Output: decisions/run7/ttbar_0001.root.decisions.parquet
}

func ExampleSchema() {
	for _, c := range serve.Schema() {
		fmt.Println(c)
	}
	// Output:
	// entry bigint
	// outcome bigint
	// triggered bigint
	// probabilities array<double>(3)
	// pass bigint
}
