//go:build !cgo

package train

import (
	"fmt"

	"github.com/gomlx/compute"
)

func ortVersion(compute.Backend) string { return "" }

// InstallXLAPlugin reports that this build has no XLA backend.
func InstallXLAPlugin(plugin string) error {
	return fmt.Errorf("train: install XLA's %s plugin: this build has no XLA backend (it needs cgo)", plugin)
}
