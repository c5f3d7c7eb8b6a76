// Package kernelext shows the pipeline's results inside GoNB notebooks: gonum plots inline
// (PNG or SVG), HTML tables (Parquet heads, evaluation metrics, tuning results), training
// curves, ROC curves and confusion matrices, and a progress bar that redraws in place while
// a step runs and stays in the saved notebook once it ends. It also writes the GoNB kernel
// specification that Jupyter, JupyterHub and SWAN use to start notebooks (InstallKernel).
//
// In a notebook cell:
//
//	%%
//	nb := kernelext.New()
//	defer nb.Sync()
//	sum, err := ingest.Run(ctx, ingest.Options{Out: out, Samples: samples, Progress: nb.Progress()})
//	nb.Must(err)
//	nb.ParquetHead(out, 5, "hfeatures", "label")
//
// Outside a notebook (IsNotebook false) the display calls do nothing, so the same code runs
// in plain Go programs and tests; tests pass their own Displayer to NewWith.
package kernelext
