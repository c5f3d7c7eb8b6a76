package modeldir

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/godltrigger/godltrigger/pkg/onnx/classifier"
)

// Weight is one trained variable of a classifier as plain float32 values.
type Weight = classifier.Weight

// ReadWeights reads model.json and the checkpoint that the model directory dir serves (the
// one Load loads: the best epoch's with the restore_best option, else the last) and
// returns the classifier's weights without building any graph. Keys
// are the variables' paths below the model scope, as package models creates them:
// "/dense_0/weights", "/gru/kernel", "/output/biases". Optimizer moments and other training
// state are left out. A legacy directory's per-gate GRU weights come fused, as today's.
func ReadWeights(dir string) (*Info, map[string]Weight, error) {
	info, store, err := LoadStore(dir)
	if err != nil {
		return nil, nil, err
	}
	defer store.Finalize()
	w, err := StoreWeights(store, filepath.Join(dir, CheckpointDir))
	if err != nil {
		return nil, nil, err
	}
	return info, w, nil
}

// StoreWeights returns the variables of the model scope of store, keyed as ReadWeights does;
// src names the store in errors.
func StoreWeights(store *model.Store, src string) (map[string]Weight, error) {
	prefix := "/" + ModelScope + "/"
	out := map[string]Weight{}
	for v := range store.IterVariables() {
		if !strings.HasPrefix(v.Path(), prefix) {
			continue
		}
		x, err := v.Value()
		if err != nil {
			return nil, fmt.Errorf("modeldir: %s: variable %s: %w", src, v.Path(), err)
		}
		if x.DType() != dtypes.Float32 {
			return nil, fmt.Errorf("modeldir: %s: variable %s is %s, want float32", src, v.Path(), x.DType())
		}
		values, err := tensors.CopyFlatData[float32](x)
		if err != nil {
			return nil, fmt.Errorf("modeldir: %s: variable %s: %w", src, v.Path(), err)
		}
		out[strings.TrimPrefix(v.Path(), "/"+ModelScope)] = Weight{Dims: x.Shape().Dimensions, Values: values}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("modeldir: %s: no variables under scope /%s", src, ModelScope)
	}
	return out, nil
}

// LoadStore reads model.json and loads the checkpoint dir serves into a new store (a legacy
// directory's GRU weights fused): the best epoch's when the run restores the best weights (see
// ServedCheckpoint), else the newest complete one; info.Checkpoint names it, info.Skipped the
// newer damaged ones.
func LoadStore(dir string) (*Info, *model.Store, error) {
	info, err := ReadInfo(dir)
	if err != nil {
		return nil, nil, err
	}
	store := model.NewStore()
	ckDir := filepath.Join(dir, CheckpointDir)
	best := false
	if info.Options.RestoreBest {
		if hist, err := ReadHistory(dir); err == nil && hist.BestCheckpoint != "" {
			load, src, err := ServedCheckpoint(store, dir, info)
			if err != nil {
				return nil, nil, err
			}
			if _, err := load.Immediate().Done(); err != nil {
				return nil, nil, fmt.Errorf("modeldir: load model %s: %w", src, err)
			}
			info.Checkpoint, best = hist.BestCheckpoint, true
		}
	}
	if !best {
		if info.Checkpoint, _, info.Skipped, err = LoadNewest(store, ckDir, ""); err != nil {
			return nil, nil, err
		}
		for _, s := range info.Skipped {
			fmt.Fprintf(os.Stderr, "modeldir: model %s: skipped the damaged checkpoint %s; using %s, the newest complete one\n", dir, s, info.Checkpoint)
		}
	}
	if info.Legacy() {
		if err := fuseLegacyGRU(store); err != nil {
			return nil, nil, fmt.Errorf("modeldir: %s: %w", ckDir, err)
		}
	}
	return info, store, nil
}

// fuseLegacyGRU replaces the per-gate GRU variables of GoMLX v0.26 models (kernel_z, kernel_r,
// kernel_h, recurrent_kernel_*, bias_*, recurrent_bias_*) by the fused ones of package models
// (kernel = [z|r|h] side by side, and so on).
func fuseLegacyGRU(store *model.Store) error {
	scope := "/" + ModelScope + "/gru/"
	for _, name := range []string{"kernel", "recurrent_kernel", "bias", "recurrent_bias"} {
		var parts []*tensors.Tensor
		for _, gate := range []string{"z", "r", "h"} {
			v := store.GetVariable(scope + name + "_" + gate)
			if v == nil {
				break
			}
			t, err := v.Value()
			if err != nil {
				return fmt.Errorf("legacy GRU variable %s: %w", v.Path(), err)
			}
			parts = append(parts, t)
		}
		if len(parts) == 0 {
			return nil // no GRU: nothing to convert
		}
		if len(parts) != 3 {
			return fmt.Errorf("legacy GRU variable %s: found %d of the 3 gates", scope+name, len(parts))
		}
		fused, err := sideBySide(parts)
		if err != nil {
			return fmt.Errorf("legacy GRU variable %s: %w", scope+name, err)
		}
		for _, gate := range []string{"z", "r", "h"} {
			if err := store.DeleteVariable(scope + name + "_" + gate); err != nil {
				return err
			}
		}
		if _, err := store.CreateVariable(scope+name, fused); err != nil {
			return err
		}
	}
	return nil
}

// sideBySide concatenates float32 tensors of equal shape [rows, cols] (or [cols]) along their
// last axis.
func sideBySide(parts []*tensors.Tensor) (*tensors.Tensor, error) {
	dims := parts[0].Shape().Dimensions
	cols := dims[len(dims)-1]
	rows := parts[0].Shape().Size() / cols
	out := make([]float32, 0, rows*cols*len(parts))
	flat := make([][]float32, len(parts))
	for i, p := range parts {
		if !p.Shape().Equal(parts[0].Shape()) || p.DType() != dtypes.Float32 {
			return nil, fmt.Errorf("gate shapes differ: %s and %s", parts[0].Shape(), p.Shape())
		}
		var err error
		if flat[i], err = tensors.CopyFlatData[float32](p); err != nil {
			return nil, err
		}
	}
	for r := 0; r < rows; r++ {
		for _, f := range flat {
			out = append(out, f[r*cols:(r+1)*cols]...)
		}
	}
	newDims := append([]int(nil), dims...)
	newDims[len(newDims)-1] = cols * len(parts)
	return tensors.FromFlatDataAndDimensions(out, newDims...), nil
}
