package dataset_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/spec"
)

// writeIngested writes a small step-1 dataset the way Spark's partitionBy("label")
// does: DIR/label=K/part-....snappy.parquet without a label column, then _SUCCESS.
func writeIngested(dir string) {
	for label := int64(0); label < 2; label++ {
		path := filepath.Join(dataset.PartitionDir(dir, "label", label), dataset.PartName(0, "example"))
		w, err := dataset.NewWriter(path, dataset.Ingested().Drop("label"))
		if err != nil {
			log.Fatal(err)
		}
		for i := 0; i < 2; i++ {
			hf := make([]float64, spec.NumHLF)
			lf := make([]float64, spec.SequenceLength*spec.NumParticleFeatures) // row-major 801x19
			hf[0], lf[0] = float64(10*label+int64(i)), 0.5
			if err := w.Append(hf, lf); err != nil {
				log.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			log.Fatal(err)
		}
	}
	if err := dataset.MarkSuccess(dir); err != nil {
		log.Fatal(err)
	}
}

func ExampleNewWriter() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "HLF.parquet", dataset.PartName(0, dataset.NewJobID()))

	w, err := dataset.NewWriter(path, dataset.HLF(), dataset.WithMetadata(map[string]string{"source": "example"}))
	if err != nil {
		log.Fatal(err)
	}
	defer w.Abort() // removes the temporary file if anything fails before Close
	for label := 0; label < 3; label++ {
		hlf := make([]float64, spec.NumHLF)
		onehot := make([]float64, spec.NumClasses)
		onehot[label] = 1
		if err := w.Append(hlf, onehot); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println("complete before Close:", dataset.IsComplete(path))
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Println("complete after Close:", dataset.IsComplete(path), w.Rows(), "rows")
	// Output:
	// complete before Close: false
	// complete after Close: true 3 rows
}

func ExampleReader_Scan() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	writeIngested(dir)

	r, err := dataset.Open(dir)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(r.Files()), "files,", r.NumRows(), "rows")
	err = r.Scan(context.Background(), dataset.Ingested(), 256, func(b *dataset.Batch) error {
		labels := b.Int64s("label") // from the label=K directories
		for i := 0; i < b.Rows; i++ {
			lf := b.RowFloat64s("lfeatures", i) // 801*19 values
			fmt.Printf("label %d hfeatures[0] %v lfeatures %d values, first %v\n",
				labels[i], b.RowFloat64s("hfeatures", i)[0], len(lf), lf[0])
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// 2 files, 4 rows
	// label 0 hfeatures[0] 0 lfeatures 15219 values, first 0.5
	// label 0 hfeatures[0] 1 lfeatures 15219 values, first 0.5
	// label 1 hfeatures[0] 10 lfeatures 15219 values, first 0.5
	// label 1 hfeatures[0] 11 lfeatures 15219 values, first 0.5
}

func ExampleReader_Share() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	writeIngested(dir)

	r, err := dataset.Open(dir)
	if err != nil {
		log.Fatal(err)
	}
	for rank := 0; rank < 2; rank++ { // worker rank of 2 reads its share of the files
		share, err := r.Share(rank, 2)
		if err != nil {
			log.Fatal(err)
		}
		for _, f := range share.Files() {
			fmt.Println("worker", rank, "reads", filepath.Base(filepath.Dir(f.Path)), f.NumRows, "rows")
		}
	}
	// Output:
	// worker 0 reads label=0 2 rows
	// worker 1 reads label=1 2 rows
}

func ExampleReader_Head() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	writeIngested(dir)

	r, err := dataset.Open(dir)
	if err != nil {
		log.Fatal(err)
	}
	if err := r.Head(context.Background(), os.Stdout, 1, nil); err != nil {
		log.Fatal(err)
	}
	// Output:
	// row 0 (label=0/part-00000-example-c000.snappy.parquet, row 0)
	//   hfeatures: [0, 0, 0, 0, … (14)]
	//   lfeatures: 801x19 [[0.5, 0, 0, 0, … (19)], [0, 0, 0, 0, … (19)], … (801)]
	//   label: 0
}

func ExampleRemoveStaleTemps() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	// A writer that dies before Close leaves only its temporary file.
	if _, err := dataset.NewWriter(filepath.Join(dir, "part-00000.parquet"), dataset.HLF()); err != nil {
		log.Fatal(err)
	}
	_, err := dataset.Open(dir)
	fmt.Println("readers skip it:", err != nil) // "no Parquet files"
	removed, err := dataset.RemoveStaleTemps(dir)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("removed", len(removed), "temporary file(s)")
	// Output:
	// readers skip it: true
	// removed 1 temporary file(s)
}
