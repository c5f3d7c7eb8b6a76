// Package models holds the three classifiers of the trigger study as GoMLX graph functions:
// the high-level-feature (HLF) network, the particle-sequence GRU network and the inclusive
// network that joins both, plus the original's LSTM variants of the two sequence classifiers
// (KindParticleLSTM, KindInclusiveLSTM: an LSTM in place of the GRU). Models are plain functions of a *model.Scope (first) and input
// nodes; they return logits (softmax is applied only at inference) and assert input shapes.
//
// Layers follow Keras defaults, since the reference was trained with Keras: Dense kernels are
// Glorot-uniform with zero biases, and the GRU (see GRU) is Keras's reset_after variant with
// orthogonal recurrent kernels and Masking(0) semantics; the LSTM (see LSTM) has Keras's unit
// forget bias.
//
// The inclusive network also comes in two Transformer variants (see InclusiveTransformer):
// the original's (KindInclusiveTransformer: self-attention over all 801 rows, no mask, no
// positional encoding, flattened) and ours (KindInclusiveTransformerMasked: padding rows
// masked out, a mean over the real particles, an optional ΔR attention bias).
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
	// KindInclusiveTransformer is the original's Transformer variant of the inclusive
	// classifier: self-attention over all rows (no mask, no positional encoding), flattened.
	KindInclusiveTransformer Kind = "inclusive-transformer"
	// KindInclusiveTransformerMasked is the Transformer variant with padding rows masked out of
	// the attention and a masked mean over the particles instead of the flattening.
	KindInclusiveTransformerMasked Kind = "inclusive-transformer-masked"
	// The original's LSTM variants: LSTM(50) in place of the GRU(50), all else the same.
	KindParticleLSTM  Kind = "particle-lstm"  // particle sequence: (S, 19) -> masked LSTM -> 3
	KindInclusiveLSTM Kind = "inclusive-lstm" // LSTM branch and HLF input, concatenated -> dense -> 3
)

// The recurrent layers of the sequence classifiers, named as their variable scopes.
const (
	LayerGRU  = "gru"
	LayerLSTM = "lstm"
)

// RecurrentLayer returns the recurrent layer that a sequence classifier runs over the particles
// (LayerGRU or LayerLSTM), "" for a classifier without one (HLF, Transformers, trees).
func (k Kind) RecurrentLayer() string {
	switch k {
	case KindParticle, KindInclusive:
		return LayerGRU
	case KindParticleLSTM, KindInclusiveLSTM:
		return LayerLSTM
	}
	return ""
}

// Joint reports whether the classifier joins a particle branch and the high-level features
// (KindInclusive, KindInclusiveLSTM and the Transformer variants).
func (k Kind) Joint() bool { return k == KindInclusive || k == KindInclusiveLSTM || k.Transformer() }

// Networks lists the kinds of the networks package models builds, in the order of --help.
var Networks = []Kind{KindHLF, KindParticle, KindInclusive, KindParticleLSTM, KindInclusiveLSTM,
	KindInclusiveTransformer, KindInclusiveTransformerMasked}

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
	// LSTMUnits is the hidden size of the LSTM of their LSTM variants.
	LSTMUnits int `json:"lstm_units,omitempty"`
	// InclusiveHidden is the Dense (relu) size after the concatenation of the inclusive classifier.
	InclusiveHidden int `json:"inclusive_hidden,omitempty"`
	// Dropout is the rate applied to both branches of the inclusive classifiers while training.
	Dropout float64 `json:"dropout,omitempty"`
	// FlushGradBelow zeroes, in the backward pass only, GRU (LSTM) state gradients whose magnitude is
	// below it (0, the default, disables). Long backpropagation chains decay into float32
	// denormals, which GoMLX v0.26's scalar Go backend ran at half speed (1.7x faster training at
	// 801 particles with 1e-30). With GoMLX v0.28 it no longer pays: at 801 particles, batch
	// 128, training measured 0.77x as fast with 1e-30 as without on the Go backend (SIMD) and
	// 0.51-0.84x on ONNX Runtime, whose first step (session creation) it also slows
	// (BenchmarkTrainStep in pkg/train reports x_flush). Kept for models that set it.
	FlushGradBelow float64 `json:"flush_grad_below,omitempty"`
	// AttentionHeads and AttentionKeyDim are the heads and per-head size of the Transformer
	// variants' self-attention (Keras MultiHeadAttention(num_heads=8, key_dim=19)).
	AttentionHeads  int `json:"attention_heads,omitempty"`
	AttentionKeyDim int `json:"attention_key_dim,omitempty"`
	// TimeDistributedUnits is the per-particle Dense (relu) size after the attention block
	// (Keras TimeDistributed(Dense(20))); ParticleDenseUnits the Dense (relu) size of the
	// particle branch's summary (Dense(10) after Flatten, or after the masked mean).
	TimeDistributedUnits int `json:"time_distributed_units,omitempty"`
	ParticleDenseUnits   int `json:"particle_dense_units,omitempty"`
	// PairBias adds, in the masked Transformer variant, a learned per-head multiple of the ΔR
	// between two particles to their attention score (see TransformerMasked). Off by default.
	PairBias bool `json:"pair_bias,omitempty"`
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
	case KindInclusiveTransformer, KindInclusiveTransformerMasked:
		c.AttentionHeads = 8
		c.AttentionKeyDim = NumFeatures
		c.TimeDistributedUnits = 20
		c.ParticleDenseUnits = 10
		c.InclusiveHidden = 25
		c.Dropout = 0.2
	case KindParticleLSTM:
		c.LSTMUnits = 50
	case KindInclusiveLSTM:
		c.LSTMUnits = 50
		c.InclusiveHidden = 25
		c.Dropout = 0.2
	case KindXGBoost, KindRF:
		c.Trees = DefaultTreeConfig(kind)
	}
	return c
}

