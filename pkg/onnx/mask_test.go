package onnx_test

import (
	"path/filepath"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/onnx"
)

// TestMetadataSaysHowToPrepareSequences: the exported metadata says whether the particle rows
// are prepared with masked padding, as model.json records.
func TestMetadataSaysHowToPrepareSequences(t *testing.T) {
	cfg := models.DefaultConfig(models.KindParticle)
	cfg.GRUUnits = 4
	dir := trainModel(t, cfg, 3, 0, "")
	export := func() string {
		t.Helper()
		out := filepath.Join(t.TempDir(), "m.onnx")
		if err := onnx.Export(dir, out); err != nil {
			t.Fatal(err)
		}
		meta, err := onnx.ReadMetadata(out)
		if err != nil {
			t.Fatal(err)
		}
		return meta[onnx.MetaMaskPadding]
	}
	if got := export(); got != "false" {
		t.Errorf("%s = %q for the default preparation, want false", onnx.MetaMaskPadding, got)
	}
	info, err := modeldir.ReadInfo(dir)
	if err != nil {
		t.Fatal(err)
	}
	info.MaskPadding = true
	if err := modeldir.WriteInfo(dir, info); err != nil {
		t.Fatal(err)
	}
	if got := export(); got != "true" {
		t.Errorf("%s = %q for data prepared with --mask-padding, want true", onnx.MetaMaskPadding, got)
	}
}
