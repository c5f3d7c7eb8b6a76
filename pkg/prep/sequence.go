package prep

import (
	"math"
	"sort"

	"github.com/godltrigger/godltrigger/pkg/features"
	"github.com/godltrigger/godltrigger/pkg/physics"
)

// Columns of a particle row used by the ΔR sort (see spec.Particle).
const (
	colEta = 5
	colPhi = 6
)

// Sequencer turns an event's 801×19 low-level features into the GRU input: rows sorted by
// decreasing ΔR to the lepton (row 0), then standardized per column over the event's rows.
// It keeps scratch space; use one per goroutine.
type Sequencer struct {
	dr    []float64
	order []int
}

// NewSequencer returns a Sequencer for features.NumParticles rows.
func NewSequencer() *Sequencer {
	return &Sequencer{dr: make([]float64, features.NumParticles), order: make([]int, features.NumParticles)}
}

// SortByDeltaR writes into dst the rows of src (rows×features.NumColumns, row-major) ordered by
// decreasing ΔR to src's row 0 (the lepton). Zero (padding) rows take part like any other; rows
// with equal ΔR keep their order. dst and src must not overlap.
func (s *Sequencer) SortByDeltaR(dst, src []float64) {
	const nc = features.NumColumns
	rows := len(src) / nc
	s.grow(rows)
	lepEta, lepPhi := src[colEta], src[colPhi]
	for r := 0; r < rows; r++ {
		s.dr[r] = physics.DeltaREtaPhi(lepEta, lepPhi, src[r*nc+colEta], src[r*nc+colPhi])
		s.order[r] = r
	}
	order, dr := s.order[:rows], s.dr
	sort.SliceStable(order, func(i, j int) bool { return dr[order[i]] > dr[order[j]] })
	for i, r := range order {
		copy(dst[i*nc:(i+1)*nc], src[r*nc:(r+1)*nc])
	}
}

func (s *Sequencer) grow(rows int) {
	if cap(s.dr) < rows {
		s.dr = make([]float64, rows)
		s.order = make([]int, rows)
	}
	s.dr, s.order = s.dr[:rows], s.order[:rows]
}

// Standardize rescales x (rows×features.NumColumns, row-major) in place, per column over the
// rows: (x - mean) / std with the population std; a column whose std is 0 is only centred.
func Standardize(x []float64) {
	const nc = features.NumColumns
	rows := len(x) / nc
	if rows == 0 {
		return
	}
	n := float64(rows)
	for c := 0; c < nc; c++ {
		var sum float64
		for r := 0; r < rows; r++ {
			sum += x[r*nc+c]
		}
		mean := sum / n
		var ss float64
		for r := 0; r < rows; r++ {
			d := x[r*nc+c] - mean
			ss += d * d
		}
		std := math.Sqrt(ss / n)
		for r := 0; r < rows; r++ {
			v := x[r*nc+c] - mean
			if std != 0 {
				v /= std
			}
			x[r*nc+c] = v
		}
	}
}

// GRUInput writes into dst the GRU input for the low-level features src: ΔR-sorted, then
// standardized. dst and src must not overlap.
func (s *Sequencer) GRUInput(dst, src []float64) {
	s.SortByDeltaR(dst, src)
	Standardize(dst)
}

// MaskedGRUInput writes into dst the GRU input of Options.MaskPadding for the low-level
// features src: the padding rows of src (those after its features.RealRows real rows) become
// the first rows of dst, every value exactly 0; the real rows follow, sorted by decreasing ΔR
// to the lepton (so the lepton, at ΔR 0, stays the last row as in GRUInput) and standardized
// per column over the real rows only. A model that masks all-zero timesteps then reads the
// real particles alone. (An event whose only real row is the lepton has a zero std in every
// column: its row is centred to all zeros and masked too.) dst and src must not overlap.
func (s *Sequencer) MaskedGRUInput(dst, src []float64) {
	const nc = features.NumColumns
	n := features.RealRows(src)
	pad := len(src)/nc - n
	clear(dst[:pad*nc])
	real := dst[pad*nc : len(src)]
	s.SortByDeltaR(real, src[:n*nc])
	Standardize(real)
}

// OneHot writes the one-hot encoding of label into dst (len = number of classes).
func OneHot(dst []float64, label int64) {
	for i := range dst {
		dst[i] = 0
	}
	if label >= 0 && int(label) < len(dst) {
		dst[label] = 1
	}
}
