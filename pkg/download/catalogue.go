package download

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/godltrigger/godltrigger/pkg/spec"
)

// DefaultBaseURL is where the original study published its datasets: one directory of
// Spark part files per dataset, served as plain HTTP directory listings.
const DefaultBaseURL = "http://sparkdltrigger.web.cern.ch/sparkdltrigger/"

// EnvBaseURL names the environment variable that overrides DefaultBaseURL, e.g. to use
// a mirror.
const EnvBaseURL = "DLTRIGGER_DATA_URL"

// Dataset describes one published dataset.
type Dataset struct {
	Name        string // directory name under the base URL, e.g. "testUndersampled_HLF_features.parquet"
	Format      string // "parquet", "tfrecord" or "root"
	Bytes       int64  // approximate size as published
	Rows        int64  // number of rows (events); 0 when not published
	Description string // what it holds and what it is for
}

const (
	hlfTrainRows = spec.PublishedTrainRows
	hlfTestRows  = spec.PublishedTestRows
)

// tfrecord is the name of the TFRecord twin of a published Parquet dataset.
func tfrecord(parquet string) string { return strings.TrimSuffix(parquet, ".parquet") + ".tfrecord" }

// catalogue is the list of published datasets, the source of truth for data/README.md.
var catalogue = []Dataset{
	{spec.TrainHLF, "parquet", 300e6, hlfTrainRows,
		"HLF classifier training set: HLF_input (14 doubles, min-max scaled), encoded_label (3 doubles, one-hot)"},
	{spec.TestHLF, "parquet", 75e6, hlfTestRows,
		"HLF classifier test set, same columns as the training set"},
	{spec.TrainInclusive, "parquet", 132e9, hlfTrainRows,
		"inclusive and particle-sequence classifiers training set: HLF_input, GRU_input (801*19 doubles), encoded_label"},
	{spec.TestInclusive, "parquet", 32e9, hlfTestRows,
		"inclusive and particle-sequence classifiers test set, same columns as the training set"},
	{spec.TrainFull, "parquet", 255e9, hlfTrainRows,
		"full training set: hfeatures, label, lfeatures, hfeatures_dense, encoded_label, HLF_input, GRU_input"},
	{spec.TestFull, "parquet", 64e9, hlfTestRows,
		"full test set, same columns as the full training set"},
	{"testUndersampled_2kevents.parquet", "parquet", 162e6, 2000,
		"2k-event sample of the full test set, all columns; a quick way to try the pipeline"},
	{tfrecord(spec.TrainHLF), "tfrecord", 106e6, hlfTrainRows,
		"HLF training set as TFRecord (listed only: the pipeline reads Parquet)"},
	{tfrecord(spec.TestHLF), "tfrecord", 422e6, hlfTestRows,
		"HLF test set as TFRecord (listed only: the pipeline reads Parquet)"},
	{tfrecord(spec.TrainInclusive), "tfrecord", 195e9, hlfTrainRows,
		"inclusive classifier training set as TFRecord (listed only: the pipeline reads Parquet)"},
	{tfrecord(spec.TestInclusive), "tfrecord", 49e9, hlfTestRows,
		"inclusive classifier test set as TFRecord (listed only: the pipeline reads Parquet)"},
	{"lepFilter_rawData_SAMPLE", "root", 14e9, 0,
		"sample of the raw simulated events (Delphes ROOT files), the input of step 1 (ingest)"},
	{"dataIngestion_full_13TeV_SAMPLE", "parquet", 6.4e9, 0,
		"sample of the output of step 1: hfeatures, lfeatures, label; the input of step 2 (prepare)"},
}

// Catalogue returns the published datasets, in the order of data/README.md.
func Catalogue() []Dataset {
	return append([]Dataset(nil), catalogue...)
}

// Lookup finds a published dataset by name. The error of an unknown name lists the known
// ones.
func Lookup(name string) (Dataset, error) {
	for _, d := range catalogue {
		if d.Name == name {
			return d, nil
		}
	}
	names := make([]string, len(catalogue))
	for i, d := range catalogue {
		names[i] = d.Name
	}
	sort.Strings(names)
	return Dataset{}, fmt.Errorf("download: unknown dataset %q; known datasets: %s (or give a URL)", name, strings.Join(names, ", "))
}

// BaseURL returns override when it is not empty, else the value of $DLTRIGGER_DATA_URL,
// else DefaultBaseURL.
func BaseURL(override string) string {
	if override != "" {
		return override
	}
	if v := os.Getenv(EnvBaseURL); v != "" {
		return v
	}
	return DefaultBaseURL
}

// WriteCatalogue prints the catalogue as a table: name, format, size, rows, description.
func WriteCatalogue(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tFORMAT\tSIZE\tROWS\tDESCRIPTION")
	for _, d := range catalogue {
		rows := "-"
		if d.Rows > 0 {
			rows = fmt.Sprint(d.Rows)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", d.Name, d.Format, HumanBytes(d.Bytes), rows, d.Description)
	}
	return tw.Flush()
}

// HumanBytes formats n bytes with a decimal unit, e.g. "75 MB" or "6.4 GB".
func HumanBytes(n int64) string {
	units := []string{"B", "kB", "MB", "GB", "TB"}
	v := float64(n)
	i := 0
	for v >= 1000 && i < len(units)-1 {
		v /= 1000
		i++
	}
	if i == 0 || v >= 10 || v == float64(int64(v)) {
		return fmt.Sprintf("%.0f %s", v, units[i])
	}
	return fmt.Sprintf("%.1f %s", v, units[i])
}
