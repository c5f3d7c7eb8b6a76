//go:build !cgo

package modeldir

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/ml/model"
)

func ortVersion(compute.Backend) string { return "" }

// InstallXLAPlugin reports that this build has no XLA backend.
func InstallXLAPlugin(plugin string) error {
	return fmt.Errorf("modeldir: install XLA's %s plugin: this build has no XLA backend (it needs cgo)", plugin)
}

// loadONNX: builds without cgo have no ONNX Runtime backend.
func loadONNX(compute.Backend, *Info, *model.Store, string) (compute.Executable, error) {
	return nil, nil
}