// Transformer reports whether the classifier is one of the Transformer variants.
func (k Kind) Transformer() bool {
	return k == KindInclusiveTransformer || k == KindInclusiveTransformerMasked
}

// UsesHLF reports whether the classifier reads the high-level features.
func (c Config) UsesHLF() bool { return c.Kind == KindHLF || c.Kind.Joint() || c.Kind.Tree() }

// UsesSequence reports whether the classifier reads the particle sequence.
func (c Config) UsesSequence() bool { return c.Kind.RecurrentLayer() != "" || c.Kind.Transformer() }

// RecurrentUnits is the hidden size of the recurrent layer (GRUUnits or LSTMUnits), 0 for a
// classifier without one.
func (c Config) RecurrentUnits() int {
	switch c.Kind.RecurrentLayer() {
	case LayerGRU:
		return c.GRUUnits
	case LayerLSTM:
		return c.LSTMUnits
	}
	return 0
}

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
	case KindParticle, KindInclusive, KindParticleLSTM, KindInclusiveLSTM:
		if c.RecurrentUnits() <= 0 {
			return fmt.Errorf("models: %s classifier needs %s_units > 0, got %d", c.Kind, c.Kind.RecurrentLayer(), c.RecurrentUnits())
		}
		if c.Kind.Joint() && c.InclusiveHidden <= 0 {
			return fmt.Errorf("models: %s classifier needs inclusive_hidden > 0, got %d", c.Kind, c.InclusiveHidden)
		}
		if !(c.Dropout >= 0 && c.Dropout < 1) {
			return fmt.Errorf("models: dropout must be in [0, 1), got %v", c.Dropout)
		}
		if !(c.FlushGradBelow >= 0) {
			return fmt.Errorf("models: flush_grad_below must be >= 0, got %v", c.FlushGradBelow)
		}
	case KindInclusiveTransformer, KindInclusiveTransformerMasked:
		for _, p := range []struct {
			name string
			v    int
		}{{"attention_heads", c.AttentionHeads}, {"attention_key_dim", c.AttentionKeyDim},
			{"time_distributed_units", c.TimeDistributedUnits}, {"particle_dense_units", c.ParticleDenseUnits},
			{"inclusive_hidden", c.InclusiveHidden}} {
			if p.v <= 0 {
				return fmt.Errorf("models: %s classifier needs %s > 0, got %d", c.Kind, p.name, p.v)
			}
		}
		if !(c.Dropout >= 0 && c.Dropout < 1) {
			return fmt.Errorf("models: dropout must be in [0, 1), got %v", c.Dropout)
		}
		if c.PairBias && c.Kind != KindInclusiveTransformerMasked {
			return fmt.Errorf("models: pair_bias is an option of the %s classifier, not %s", KindInclusiveTransformerMasked, c.Kind)
		}
	case KindXGBoost, KindRF:
		return c.Trees.Validate()
	default:
		return fmt.Errorf("models: unknown kind %q (want one of %v, %s or %s)", c.Kind, Networks, KindXGBoost, KindRF)
	}
	return nil
}
