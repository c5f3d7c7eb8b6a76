// Package prep is step 2 of the pipeline: it turns the ingested events (package ingest) into
// the training and test datasets of the original, with the same names and schemas as the
// published ones:
//
//	trainUndersampled.parquet/                       testUndersampled.parquet/
//	trainUndersampled_HLF_features.parquet/          testUndersampled_HLF_features.parquet/
//	trainUndersampled_InclusiveClassifier.parquet/   testUndersampled_InclusiveClassifier.parquet/
//	scaler.json                                      (the fitted min-max scaler)
//
// The transformations are the original's: HLF_input is hfeatures min-max scaled over the whole
// dataset (0.5 where max = min); encoded_label is the one-hot label; GRU_input is the 801
// particle rows sorted by decreasing ΔR to the lepton and standardized per event and column.
// Classes are balanced to the smallest one by Bernoulli sampling, rows are split 80/20 at
// random, and the training set is shuffled. Options.MaskPadding changes GRU_input so that
// padding rows stay exactly 0 (see Sequencer.MaskedGRUInput); it is off by default.
//
// Run streams, so data larger than memory works: a first pass reads only hfeatures and label
// (class counts and the scaler); a second samples, splits and scatters rows into compressed
// shuffle buckets on disk; a third shuffles each bucket in memory, transforms its rows and
// writes one part file per bucket. Peak memory is set by Options.MemoryBytes, not by the input
// size. Every random decision about a row is a pure function of the seed and the row's place
// in the input, so the output does not depend on the number of workers.
package prep
