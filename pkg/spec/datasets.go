package spec

// Columns of the ingested dataset, the output of step 1 (PIPELINE.md, step 1, "Output of
// step 1"): hfeatures (NumHLF doubles), lfeatures (SequenceLength x NumParticleFeatures
// doubles) and label (an integer, the partition directory label=K).
const (
	ColumnHFeatures = "hfeatures"
	ColumnLFeatures = "lfeatures"
	ColumnLabel     = "label"
)

// Columns the preparation step adds (PIPELINE.md, step 2): HLF_input is hfeatures min-max
// scaled, encoded_label the one-hot label (NumClasses doubles), GRU_input the particle rows
// sorted by ΔR and standardized (SequenceLength x NumParticleFeatures, flattened in the
// inclusive dataset). The original's full dataset also holds hfeatures_dense, a Spark ML
// vector of hfeatures, which this project does not write.
const (
	ColumnHLFInput       = "HLF_input"
	ColumnEncodedLabel   = "encoded_label"
	ColumnGRUInput       = "GRU_input"
	ColumnHFeaturesDense = "hfeatures_dense"
)

// Names of the published datasets of step 2 (PIPELINE.md, step 2, "Published outputs"), each
// a directory of Parquet part files: the full one, the HLF one and the inclusive one, each
// split into train and test.
const (
	TrainFull      = "trainUndersampled.parquet"
	TestFull       = "testUndersampled.parquet"
	TrainHLF       = "trainUndersampled_HLF_features.parquet"
	TestHLF        = "testUndersampled_HLF_features.parquet"
	TrainInclusive = "trainUndersampled_InclusiveClassifier.parquet"
	TestInclusive  = "testUndersampled_InclusiveClassifier.parquet"
)

// Rows of the published train and test datasets (PIPELINE.md, step 2, "3,426,083 train rows,
// 856,090 test rows"); the HLF, inclusive and full datasets hold the same events.
const (
	PublishedTrainRows = 3_426_083
	PublishedTestRows  = 856_090
)

// ScalerFile is the name of the file, beside the prepared datasets, that holds the minimum
// and maximum of each high-level feature the HLF_input scaling used (PIPELINE.md, step 2,
// "HLF_input"). The original kept them in its Spark session; this project writes them out
// so that prediction and serving scale new events the same way.
const ScalerFile = "scaler.json"
