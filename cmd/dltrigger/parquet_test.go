package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/spec"
)

// parquetFixture writes a two-partition Ingested dataset and returns its directory.
func parquetFixture(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ingested.parquet")
	for label := int64(0); label < 2; label++ {
		w, err := dataset.NewWriter(filepath.Join(dataset.PartitionDir(dir, "label", label), dataset.PartName(0, "j")),
			dataset.Ingested().Drop("label"), dataset.WithMetadata(map[string]string{"godltrigger.step": "ingest"}))
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 3; i++ {
			hf := make([]float64, spec.NumHLF)
			lf := make([]float64, spec.SequenceLength*spec.NumParticleFeatures)
			hf[0], hf[1], lf[1] = float64(10*label)+float64(i), 0.125, 2.5
			if err := w.Append(hf, lf); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if err := dataset.MarkSuccess(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestParquetSchema(t *testing.T) {
	dir := parquetFixture(t)
	var out bytes.Buffer
	if err := parquetSchema(context.Background(), &out, []string{dir}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"2 file(s), 6 rows, 2 row group(s)",
		"label=1/part-00000-j-c000.snappy.parquet  3 rows, 1 row group(s)",
		"optional group hfeatures (List) {",
		"repeated group list {",
		"optional double element;",
		"hfeatures: list<element: float64, nullable>",
		"lfeatures: list<element: list<element: float64, nullable>, nullable>",
		"label: int64 (partition column, from the directory name label=0)",
		"godltrigger.step: ingest",
		dataset.SparkSchemaKey + `: {"type":"struct"`,
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestParquetHead(t *testing.T) {
	dir := parquetFixture(t)
	tests := []struct {
		name string
		args []string
		want []string
		not  []string
	}{
		{"default", []string{dir}, []string{
			"row 0 (label=0/part-00000-j-c000.snappy.parquet, row 0)",
			"  hfeatures: [0, 0.125, 0, 0, … (14)]",
			"  lfeatures: 801x19 [[0, 2.5, 0, 0, … (19)], [0, 0, 0, 0, … (19)], … (801)]",
			"row 4 (label=1/part-00000-j-c000.snappy.parquet, row 1)",
			"  hfeatures: [11, 0.125, 0, 0, … (14)]",
			"  label: 1",
		}, []string{"row 5"}},
		{"flags after path", []string{dir, "-n", "2", "--columns", "label,hfeatures"}, []string{
			"row 1 (label=0/part-00000-j-c000.snappy.parquet, row 1)\n  label: 0\n  hfeatures: [1, 0.125, 0, 0, … (14)]\n",
		}, []string{"row 2", "lfeatures"}},
		{"one file", []string{"-n", "1", filepath.Join(dir, "label=1", "part-00000-j-c000.snappy.parquet")}, []string{
			"row 0 (part-00000-j-c000.snappy.parquet, row 0)", "  label: 1",
		}, []string{"row 1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := parquetHead(context.Background(), &out, tc.args); err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
			for _, w := range tc.not {
				if strings.Contains(out.String(), w) {
					t.Errorf("output has %q:\n%s", w, out.String())
				}
			}
		})
	}
}

func TestParquetCommandsExitCodes(t *testing.T) {
	dir := parquetFixture(t)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"head help", []string{"parquet", "head", "-h"}, 0, "Usage: dltrigger parquet head FILE|DIR [-n 5] [--columns a,b]"},
		{"schema help", []string{"parquet", "schema", "--help"}, 0, "Example:\n  dltrigger parquet schema"},
		{"no path", []string{"parquet", "head"}, 2, "a FILE or DIR argument is required"},
		{"two paths", []string{"parquet", "schema", dir, dir}, 2, "one FILE or DIR argument"},
		{"bad n", []string{"parquet", "head", "-n", "0", dir}, 2, "-n must be positive"},
		{"missing", []string{"parquet", "schema", filepath.Join(dir, "nosuch")}, 1, "dltrigger parquet schema: dataset: stat"},
		{"unknown column", []string{"parquet", "head", dir, "--columns", "HLF_input"}, 1, `no column "HLF_input" in schema (hfeatures, lfeatures, label)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			var code int
			// Flag sets print usage and help on os.Stderr; run prints errors on stderr.
			usage := stderrOf(t, func() { code = run(context.Background(), tc.args, &stderr) })
			all := usage + stderr.String()
			if code != tc.code {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", code, tc.code, all)
			}
			if !strings.Contains(all, tc.want) {
				t.Fatalf("stderr lacks %q:\n%s", tc.want, all)
			}
		})
	}
}

// stderrOf returns what f writes to os.Stderr.
func stderrOf(t *testing.T, f func()) string {
	t.Helper()
	return fileOutput(t, &os.Stderr, f)
}
