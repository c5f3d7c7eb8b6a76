package main

import (
	"context"
	"fmt"

	"github.com/godltrigger/godltrigger/pkg/onnx"
)

func init() {
	register(&command{Name: "export", Summary: "write a trained model as an ONNX file (for ONNX Runtime)", Run: runExport})
}

func runExport(ctx context.Context, args []string) error {
	fs := newFlags("export", "export --model MODEL_DIR --onnx FILE", `
Writes a model trained by 'dltrigger train' as one ONNX file (IR 7, operator set 14) that
ONNX Runtime and other ONNX engines run without Go. Inputs are float32 with any batch size:
"hlf" [batch, 14] (HLF_input) and/or "seq" [batch, particles, 19] (GRU_input; all-zero
particle rows are masked wherever they lie); the output "probabilities" [batch, 3] is the
softmax over qcd, ttbar, wjets. The recurrent layer is ONNX's GRU, or ONNX's LSTM for the
LSTM variants (particle-lstm, inclusive-lstm). The file's metadata holds the class names, the scaler of the
preparation step, the feature specification and the model's provenance.

Example:
  dltrigger export --model models/inclusive --onnx inclusive.onnx`)
	model := fs.String("model", "", "model `DIR` written by 'dltrigger train' (required)")
	out := fs.String("onnx", "", "output ONNX `FILE` (required)")
	if _, err := parseArgs(fs, args, "", 0, 0); err != nil {
		return err
	}
	if err := requireFlags(fs, "model", "onnx"); err != nil {
		return err
	}
	if err := onlyChecking(ctx); err != nil {
		return err
	}
	if err := onnx.Export(*model, *out); err != nil {
		return err
	}
	fmt.Printf("%s -> %s\n", *model, *out)
	return nil
}
