package train

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/context/checkpoints"
)

// Weight is one trained variable of a classifier as plain float32 values.
type Weight struct {
	Dims   []int     // e.g. [14, 50] for a Dense kernel
	Values []float32 // row-major
}

// ModelWeights reads model.json and the last checkpoint of the model directory dir (the one
// LoadPredictor loads) and returns the classifier's weights without building any graph. Keys
// are the variables' scopes below the model scope and their names, as package models creates
// them: "/dense_0/weights", "/gru/kernel_z", "/output/biases". Optimizer moments and other
// training state are left out.
func ModelWeights(dir string) (*ModelInfo, map[string]Weight, error) {
	info, err := ReadModelInfo(dir)
	if err != nil {
		return nil, nil, err
	}
	ctx := context.New()
	ckDir := filepath.Join(dir, CheckpointDir)
	if _, err := checkpoints.Load(ctx).Dir(ckDir).Immediate().Done(); err != nil {
		return nil, nil, fmt.Errorf("train: load model %s: %w", ckDir, err)
	}
	prefix := context.RootScope + modelScope
	out := map[string]Weight{}
	for v := range ctx.IterVariables() {
		scope := v.Scope()
		if scope != prefix && !strings.HasPrefix(scope, prefix+context.ScopeSeparator) {
			continue
		}
		x, err := v.Value()
		if err != nil {
			return nil, nil, fmt.Errorf("train: %s: variable %s: %w", ckDir, v.ScopeAndName(), err)
		}
		if x.DType() != dtypes.Float32 {
			return nil, nil, fmt.Errorf("train: %s: variable %s is %s, want float32", ckDir, v.ScopeAndName(), x.DType())
		}
		values, err := tensors.CopyFlatData[float32](x)
		if err != nil {
			return nil, nil, fmt.Errorf("train: %s: variable %s: %w", ckDir, v.ScopeAndName(), err)
		}
		key := strings.TrimPrefix(scope, prefix)
		if key == "" {
			key = context.ScopeSeparator
		} else if !strings.HasSuffix(key, context.ScopeSeparator) {
			key += context.ScopeSeparator
		}
		out[key+v.Name()] = Weight{Dims: x.Shape().Dimensions, Values: values}
	}
	if len(out) == 0 {
		return nil, nil, fmt.Errorf("train: %s: no variables under scope %s", ckDir, prefix)
	}
	return info, out, nil
}
