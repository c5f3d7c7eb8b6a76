// Package spec is the pipeline's vocabulary: the names, sizes and published numbers of the
// reference pipeline (Nguyen et al.; Migliorini et al., SparkDLTrigger), as the project's
// PIPELINE.md ("The reference pipeline, as facts") states them; each declaration cites its
// section. Every other package takes them from here,
// so that the feature names, column names, class names, dataset names and reference results
// are spelled once.
//
// The tables, in the order of the pipeline:
//
//	Classes                        qcd, ttbar, wjets (labels 0, 1, 2)
//	Particle (NumParticleFeatures) the 19 columns of a particle row
//	SequenceLength                 801 rows: the lepton, 450 tracks, 150 photons, 200 neutral hadrons
//	HLF (NumHLF)                   the 14 high-level features
//	Column*                        the columns of the ingested and prepared datasets
//	TrainHLF, TestHLF, ...         the published dataset names; ScalerFile beside them
//	ReferenceAUC*                  the published ttbar-selector AUCs
//
// Counts are untyped constants that size the tables (HLF is a [NumHLF]string): a table with
// more entries than its count does not compile, and the package's tests find one with fewer
// (an empty name). The package imports nothing of the module and sits at the bottom of
// its import graph.
package spec
