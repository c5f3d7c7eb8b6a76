package main

import (
	"context"
	"io"
	"os"
	"strings"

	"github.com/godltrigger/godltrigger/pkg/dataset"
)

func init() {
	register(&command{Name: "parquet schema", Summary: "show a Parquet file's or dataset's schemas, files, row groups and metadata", Run: runParquetSchema})
	register(&command{Name: "parquet head", Summary: "print the first rows of a Parquet file or dataset", Run: runParquetHead})
}

func runParquetSchema(ctx context.Context, args []string) error {
	return parquetSchema(ctx, os.Stdout, args)
}

func runParquetHead(ctx context.Context, args []string) error {
	return parquetHead(ctx, os.Stdout, args)
}

func parquetSchema(ctx context.Context, w io.Writer, args []string) error {
	fs := newFlags("parquet schema", "parquet schema FILE|DIR", `
Schema describes a Parquet file, or a dataset directory as Spark writes it (part files under
Hive key=value partition directories; _SUCCESS, .crc and temporary files are skipped): the
files with their rows and row groups, the Parquet schema and the Arrow schema of the first
file, the partition columns taken from directory names (label=K), and the footer's key-value
metadata.

Example:
  dltrigger parquet schema data/ingested.parquet`)
	paths, err := parseArgs(fs, args, "FILE or DIR", 1, 1)
	if err != nil {
		return err
	}
	if err := onlyChecking(ctx); err != nil {
		return err
	}
	r, err := dataset.Open(paths[0])
	if err != nil {
		return err
	}
	return r.Describe(w)
}

func parquetHead(ctx context.Context, w io.Writer, args []string) error {
	fs := newFlags("parquet head", "parquet head FILE|DIR [-n 5] [--columns a,b]", `
Head prints the first rows of a Parquet file or dataset directory, in file order. Lists
are abbreviated to their first values and length, "[0.12, 0.5, 3, 1, … (14)]", and lists
of lists to their shape and first rows, "801x19 [[0.5, 0, 0, 0, … (19)], …, … (801)]".
Columns stored only in partition directory names (label=K) are shown too.

Example:
  dltrigger parquet head data/ingested.parquet -n 3 --columns label,hfeatures`)
	n := fs.Int("n", 5, "number of rows")
	cols := fs.String("columns", "", "comma-separated `columns` to show (default: all)")
	paths, err := parseArgs(fs, args, "FILE or DIR", 1, 1)
	if err != nil {
		return err
	}
	if *n < 1 {
		return usageErrorf(fs, "-n must be positive")
	}
	if err := onlyChecking(ctx); err != nil {
		return err
	}
	var names []string
	if *cols != "" {
		for _, c := range strings.Split(*cols, ",") {
			if c = strings.TrimSpace(c); c != "" {
				names = append(names, c)
			}
		}
	}
	r, err := dataset.Open(paths[0])
	if err != nil {
		return err
	}
	return r.Head(ctx, w, *n, names)
}
