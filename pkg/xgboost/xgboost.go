package xgboost

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrNotCompiled is wrapped by the errors of a binary built without the xgboost build tag.
var ErrNotCompiled = errors.New("xgboost: not compiled in")

// notCompiled is the error of every constructor without the build tag.
var notCompiled = fmt.Errorf("%w: rebuild with -tags xgboost (go build -tags xgboost ./cmd/dltrigger; the library: scripts/install-xgboost.sh)", ErrNotCompiled)

// Check returns nil when the binding is compiled in, else the error that every constructor
// returns, which says how to rebuild.
func Check() error {
	if Compiled {
		return nil
	}
	return notCompiled
}

// Param is one booster parameter under XGBoost's name, its value as text. Parameters apply in
// order; a name given twice, such as eval_metric, adds to the earlier value where XGBoost
// allows several.
type Param struct {
	Name, Value string
}

// Metric is one value of an evaluation: data set, metric name, value, as XGBoost prints them
// ("[3]\ttest-mlogloss:0.41").
type Metric struct {
	Data   string
	Metric string
	Value  float64
}

// ParseEval decodes XGBoost's evaluation line "[iter]\tdata-metric:value\t..." as Python's
// xgboost does: the data name ends at the first '-', the value follows the last ':'.
func ParseEval(line string) ([]Metric, error) {
	fields := strings.Fields(line)
	if len(fields) == 0 || !strings.HasPrefix(fields[0], "[") {
		return nil, fmt.Errorf("xgboost: evaluation %q does not start with [iteration]", line)
	}
	var out []Metric
	for _, f := range fields[1:] {
		i := strings.LastIndexByte(f, ':')
		if i < 0 {
			return nil, fmt.Errorf("xgboost: evaluation %q: %q has no value", line, f)
		}
		data, metric, ok := strings.Cut(f[:i], "-")
		if !ok {
			return nil, fmt.Errorf("xgboost: evaluation %q: %q has no data name", line, f)
		}
		v, err := strconv.ParseFloat(f[i+1:], 64)
		if err != nil {
			return nil, fmt.Errorf("xgboost: evaluation %q: %w", line, err)
		}
		out = append(out, Metric{Data: data, Metric: metric, Value: v})
	}
	return out, nil
}

// Lookup returns the value of metric on data in an evaluation.
func Lookup(eval []Metric, data, metric string) (float64, bool) {
	for _, m := range eval {
		if m.Data == data && m.Metric == metric {
			return m.Value, true
		}
	}
	return 0, false
}

// checkMatrix reports a row-major matrix whose size does not match its shape.
func checkMatrix(data []float32, rows, cols int) error {
	if rows <= 0 || cols <= 0 {
		return fmt.Errorf("xgboost: matrix of %d x %d: both must be positive", rows, cols)
	}
	if len(data) != rows*cols {
		return fmt.Errorf("xgboost: %d values for a matrix of %d x %d", len(data), rows, cols)
	}
	return nil
}
