// Package models holds the three classifiers of the trigger study as GoMLX graph functions:
// the high-level-feature (HLF) network, the particle-sequence GRU network and the inclusive
// network that joins both. Models are plain functions of a *model.Scope (first) and input
// nodes; they return logits (softmax is applied only at inference) and assert input shapes.
//
// Layers follow Keras defaults, since the reference was trained with Keras: Dense kernels are
// Glorot-uniform with zero biases, and the GRU (see GRU) is Keras's reset_after variant with
// orthogonal recurrent kernels and Masking(0) semantics.
//
//	cfg := models.DefaultConfig(models.KindInclusive)
//	logits := models.Logits(scope.In("model"), cfg, hlf, seq) // hlf [B,14], seq [B,S,19] -> [B,3]
//
// The input and output sizes (NumHLF, NumFeatures, NumClasses, MaxParticles) are package
// spec's.
package models

import (
	"fmt"

	"github.com/godltrigger/godltrigger/pkg/spec"
)

// Kind names one of the classifiers: the three networks of the study or a tree ensemble
// (KindXGBoost, KindRF).
type Kind string

// The classifiers.
const (
	KindHLF       Kind = "hlf"       // high-level features: 14 -> dense layers -> 3
	KindParticle  Kind = "particle"  // particle sequence: (S, 19) -> masked GRU -> 3
	KindInclusive Kind = "inclusive" // GRU branch and HLF input, concatenated -> dense -> 3
)

// Input and output sizes of the study (spec's, under the names the models use).
const (
	NumHLF       = spec.NumHLF              // high-level features per event
	NumFeatures  = spec.NumParticleFeatures // features per particle row
	NumClasses   = spec.NumClasses          // QCD, ttbar, W+jets
	MaxParticles = spec.SequenceLength      // particle rows per event in the full sequence
)

// Truncation says which rows of a particle sequence a classifier reads when it keeps fewer
// than the sequence holds. The preparation step sorts an event's rows by ΔR to the lepton in
// decreasing order (PIPELINE.md, step 2): the first rows are the particles farthest from the
// lepton, the last row is the lepton itself (ΔR 0).
type Truncation string

// The truncations.
const (
	// TruncateLast keeps the last K rows: the K particles nearest the lepton, the lepton last,
	// in the sequence's order. What a truncated model reads unless its options say otherwise.
	TruncateLast Truncation = "last"
	// TruncateFirst keeps the first K rows: the K particles farthest from the lepton. Model
	// directories written before the truncation was recorded (no "truncate" option) read these.
	TruncateFirst Truncation = "first"
)

// Window returns the rows [start, start+n) that keeping max rows (0: all) reads from a
// sequence of seqLen rows; a sequence of at most max rows is read whole. The empty
// Truncation is TruncateFirst, as model directories without a recorded truncation read.
func (t Truncation) Window(seqLen, max int) (start, n int) {
	if max <= 0 || seqLen <= max {
		return 0, seqLen
	}
	if t == TruncateLast {
		return seqLen - max, max
	}
	return 0, max
}

// Validate reports an unknown truncation; the empty one is TruncateFirst.
func (t Truncation) Validate() error {
	switch t {
	case "", TruncateFirst, TruncateLast:
		return nil
	}
	return fmt.Errorf("models: unknown truncation %q (want %s or %s)", t, TruncateLast, TruncateFirst)
}

// Config sets a classifier's kind and layer sizes. DefaultConfig gives the published ones.
type Config struct {
	Kind Kind `json:"kind"`
	// HLFHidden are the hidden Dense (relu) sizes of the HLF classifier (tuned by the grid search).
	HLFHidden []int `json:"hlf_hidden,omitempty"`
	// GRUUnits is the hidden size of the GRU of the particle and inclusive classifiers.
	GRUUnits int `json:"gru_units,omitempty"`
	// InclusiveHidden is the Dense (relu) size after the concatenation of the inclusive classifier.
	InclusiveHidden int `json:"inclusive_hidden,omitempty"`
	// Dropout is the rate applied to both branches of the inclusive classifier while training.
	Dropout float64 `json:"dropout,omitempty"`
	// FlushGradBelow zeroes, in the backward pass only, GRU state gradients whose magnitude is
	// below it (0, the default, disables). Long backpropagation chains decay into float32
	// denormals, which GoMLX v0.26's scalar Go backend ran at half speed (1.7x faster training at
	// 801 particles with 1e-30). With GoMLX v0.28 it no longer pays: at 801 particles, batch
	// 128, training measured 0.77x as fast with 1e-30 as without on the Go backend (SIMD) and
	// 0.51-0.84x on ONNX Runtime, whose first step (session creation) it also slows
	// (BenchmarkTrainStep in pkg/train reports x_flush). Kept for models that set it.
	FlushGradBelow float64 `json:"flush_grad_below,omitempty"`
	// Trees configures the tree ensembles (KindXGBoost, KindRF).
	Trees *TreeConfig `json:"trees,omitempty"`
}

// DefaultConfig returns the published architecture of a kind.
func DefaultConfig(kind Kind) Config {
	c := Config{Kind: kind}
	switch kind {
	case KindHLF:
		c.HLFHidden = []int{50, 20, 10}
	case KindParticle:
		c.GRUUnits = 50
	case KindInclusive:
		c.GRUUnits = 50
		c.InclusiveHidden = 25
		c.Dropout = 0.2
	case KindXGBoost, KindRF:
		c.Trees = DefaultTreeConfig(kind)
	}
	return c
}

// UsesHLF reports whether the classifier reads the high-level features.
func (c Config) UsesHLF() bool { return c.Kind == KindHLF || c.Kind == KindInclusive || c.Kind.Tree() }

// UsesSequence reports whether the classifier reads the particle sequence.
func (c Config) UsesSequence() bool { return c.Kind == KindParticle || c.Kind == KindInclusive }

// Validate reports a configuration that cannot build a model.
func (c Config) Validate() error {
	switch c.Kind {
	case KindHLF:
		if len(c.HLFHidden) == 0 {
			return fmt.Errorf("models: hlf classifier needs at least one hidden layer")
		}
		for _, n := range c.HLFHidden {
			if n <= 0 {
				return fmt.Errorf("models: hlf hidden sizes must be positive, got %v", c.HLFHidden)
			}
		}
	case KindParticle, KindInclusive:
		if c.GRUUnits <= 0 {
			return fmt.Errorf("models: %s classifier needs gru_units > 0, got %d", c.Kind, c.GRUUnits)
		}
		if c.Kind == KindInclusive && c.InclusiveHidden <= 0 {
			return fmt.Errorf("models: inclusive classifier needs inclusive_hidden > 0, got %d", c.InclusiveHidden)
		}
		if !(c.Dropout >= 0 && c.Dropout < 1) {
			return fmt.Errorf("models: dropout must be in [0, 1), got %v", c.Dropout)
		}
		if !(c.FlushGradBelow >= 0) {
			return fmt.Errorf("models: flush_grad_below must be >= 0, got %v", c.FlushGradBelow)
		}
	case KindXGBoost, KindRF:
		return c.Trees.Validate()
	default:
		return fmt.Errorf("models: unknown kind %q (want %s, %s, %s, %s or %s)", c.Kind, KindHLF, KindParticle, KindInclusive, KindXGBoost, KindRF)
	}
	return nil
}
