package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/onnx"
	"github.com/godltrigger/godltrigger/pkg/train"
)

func TestExportWritesONNX(t *testing.T) {
	if os.Getenv("GOMLX_BACKEND") == "" {
		t.Setenv("GOMLX_BACKEND", "go")
	}
	src, err := train.NewMemorySource(train.SyntheticData(32, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	opts := modeldir.DefaultOptions()
	opts.Epochs = 1
	model := filepath.Join(t.TempDir(), "hlf")
	if _, err := train.Train(context.Background(), train.Job{Dir: model, Model: models.DefaultConfig(models.KindHLF),
		Options: opts, Train: src, Validation: src}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "hlf.onnx")
	runOK(t, context.Background(), "export", "--model", model, "--onnx", out)
	meta, err := onnx.ReadMetadata(out)
	if err != nil {
		t.Fatal(err)
	}
	if meta[onnx.MetaKind] != "hlf" {
		t.Errorf("metadata %v", meta)
	}

	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"help", []string{"export", "--help"}, 0, ""},
		{"missing flags", []string{"export", "--model", model}, 2, "--model and --onnx are required"},
		{"not a model", []string{"export", "--model", t.TempDir(), "--onnx", out + ".2"}, 1, "dltrigger export: onnx: modeldir: read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			var code int
			usage := stderrOf(t, func() { code = run(context.Background(), tc.args, &stderr) })
			if all := usage + stderr.String(); code != tc.code || !strings.Contains(all, tc.want) {
				t.Errorf("exit code %d, stderr:\n%s\nwant code %d and %q", code, all, tc.code, tc.want)
			}
		})
	}
}
