package prep_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/godltrigger/godltrigger/pkg/prep"
	"github.com/godltrigger/godltrigger/pkg/prep/preptest"
)

// Run balances the classes of an ingest output, splits it into training and test sets,
// shuffles them and writes the datasets of the published names with the scaler of the
// high-level features. Here the input is 100 generated events per class, ingested
// (preptest.Ingest runs synth.Generate and ingest.Run).
func ExampleRun() {
	dir, err := os.MkdirTemp("", "prep")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	ingested, err := preptest.Ingest(ctx, dir, 100, 1)
	if err != nil {
		fmt.Println(err)
		return
	}

	out := filepath.Join(dir, "prepared")
	sum, err := prep.Run(ctx, prep.Options{In: ingested, Out: out, Seed: 42, Workers: 2, Logf: func(string, ...any) {}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for label := int64(0); label < 3; label++ {
		fmt.Printf("label %d: %d in, %d train, %d test\n", label, sum.In[label], sum.Train[label], sum.Test[label])
	}
	for _, name := range append(prep.Outputs(), prep.ScalerFile) {
		_, err := os.Stat(filepath.Join(out, name))
		fmt.Println(name, err == nil)
	}
	// Output:
	// label 0: 36 in, 29 train, 7 test
	// label 1: 95 in, 30 train, 5 test
	// label 2: 96 in, 23 train, 8 test
	// trainUndersampled.parquet true
	// testUndersampled.parquet true
	// trainUndersampled_HLF_features.parquet true
	// testUndersampled_HLF_features.parquet true
	// trainUndersampled_InclusiveClassifier.parquet true
	// testUndersampled_InclusiveClassifier.parquet true
	// scaler.json true
}
