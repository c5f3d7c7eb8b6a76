package onnx_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/onnx"
	"github.com/godltrigger/godltrigger/pkg/train"
)

// exampleModel trains the HLF classifier for one epoch on synthetic rows in a new directory.
func exampleModel(work string) string {
	src, err := train.NewMemorySource(train.SyntheticData(64, 0, 1))
	if err != nil {
		log.Fatal(err)
	}
	opts := modeldir.DefaultOptions()
	opts.Epochs = 1
	dir := filepath.Join(work, "hlf")
	if _, err := train.Train(context.Background(), train.Job{Dir: dir, Model: models.DefaultConfig(models.KindHLF),
		Options: opts, Train: src, Validation: src, Backend: testBackend}); err != nil {
		log.Fatal(err)
	}
	return dir
}

func ExampleExport() {
	work, err := os.MkdirTemp("", "onnx-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(work)
	modelDir := exampleModel(work) // what 'dltrigger train' writes

	path := filepath.Join(work, "hlf.onnx")
	if err := onnx.Export(modelDir, path); err != nil {
		log.Fatal(err)
	}
	meta, err := onnx.ReadMetadata(path)
	if err != nil {
		log.Fatal(err)
	}
	var keys []string
	for k := range meta {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	fmt.Println(keys)
	fmt.Println(meta[onnx.MetaKind], meta[onnx.MetaClasses], meta[onnx.MetaFeatureSpec])
	// Output:
	// [dltrigger.classes dltrigger.epochs dltrigger.feature_spec dltrigger.hlf_features dltrigger.kind dltrigger.model dltrigger.model_dir dltrigger.producer dltrigger.training dltrigger.version]
	// hlf ["qcd","ttbar","wjets"] sparkdltrigger-step1/v1
}
