//go:build !cgo || noxla || !((linux && amd64) || darwin)

package train

import (
	"github.com/gomlx/gomlx/backends"
)

// newXLA reports that this build has no XLA backend (the noxla tag, or no cgo).
func newXLA() (backends.Backend, error) { return nil, errNoXLA }
