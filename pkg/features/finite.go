package features

import (
	"fmt"

	"github.com/godltrigger/godltrigger/pkg/spec"
)

// CheckFinite returns an error naming the first value of h (NumHLF high-level features) or l
// (rows of NumColumns low-level features) that is NaN or infinite, or nil when every value is
// finite. Either may be nil. Callers add where the values come from (file, event or row).
func CheckFinite(h, l []float64) error {
	if i := firstNonFinite(h); i >= 0 {
		return fmt.Errorf("hfeatures column %d (%s) is %v", i, spec.HLF[i%NumHLF], h[i])
	}
	if i := firstNonFinite(l); i >= 0 {
		c := i % NumColumns
		return fmt.Errorf("lfeatures particle row %d column %d (%s) is %v", i/NumColumns, c, spec.Particle[c], l[i])
	}
	return nil
}

// firstNonFinite returns the index of the first NaN or ±Inf in v, or -1.
func firstNonFinite(v []float64) int {
	for i, x := range v {
		if x-x != 0 { // NaN for NaN and ±Inf, 0 for every finite x
			return i
		}
	}
	return -1
}
