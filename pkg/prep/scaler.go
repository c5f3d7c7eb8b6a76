package prep

import (
	"github.com/godltrigger/godltrigger/pkg/atomicfile"

	"encoding/json"
	"fmt"
	"math"
	"os"
)

// MinMax is a per-feature min-max scaler, fitted over a whole dataset as Spark's MinMaxScaler
// does: x' = (x - min) / (max - min), and 0.5 where max == min.
type MinMax struct {
	Features []string  `json:"features,omitempty"` // feature names, for humans
	Min      []float64 `json:"min"`
	Max      []float64 `json:"max"`
	Count    int64     `json:"count"` // rows the fit saw
}

// NewMinMax returns an empty scaler for n features; Observe fits it.
func NewMinMax(n int) *MinMax {
	m := &MinMax{Min: make([]float64, n), Max: make([]float64, n)}
	for i := range m.Min {
		m.Min[i] = math.Inf(1)
		m.Max[i] = math.Inf(-1)
	}
	return m
}

// Observe widens the fitted ranges to include row.
func (m *MinMax) Observe(row []float64) {
	for i, v := range row {
		if v < m.Min[i] {
			m.Min[i] = v
		}
		if v > m.Max[i] {
			m.Max[i] = v
		}
	}
	m.Count++
}

// Merge widens m by the ranges of o (fits of separate shares of the data combine exactly).
func (m *MinMax) Merge(o *MinMax) {
	for i := range m.Min {
		m.Min[i] = math.Min(m.Min[i], o.Min[i])
		m.Max[i] = math.Max(m.Max[i], o.Max[i])
	}
	m.Count += o.Count
}

// Transform writes the scaled row into dst (which may be src).
func (m *MinMax) Transform(dst, src []float64) {
	for i, v := range src {
		lo, hi := m.Min[i], m.Max[i]
		if hi == lo {
			dst[i] = 0.5
			continue
		}
		dst[i] = (v - lo) / (hi - lo)
	}
}

// Save writes the scaler as JSON to path, atomically.
func (m *MinMax) Save(path string) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("prep: encode scaler: %w", err)
	}
	return writeFileAtomic(path, append(b, '\n'))
}

// LoadMinMax reads a scaler written by Save.
func LoadMinMax(path string) (*MinMax, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("prep: read scaler: %w", err)
	}
	var m MinMax
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("prep: scaler %s: %w", path, err)
	}
	if len(m.Min) == 0 || len(m.Min) != len(m.Max) {
		return nil, fmt.Errorf("prep: scaler %s: min and max must be non-empty and of equal length (got %d and %d)", path, len(m.Min), len(m.Max))
	}
	return &m, nil
}

// writeFileAtomic writes data to path so that a crash never leaves a partial file.
func writeFileAtomic(path string, data []byte) error {
	if err := atomicfile.WriteFile(path, data); err != nil {
		return fmt.Errorf("prep: %w", err)
	}
	return nil
}
