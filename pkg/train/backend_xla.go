//go:build cgo && !noxla && ((linux && amd64) || darwin)

package train

import (
	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/backends/xla"
)

// newXLA opens the XLA backend with its default (CPU or GPU) plugin.
func newXLA() (backends.Backend, error) {
	return BackendFromConfig(xla.BackendName)
}
