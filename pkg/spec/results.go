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

// Variant is a published result of one of the original repository's variants of the inclusive
// classifier (its Training_Inclusive_Classifier notebooks: 6 epochs, batch 128, full dataset,
// on a GPU).
type Variant struct {
	Name       string
	Parameters int                 // trainable, as Keras's model.summary() counts them
	Accuracy   float64             // on the test set
	AUC        [NumClasses]float64 // one-vs-rest, indexed by class label
	TrainTime  string              // wall time of the training, "" where not published
}

// The original's variants of the inclusive classifier: its GRU(50) (the study's, trained
// longer than the paper's), LSTM(50) in place of the GRU, and MultiHeadAttention (8 heads,
// key_dim 19) over the 801 rows with no padding mask and no positional encoding.
var (
	OriginalInclusiveGRU         = Variant{"GRU(50)", 12353, 0.9564, [NumClasses]float64{0.9950, 0.9969, 0.9947}, ""}
	OriginalInclusiveLSTM        = Variant{"LSTM(50)", 15703, 0.9572, [NumClasses]float64{0.9952, ReferenceAUCInclusiveLSTM, 0.9947}, "4 h 27 min"}
	OriginalInclusiveTransformer = Variant{"Transformer", 173378, 0.9462, [NumClasses]float64{0.9936, ReferenceAUCInclusiveTransformer, 0.9923}, "17 h 27 min"}
)

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
