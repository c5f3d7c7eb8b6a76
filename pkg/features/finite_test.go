package features_test

import (
	"math"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/features"
)

func TestCheckFiniteNamesTheValue(t *testing.T) {
	h := make([]float64, features.NumHLF)
	l := make([]float64, 3*features.NumColumns)
	if err := features.CheckFinite(h, l); err != nil {
		t.Fatalf("zeros: %v", err)
	}
	for _, tc := range []struct {
		name string
		set  func()
		want string
	}{
		{"NaN MT", func() { h[features.HLFMT] = math.NaN() }, "hfeatures column 3 (MT) is NaN"},
		{"+Inf Pt", func() { l[2*features.NumColumns+features.ColPt] = math.Inf(1) }, "lfeatures particle row 2 column 4 (Pt) is +Inf"},
		{"-Inf Charge", func() { l[features.ColCharge] = math.Inf(-1) }, "lfeatures particle row 0 column 18 (Charge) is -Inf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clear(h)
			clear(l)
			tc.set()
			err := features.CheckFinite(h, l)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
	clear(h)
	clear(l)
	h[0], l[0] = math.MaxFloat64, -math.MaxFloat64
	if err := features.CheckFinite(h, l); err != nil {
		t.Fatalf("largest finite values: %v", err)
	}
}
