package tune

import (
	"github.com/godltrigger/godltrigger/pkg/atomicfile"
	"github.com/godltrigger/godltrigger/pkg/modeldir"

	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"text/tabwriter"

	"github.com/godltrigger/godltrigger/pkg/models"
)

// Files of the final table in an output directory.
const (
	TableCSVFile      = "results.csv"
	TableMarkdownFile = "results.md"
	// BestOptionsFile is the best point as a training options file (modeldir.OptionsFile), for
	// 'dltrigger train --options FILE'.
	BestOptionsFile = "best_options.json"
)

// Rank returns the results sorted best first: by mean ttbar AUC, then mean accuracy, then
// key (so that the order is total and reproducible).
func Rank(results []Result) []Result {
	out := slices.Clone(results)
	slices.SortStableFunc(out, func(a, b Result) int {
		if c := cmp.Compare(b.MeanAUC, a.MeanAUC); c != 0 {
			return c
		}
		if c := cmp.Compare(b.MeanAccuracy, a.MeanAccuracy); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
	return out
}

// tableHeader names the columns of the table in all its renderings.
var tableHeader = []string{"rank", "batch_size", "epochs", "nh_1", "nh_2", "nh_3",
	"auc_mean", "auc_std", "accuracy_mean", "accuracy_std", "folds", "rows", "seconds", "key"}

func tableRow(rank int, r Result) []string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 4, 64) }
	return []string{strconv.Itoa(rank), strconv.Itoa(r.Point.BatchSize), strconv.Itoa(r.Point.Epochs),
		strconv.Itoa(r.Point.Hidden[0]), strconv.Itoa(r.Point.Hidden[1]), strconv.Itoa(r.Point.Hidden[2]),
		f(r.MeanAUC), f(r.StdAUC), f(r.MeanAccuracy), f(r.StdAccuracy),
		strconv.Itoa(r.Setup.Folds), strconv.Itoa(r.Rows), strconv.FormatFloat(r.Seconds, 'f', 1, 64), r.Key}
}

// PrintTable writes ranked results (see Rank) as an aligned text table, at most limit rows
// (all when limit <= 0).
func PrintTable(w io.Writer, ranked []Result, limit int) error {
	if limit <= 0 || limit > len(ranked) {
		limit = len(ranked)
	}
	if trees, err := treeResults(ranked); err != nil {
		return err
	} else if trees {
		return printTreeTable(w, ranked, limit)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "rank\tbatch\tepochs\thidden\tttbar AUC\taccuracy\ts/point\t\n")
	for i, r := range ranked[:limit] {
		fmt.Fprintf(tw, "%d\t%d\t%d\t%d-%d-%d\t%.4f ± %.4f\t%.4f ± %.4f\t%.1f\t\n", i+1, r.Point.BatchSize, r.Point.Epochs,
			r.Point.Hidden[0], r.Point.Hidden[1], r.Point.Hidden[2], r.MeanAUC, r.StdAUC, r.MeanAccuracy, r.StdAccuracy, r.Seconds)
	}
	if limit < len(ranked) {
		fmt.Fprintf(tw, "...\t%d more\t\t\t\t\t\t\n", len(ranked)-limit)
	}
	return tw.Flush()
}

// WriteCSV writes ranked results to path (atomically) with the columns of tableHeader.
func WriteCSV(path string, ranked []Result) error {
	return writeAtomic(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		if trees, err := treeResults(ranked); err != nil {
			return err
		} else if trees {
			return cw.WriteAll(treeTable(ranked, func(v float64) string { return strconv.FormatFloat(v, 'f', 4, 64) }))
		}
		cw.Write(tableHeader)
		for i, r := range ranked {
			cw.Write(tableRow(i+1, r))
		}
		cw.Flush()
		return cw.Error()
	})
}

// WriteMarkdown writes ranked results to path (atomically) as a Markdown table.
func WriteMarkdown(path string, ranked []Result) error {
	return writeAtomic(path, func(w io.Writer) error {
		if trees, err := treeResults(ranked); err != nil {
			return err
		} else if trees {
			return markdownRows(w, treeTable(ranked, func(v float64) string { return fmt.Sprintf("%.4f", v) }))
		}
		fmt.Fprintf(w, "| rank | batch | epochs | hidden | ttbar AUC | accuracy | folds | rows | s/point |\n")
		fmt.Fprintf(w, "|---:|---:|---:|:---:|:---:|:---:|---:|---:|---:|\n")
		for i, r := range ranked {
			fmt.Fprintf(w, "| %d | %d | %d | %d-%d-%d | %.4f ± %.4f | %.4f ± %.4f | %d | %d | %.1f |\n", i+1,
				r.Point.BatchSize, r.Point.Epochs, r.Point.Hidden[0], r.Point.Hidden[1], r.Point.Hidden[2],
				r.MeanAUC, r.StdAUC, r.MeanAccuracy, r.StdAccuracy, r.Setup.Folds, r.Rows, r.Seconds)
		}
		_, err := fmt.Fprintln(w)
		return err
	})
}

// BestOptions is the training options file of a result: the HLF classifier with the point's
// hidden sizes, trained with its batch size and epochs and the search's seed (a tree point: its
// ensemble, without early stopping, and the seed).
func BestOptions(r Result) *modeldir.OptionsFile {
	f := modeldir.DefaultOptionsFile(models.KindHLF)
	f.Model = r.Point.Model()
	f.Options = r.Point.Options(r.Setup.Seed)
	return f
}

// WriteOutputs writes the final table of results into dir: TableCSVFile, TableMarkdownFile
// and, for the best result, BestOptionsFile. It returns the ranked results.
func WriteOutputs(dir string, results []Result) ([]Result, error) {
	ranked := Rank(results)
	if _, err := treeResults(ranked); err != nil {
		return nil, err
	}
	if err := WriteCSV(filepath.Join(dir, TableCSVFile), ranked); err != nil {
		return nil, err
	}
	if err := WriteMarkdown(filepath.Join(dir, TableMarkdownFile), ranked); err != nil {
		return nil, err
	}
	if len(ranked) > 0 {
		if err := modeldir.WriteOptionsFile(filepath.Join(dir, BestOptionsFile), BestOptions(ranked[0])); err != nil {
			return nil, fmt.Errorf("tune: %w", err)
		}
	}
	return ranked, nil
}

// writeAtomic writes path so that a crash never leaves a partial file under its name.
func writeAtomic(path string, write func(io.Writer) error) error {
	if err := atomicfile.Write(path, write); err != nil {
		return fmt.Errorf("tune: %w", err)
	}
	return nil
}
