package modeldir

// Keys of the provenance that evaluate.PredictDataset writes into its output's key-value metadata, beside
// dataset's MetaProducer, MetaInput (the predicted dataset) and MetaFeatureSpec (carried over
// from that dataset's files; "unknown" when they carry none): the model directory and what it
// is (model.json's classifier configuration and training options).
const (
	MetaModelDir = "dltrigger.model_dir"
	MetaModel    = "dltrigger.model"    // JSON: models.Config
	MetaTraining = "dltrigger.training" // JSON: Options
)
