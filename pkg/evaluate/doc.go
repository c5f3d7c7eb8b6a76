// Package evaluate measures a trained classifier on a test set and draws
// the plots of the original notebooks (PIPELINE.md, step 4 "Evaluation"):
// accuracy, confusion matrix normalised per true class, one-vs-rest ROC
// curves and AUC, trigger working points with bootstrap confidence
// intervals, and loss and accuracy curves.
//
// Its metrics work on plain data, independent of the models: the softmax outputs
// are a flat row-major []float64 with nClasses values per event (event i's
// probability of class c is probs[i*nClasses+c]) and the labels an []int
// (0 = qcd, 1 = ttbar, 2 = wjets).
//
//	rep, err := evaluate.NewReport(probs, evaluate.NumClasses, labels,
//		evaluate.ReportConfig{Model: "HLF classifier"})
//	if err != nil { ... }
//	if err := evaluate.WriteReport("out", rep); err != nil { ... } // out/metrics.json
//
//	curves, _ := evaluate.OneVsRestAll(probs, evaluate.NumClasses, labels)
//	conf, _ := evaluate.NewConfusion(probs, evaluate.NumClasses, labels)
//	_, err = evaluate.WritePlots("out", evaluate.PlotSet{
//		History:   &evaluate.History{Loss: loss, ValLoss: valLoss},
//		ROC:       curves,
//		Confusion: conf,
//	}) // out/{loss,roc,confusion}.{png,svg}
//
// On a model directory (package modeldir) and a prepared dataset, EvaluateModel
// and PredictDataset are the evaluate and predict steps of the command line:
// they stream the dataset's rows through the model's Predictor.
//
//	rep, plots, err := evaluate.EvaluateModel(ctx, "models/hlf",
//		"prepared/testUndersampled_HLF_features.parquet", "reports/hlf",
//		evaluate.EvaluateOptions{Reference: true}) // metrics.json, plots["roc"] = reports/hlf/roc.png
//
// In a notebook, LossPlot, AccuracyPlot, ROCPlot and ConfusionPlot return
// the *plot.Plot to display inline; FeatureHistograms draws the input
// features' distributions per class (the data exploration of the original
// notebooks).
//
// Class labels and names (QCD, TTbar, WJets, NumClasses, ClassNames) are
// package spec's, the pipeline's vocabulary.
//
// # ROC curves and ties
//
// A ROC curve has one point per distinct score: events with equal scores
// pass or fail a cut together, so a tie between signal and background is a
// diagonal segment. The trapezoid area under such a curve is exactly the
// Mann-Whitney statistic (ties counting one half), which MannWhitneyAUC
// computes independently from ranks.
//
// # Trigger vocabulary
//
// For a selector (signal = one class, background = the others): signal
// efficiency eps_S = TPR, background efficiency eps_B = FPR, background
// rejection = 1/eps_B (the physicists' convention; +Inf when no background
// passes), specificity = 1 - eps_B. Working points are interpolated
// linearly on the ROC curve. Confidence intervals are percentile bootstrap
// intervals (68% and 95%) over resamples of the events drawn with
// replacement from a seeded generator.
package evaluate
