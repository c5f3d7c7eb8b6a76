// Package trees trains the tree ensembles of the study on the 14 high-level features with
// XGBoost (package xgboost, the library itself through its C API), as the original's Spark ML
// notebooks did with Spark MLlib's random forest and SparkXGBClassifier:
//
//   - models.KindXGBoost: gradient-boosted trees, multi:softprob, XGBoost's defaults (depth 6,
//     eta 0.3, at most 100 rounds) with early stopping on the test set's mlogloss;
//   - models.KindRF: a random forest in XGBoost's random-forest mode: one round of 100 parallel
//     trees of depth 10, eta 1, rows and features (per split) subsampled to 0.8.
//
// A trained ensemble's model directory holds XGBoost's own model file (modeldir.TreeModelFile)
// beside model.json, history.json and data.json, so modeldir.Load, EvaluateModel,
// PredictDataset and package serve use it as they use the networks: their probabilities come
// from XGBoost, and the ROC curves from those probabilities.
//
//	res, err := trees.TrainDatasets(ctx, trees.DatasetJob{
//		Dir:      "models/xgboost",
//		TrainDir: "prepared/trainUndersampled_HLF_features.parquet",
//		TestDir:  "prepared/testUndersampled_HLF_features.parquet",
//		Model:    models.DefaultConfig(models.KindXGBoost),
//		Seed:     42,
//	})
//	probs, err := modeldir.Predict("models/xgboost", nil, modeldir.Data{HLF: rows}) // [N, 3]
//
// XGBoost is compiled in only with the xgboost build tag (scripts/install-xgboost.sh installs
// the library): without it Train and TrainDatasets return an error saying how to rebuild.
package trees
