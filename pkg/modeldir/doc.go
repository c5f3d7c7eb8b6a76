// Package modeldir reads and writes the model directories that package train writes, and runs
// inference with them. A directory is self-describing:
//
//	model.json       Info: the classifier's kind and sizes, the training Options, the scaler
//	history.json     History: per-epoch loss and accuracy, the checkpoints of the last and the
//	                 best epoch, the state of early stopping and of the learning rate
//	data.json        DataRecord: the datasets a run read, and how
//	checkpoint/      GoMLX checkpoints (weights, optimizer state, random generator state)
//	checkpoint/best/ the checkpoint of the epoch with the lowest validation loss
//	xgboost.json     instead of checkpoint/, for the tree ensembles (TreeModelFile)
//
// Load builds a Predictor for the checkpoint a directory serves (the best epoch's with the
// restore_best option, else the last one that reads completely), on the backend that
// NewBackend chooses ($GOMLX_BACKEND, else XLA when its plugin loads, else ONNX Runtime when
// its library loads, else the Go backend; one line names the backend and its kernel family):
//
//	p, err := modeldir.Load("models/hlf", nil)
//	defer p.Close()
//	probs, err := p.Predict(modeldir.Data{HLF: x}) // [N, 3] softmax, row-major
//
// ReadWeights returns the classifier's weights as plain values (package onnx exports them);
// directories written with GoMLX v0.26 (per-gate GRU weights) load with their GRU fused.
// Serving and export import this package, not the training loop.
package modeldir
