//go:build !xgboost

package xgboost

// Compiled reports whether this binary holds the binding (built with -tags xgboost).
const Compiled = false

// Version is the version of the XGBoost library linked in: none without the build tag.
func Version() (major, minor, patch int) { return 0, 0, 0 }

// DMatrix is XGBoost's data matrix; without the build tag none can be made.
type DMatrix struct{ rows, cols int }

// NewDMatrix returns an error wrapping ErrNotCompiled.
func NewDMatrix(data []float32, rows, cols int) (*DMatrix, error) { return nil, notCompiled }

// Rows is the number of rows.
func (m *DMatrix) Rows() int { return m.rows }

// Cols is the number of features per row.
func (m *DMatrix) Cols() int { return m.cols }

// SetLabels returns an error wrapping ErrNotCompiled.
func (m *DMatrix) SetLabels(labels []float32) error { return notCompiled }

// Close does nothing.
func (m *DMatrix) Close() error { return nil }

// Booster is an XGBoost learner; without the build tag none can be made.
type Booster struct{}

// NewBooster returns an error wrapping ErrNotCompiled.
func NewBooster(params []Param, cache ...*DMatrix) (*Booster, error) { return nil, notCompiled }

// LoadBooster returns an error wrapping ErrNotCompiled.
func LoadBooster(path string) (*Booster, error) { return nil, notCompiled }

// SetParam returns an error wrapping ErrNotCompiled.
func (b *Booster) SetParam(name, value string) error { return notCompiled }

// Update returns an error wrapping ErrNotCompiled.
func (b *Booster) Update(iter int, train *DMatrix) error { return notCompiled }

// Eval returns an error wrapping ErrNotCompiled.
func (b *Booster) Eval(iter int, sets []*DMatrix, names []string) (string, []Metric, error) {
	return "", nil, notCompiled
}

// Predict returns an error wrapping ErrNotCompiled.
func (b *Booster) Predict(m *DMatrix, rounds int) ([]float32, []int, error) {
	return nil, nil, notCompiled
}

// Rounds returns an error wrapping ErrNotCompiled.
func (b *Booster) Rounds() (int, error) { return 0, notCompiled }

// Slice returns an error wrapping ErrNotCompiled.
func (b *Booster) Slice(begin, end int) (*Booster, error) { return nil, notCompiled }

// JSON returns an error wrapping ErrNotCompiled.
func (b *Booster) JSON() ([]byte, error) { return nil, notCompiled }

// Save returns an error wrapping ErrNotCompiled.
func (b *Booster) Save(path string) error { return notCompiled }

// Close does nothing.
func (b *Booster) Close() error { return nil }
