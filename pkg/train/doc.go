// Package train trains the classifiers of package models with GoMLX: Adam with Keras's
// defaults, categorical cross-entropy on logits, per-epoch validation, checkpoints after every
// epoch and exact resumption, and inference from a saved model directory.
//
// Batches come from a Source (MemorySource holds data in memory; streaming readers implement
// the same interface). The data order of an epoch is a function of (seed, epoch), and the
// checkpoint holds the weights, the optimizer state and the random generator state, so a run
// killed and resumed ends with the same weights and history as an uninterrupted one.
//
//	src, _ := train.NewMemorySource(train.Data{HLF: x, Labels: y})
//	val, _ := train.NewMemorySource(train.Data{HLF: xTest, Labels: yTest})
//	hist, err := train.Train(ctx, train.Job{
//		Dir:     "models/hlf",
//		Model:   models.DefaultConfig(models.KindHLF),
//		Options: train.DefaultOptions(),
//		Train:   src, Validation: val,
//		Progress: progress.NewTerminal(os.Stderr), Log: os.Stderr,
//	})
//	// after a crash: train.Resume(ctx, train.Job{Dir: "models/hlf", Train: src, Validation: val})
//	probs, err := train.Predict("models/hlf", nil, train.Data{HLF: xNew}) // [N, 3] softmax
//
// Prepared Parquet datasets (ours or Spark's: full, HLF or inclusive layout) feed training
// through OpenDataset, which loads the columns a kind reads when they fit in memory and
// streams them otherwise (ParquetSource: prefetch on a goroutine, seeded shuffle buffer);
// TrainDatasets, EvaluateModel and PredictDataset are the train, evaluate and predict steps
// of the command line on such datasets:
//
//	src, _ := train.OpenDataset("prepared/trainUndersampled_HLF_features.parquet",
//		train.DataConfig{Kind: models.KindHLF})
//	rep, _ := train.EvaluateModel(ctx, "models/hlf", "prepared/testUndersampled_HLF_features.parquet",
//		"reports/hlf", train.EvaluateOptions{Reference: true}) // metrics.json and plots
//
// On datasets prepared with padding masking (prep.Options.MaskPadding), NewBucketSource groups
// the rows of a Source by real particle count into batches trimmed of their padding rows
// (Options.BucketByLength; TrainDatasets applies it).
//
// The backend is chosen by NewBackend ($GOMLX_BACKEND, else XLA when its plugin loads, else
// ONNX Runtime when its library loads, else the Go backend), which names the backend and its
// kernel family in one line. Initial weights depend only on Options.Seed (see package models).
package train
