// Package onnx exports a trained classifier (a model directory written by package train) as
// an ONNX model, so that ONNX Runtime, or any other ONNX engine, can run it without Go.
//
//	if err := onnx.Export("models/inclusive", "inclusive.onnx"); err != nil {
//		log.Fatal(err)
//	}
//	meta, _ := onnx.ReadMetadata("inclusive.onnx")
//	fmt.Println(meta[onnx.MetaClasses]) // ["qcd","ttbar","wjets"]
//
// # Graph
//
// Inputs are float32 with a symbolic batch size: "hlf" [batch, 14] (HLF_input) for the hlf
// and inclusive classifiers (GRU, LSTM and Transformer variants), "seq" [batch, particles, 19]
// (GRU_input, any number of particles) for every classifier but hlf. The output "probabilities"
// [batch, 3] is the softmax over the classes qcd, ttbar, wjets. Dense layers are Gemm and
// Relu; the inclusive classifier concatenates the GRU state and hlf (Concat), as in package
// models; dropout only acts in training and is left out.
//
// The GRU is ONNX's GRU operator with linear_before_reset=1 (Keras's reset_after), gates in
// ONNX's order z, r, h (Keras's too): W [1, 3H, 19] and R [1, 3H, H] are the transposed
// kernel [19, 3H] and recurrent_kernel [H, 3H] of package models, and B [1, 6H] the input
// biases then the recurrent ones. The LSTM variants use ONNX's LSTM operator: ONNX orders the
// gates i, o, f, c where Keras (and package models) order them i, f, c, o, so W [1, 4H, 19]
// and R [1, 4H, H] are the transposed kernels with their gate blocks reordered, and B [1, 8H]
// is Keras's one bias (reordered) as Wb followed by zeros as Rb. Keras's Masking(0) skips every
// all-zero particle row wherever it lies, while ONNX's sequence_lens only skips trailing
// rows; the preparation step sorts the rows by ΔR with the zero rows taking part, so padding
// may sit anywhere. The graph therefore computes the mask from the input, moves the valid
// rows of each event to the front in their order (TopK on a key, Gather), and gives
// their count as sequence_lens; the last state Y_h is then exactly the masked state.
// A model trained with max_particles reads only max_particles rows (Slice), those its
// truncate option names: "last", the rows nearest the lepton (Slice from -max_particles to
// the end), or "first", the farthest (directories without the option); a shorter sequence
// is read whole.
//
// The Transformer variants (models.InclusiveTransformer) are MatMul projections with heads
// split by Reshape and Transpose, Softmax over MatMul scores (scaled by 1/√key_dim),
// LayerNormalization, a per-row MatMul and Relu, then Reshape (the original's Flatten: its
// model reads exactly the rows it was trained on) or, in the masked variant, the mean over
// the rows that are not all zero (ReduceSum, Div); there the padding keys are set to -inf
// (Where) before the Softmax, except in an event without real rows, which attends over all of
// them as in package models, and the optional ΔR bias (Gather of the Eta and Phi columns,
// Sqrt) is added to the scores.
//
// Files use ONNX IR version 7 and operator set 14 (IR version 8 and operator set 17, which
// has LayerNormalization, for the Transformer variants; ONNX Runtime 1.30 runs both); the protobuf is written with the wire
// format directly (package protowire), and files are written to a temporary name and renamed.
//
// # Metadata
//
// metadata_props use the project's provenance keys (see the Meta constants): the producer
// ("dltrigger export") and its version (also in producer_name and producer_version), the
// model directory, the model configuration and training options as JSON, the training data
// record (data.json: the dataset paths) when the directory has one, the number of trained
// epochs, the kind, the class names in output order, the feature specification
// (ingest.FeatureSpec) with the column names of each input, and model.json's scaler verbatim
// (the min-max ranges that turn raw high-level features into hlf).
package onnx
