package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/godltrigger/godltrigger/pkg/evaluate"
	"github.com/godltrigger/godltrigger/pkg/progress"
	"github.com/godltrigger/godltrigger/pkg/spec"
)

func init() {
	register(&command{Name: "evaluate", Summary: "step 4: metrics and plots of a trained classifier on a test set", Run: runEvaluate})
}

func runEvaluate(ctx context.Context, args []string) error {
	fs := newFlags("evaluate", "evaluate --model MODEL_DIR --test DIR --out REPORT_DIR [--reference]", fmt.Sprintf(`
Predicts the test dataset with a model trained by 'dltrigger train' and writes to
REPORT_DIR: metrics.json (accuracy, one-vs-rest AUC of qcd, ttbar and wjets, the
confusion matrix normalised per true class, trigger working points of the ttbar and
wjets selectors with bootstrap intervals) and the plots, as PNG and SVG: loss and
accuracy per epoch, ROC curves (the ttbar selector highlighted) and the confusion
matrix. --reference puts the published ttbar AUC of the model's kind in the legend
(HLF %.4f, particle %.4f, inclusive %.4f; from the original repository's notebooks:
inclusive-lstm %.4f, inclusive-transformer %.4f; none for the other variants).

Example:
  dltrigger evaluate --model models/hlf --test prepared/testUndersampled_HLF_features.parquet \
      --out reports/hlf --reference`, spec.ReferenceAUCHLF, spec.ReferenceAUCParticle, spec.ReferenceAUCInclusive,
		spec.ReferenceAUCInclusiveLSTM, spec.ReferenceAUCInclusiveTransformer))
	model := fs.String("model", "", "model `DIR` (required)")
	test := fs.String("test", "", "labelled test dataset `DIR` (required; --in is accepted too)")
	out := fs.String("out", "", "report `DIR` (required)")
	ref := fs.Bool("reference", false, "show the published ttbar AUC in the ROC legend")
	quiet := fs.Bool("quiet", false, "no progress bar")
	aliasFlag(fs, "in", "test")
	if _, err := parseArgs(fs, args, "", 0, 0); err != nil {
		return err
	}
	if err := requireFlags(fs, "model", "test", "out"); err != nil {
		return err
	}
	if err := onlyChecking(ctx); err != nil {
		return err
	}
	opts := evaluate.EvaluateOptions{Reference: *ref}
	if !*quiet {
		opts.Progress = progress.NewTerminal(os.Stderr)
	}
	rep, _, err := evaluate.EvaluateModel(ctx, *model, *test, *out, opts)
	if err != nil {
		return err
	}
	printReport(os.Stdout, rep, *out)
	return nil
}

func printReport(w io.Writer, r *evaluate.Report, out string) {
	fmt.Fprintf(w, "%s on %d events: accuracy %.4f\n", r.Model, r.Events, r.Accuracy)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "class\tevents\tAUC\t")
	for _, c := range r.Classes {
		fmt.Fprintf(tw, "->%s\t", c)
	}
	fmt.Fprintln(tw)
	for i, c := range r.Classes {
		fmt.Fprintf(tw, "%s\t%d\t%.4f\t", c, r.EventsPerClass[c], r.AUC[c])
		for _, v := range r.Confusion[i] {
			fmt.Fprintf(tw, "%.3f\t", v)
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	fmt.Fprintf(w, "metrics.json and plots in %s\n", out)
}
