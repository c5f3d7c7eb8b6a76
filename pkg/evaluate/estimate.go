package evaluate

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// Estimate is a point estimate with percentile bootstrap confidence
// intervals. CI68 and CI95 are [low, high]; both are NaN when no bootstrap
// was run. Values may be +Inf (a background rejection with no background
// passing the cut).
//
// In JSON, a finite value is a number, a non-finite one the string "+Inf",
// "-Inf" or "NaN" (JSON has no such numbers; Python's float() reads these
// strings), and the intervals are left out when they were not computed.
type Estimate struct {
	Value float64
	CI68  [2]float64
	CI95  [2]float64
}

// HasCI tells whether the confidence intervals were computed.
func (e Estimate) HasCI() bool { return !math.IsNaN(e.CI68[0]) || !math.IsNaN(e.CI95[0]) }

// pointEstimate returns an Estimate without intervals.
func pointEstimate(v float64) Estimate {
	nan := math.NaN()
	return Estimate{Value: v, CI68: [2]float64{nan, nan}, CI95: [2]float64{nan, nan}}
}

type estimateJSON struct {
	Value number   `json:"value"`
	CI68  []number `json:"ci68,omitempty"`
	CI95  []number `json:"ci95,omitempty"`
}

// MarshalJSON implements json.Marshaler.
func (e Estimate) MarshalJSON() ([]byte, error) {
	j := estimateJSON{Value: number(e.Value)}
	if e.HasCI() {
		j.CI68 = []number{number(e.CI68[0]), number(e.CI68[1])}
		j.CI95 = []number{number(e.CI95[0]), number(e.CI95[1])}
	}
	return json.Marshal(j)
}

// UnmarshalJSON implements json.Unmarshaler.
func (e *Estimate) UnmarshalJSON(b []byte) error {
	var j estimateJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*e = pointEstimate(float64(j.Value))
	for _, ci := range []struct {
		src []number
		dst *[2]float64
	}{{j.CI68, &e.CI68}, {j.CI95, &e.CI95}} {
		switch len(ci.src) {
		case 0:
		case 2:
			ci.dst[0], ci.dst[1] = float64(ci.src[0]), float64(ci.src[1])
		default:
			return fmt.Errorf("evaluate: confidence interval with %d values, want 2", len(ci.src))
		}
	}
	return nil
}

// number is a float64 whose JSON form also carries the non-finite values.
type number float64

func (n number) MarshalJSON() ([]byte, error) {
	f := float64(n)
	switch {
	case math.IsNaN(f):
		return []byte(`"NaN"`), nil
	case math.IsInf(f, 1):
		return []byte(`"+Inf"`), nil
	case math.IsInf(f, -1):
		return []byte(`"-Inf"`), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

func (n *number) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		switch s {
		case "NaN":
			*n = number(math.NaN())
		case "+Inf", "Inf", "Infinity":
			*n = number(math.Inf(1))
		case "-Inf", "-Infinity":
			*n = number(math.Inf(-1))
		default:
			return fmt.Errorf("evaluate: %q is not a number", s)
		}
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*n = number(f)
	return nil
}
