package spec

// The published ttbar-selector AUC of each classifier on the full dataset (PIPELINE.md,
// "Reference results"): the one-vs-rest AUC of class TTbar.
const (
	ReferenceAUCHLF       = 0.9821
	ReferenceAUCParticle  = 0.9906
	ReferenceAUCInclusive = 0.9929
)

// ReferenceAUCInclusiveLSTM is the ttbar AUC of the original repository's LSTM variant of the
// inclusive classifier (Training_Inclusive_Classifier, LSTM(50) in place of the GRU(50); 6
// epochs, batch 128).
const ReferenceAUCInclusiveLSTM = 0.9968

// ReferenceAUCInclusiveTransformer is the ttbar AUC of the original repository's Transformer
// variant of the inclusive classifier (Training_Inclusive_Classifier, MultiHeadAttention over
// the 801 particle rows, no padding mask, no positional encoding; 6 epochs, batch 128).
const ReferenceAUCInclusiveTransformer = 0.9948

// The inclusive classifier's published confusion matrix, normalised per true class
// (PIPELINE.md, "Reference results"): diagonal about 0.95, every off-diagonal entry below
// 0.05.
const (
	ReferenceInclusiveDiagonal    = 0.95
	ReferenceInclusiveOffDiagonal = 0.05
)

// ReferenceHLFEpochs is about the number of epochs the HLF classifier takes to converge
// (PIPELINE.md, "Reference results").
const ReferenceHLFEpochs = 50
