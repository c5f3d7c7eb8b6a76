// Package train trains the classifiers of package models with GoMLX: Adam with Keras's
// defaults, categorical cross-entropy on logits, per-epoch validation, checkpoints after every
// epoch and exact resumption, in one process or in the ranks of an MPI job. What it writes is a
// model directory, which package modeldir reads (model.json, history.json, the checkpoints,
// inference).
//
// Batches come from a Source (MemorySource holds data in memory; streaming readers implement
// the same interface). The data order of an epoch is a function of (seed, epoch), and the
// checkpoint holds the weights, the optimizer state and the random generator state, so a run
// killed and resumed ends with the same weights and history as an uninterrupted one.
//
//	src, _ := train.NewMemorySource(modeldir.Data{HLF: x, Labels: y})
//	val, _ := train.NewMemorySource(modeldir.Data{HLF: xTest, Labels: yTest})
//	hist, err := train.Train(ctx, train.Job{
//		Dir:     "models/hlf",
//		Model:   models.DefaultConfig(models.KindHLF),
//		Options: modeldir.DefaultOptions(),
//		Train:   src, Validation: val,
//		Progress: progress.NewTerminal(os.Stderr), Log: os.Stderr,
//	})
//	// after a crash: train.Resume(ctx, train.Job{Dir: "models/hlf", Train: src, Validation: val})
//	probs, err := modeldir.Predict("models/hlf", nil, modeldir.Data{HLF: xNew}) // [N, 3] softmax
//
// One loop and one step train a single process and the ranks of a distributed run alike: a
// single process is the one rank of a communicator of size one (cluster.Single), for which the
// step runs the loss, the gradients and the update as one graph and every collective call is a
// no-op (see Distributed). The run reports through Hooks: the progress of every pass and every
// completed epoch; Job.Progress (the command line's and the notebooks' bars) and Job.Log are
// hooks on the same events that the history records.
//
// Prepared Parquet datasets (ours or Spark's: full, HLF or inclusive layout) feed training
// through OpenDataset, which loads the columns a kind reads when they fit in memory and
// streams them otherwise (ParquetSource: prefetch on a goroutine, seeded shuffle buffer);
// TrainDatasets is the train step of the command line on such datasets, and OpenRows reads
// them in storage order for prediction and evaluation (package evaluate):
//
//	src, _ := train.OpenDataset(ctx, "prepared/trainUndersampled_HLF_features.parquet",
//		train.DataConfig{Kind: models.KindHLF})
//
// On datasets prepared with padding masking (prep.Options.MaskPadding), NewBucketSource groups
// the rows of a Source by real particle count into batches trimmed of their padding rows
// (modeldir.Options.BucketByLength; TrainDatasets applies it).
//
// The backend is modeldir.NewBackend's choice, with the replacements of backendOverride for
// the HLF network and for distributed ranks. Initial weights depend only on Options.Seed (see
// package models).
package train
