package prep

import (
	"fmt"

	"github.com/godltrigger/godltrigger/pkg/features"
)

// EventTransform turns the features of one ingested event (hfeatures, lfeatures) into the
// model inputs that Run writes for it: HLF_input (min-max scaled with a fitted scaler) and
// GRU_input (rows sorted by decreasing ΔR to the lepton, then standardized per column). It is
// the per-event form of Run's transformation, for inference on events that never went through
// Run (streaming). It keeps scratch space: use one per goroutine.
type EventTransform struct {
	scaler *MinMax
	seq    *Sequencer
	mask   bool // GRUInput as Options.MaskPadding prepares it
}

// SetMaskPadding makes GRUInput prepare GRU_input as Run does with Options.MaskPadding (on) or
// without it (off, the default): as the model's training data was prepared.
func (t *EventTransform) SetMaskPadding(on bool) { t.mask = on }

// NewEventTransform returns a transform that scales the high-level features with scaler (the
// one Run fitted, see ScalerFile). scaler may be nil when only GRUInput is used.
func NewEventTransform(scaler *MinMax) (*EventTransform, error) {
	if scaler != nil && (len(scaler.Min) != features.NumHLF || len(scaler.Max) != features.NumHLF) {
		return nil, fmt.Errorf("prep: scaler has %d/%d ranges, want %d high-level features",
			len(scaler.Min), len(scaler.Max), features.NumHLF)
	}
	return &EventTransform{scaler: scaler, seq: NewSequencer()}, nil
}

// HLFInput writes into dst (features.NumHLF values) the HLF_input of the hfeatures h.
// It panics when the transform has no scaler (a programming error).
func (t *EventTransform) HLFInput(dst, h []float64) {
	if t.scaler == nil {
		panic("prep: EventTransform.HLFInput without a scaler")
	}
	t.scaler.Transform(dst, h)
}

// GRUInput writes into dst (features.NumParticles*features.NumColumns values, row-major) the
// GRU_input of the lfeatures l (see SetMaskPadding). dst and l must not overlap.
func (t *EventTransform) GRUInput(dst, l []float64) {
	if t.mask {
		t.seq.MaskedGRUInput(dst, l)
		return
	}
	t.seq.GRUInput(dst, l)
}
