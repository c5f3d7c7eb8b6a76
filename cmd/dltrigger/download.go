package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/godltrigger/godltrigger/pkg/download"
	"github.com/godltrigger/godltrigger/pkg/progress"
)

func init() {
	register(&command{Name: "download", Summary: "fetch the published SparkDLTrigger datasets (resumable)", Run: runDownload})
}

func runDownload(ctx context.Context, args []string) error {
	return downloadCmd(ctx, os.Stdout, os.Stderr, args)
}

func downloadCmd(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := newFlags("download", "download NAME|URL... [--dir DIR] [--base-url URL] | download --list", `
Download fetches datasets published by the original study (CC0) into DIR/NAME, each a
directory of Spark part files served as an HTTP directory listing. NAME is a catalogue
name (see --list and data/README.md) looked up under the base URL; a URL of any
directory listing works too. Only the tree below the dataset's URL is fetched.

Stop it at any time and run it again: complete files are skipped, partial ones
(FILE.part) continue with an HTTP Range request, and a file gets its final name only when
whole. Transient errors are retried with backoff. The base URL is, in order, --base-url,
$DLTRIGGER_DATA_URL, or `+download.DefaultBaseURL+`.

Example:
  dltrigger download --list
  dltrigger download trainUndersampled_HLF_features.parquet testUndersampled_HLF_features.parquet --dir data
  dltrigger train --model hlf --train data/trainUndersampled_HLF_features.parquet \
      --test data/testUndersampled_HLF_features.parquet --out models/hlf`)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "data", "`DIR` to download into")
	base := fs.String("base-url", "", "`URL` of the directory holding the datasets (a mirror)")
	list := fs.Bool("list", false, "print the catalogue of datasets and exit")
	parallel := fs.Int("parallel", 4, "files downloaded at once")
	retries := fs.Int("retries", 5, "retries of a request after a transient error (0: none)")
	quiet := fs.Bool("quiet", false, "no progress bar")
	targets, err := parseArgs(fs, args, "NAME|URL", 0, -1)
	if err != nil {
		return err
	}
	if !*list && len(targets) == 0 {
		return usageErrorf(fs, "name at least one dataset (see --list)")
	}
	if *parallel < 1 || *retries < 0 {
		return usageErrorf(fs, "--parallel must be at least 1 and --retries at least 0")
	}
	if err := onlyChecking(ctx); err != nil {
		return err
	}
	if *list {
		return download.WriteCatalogue(stdout)
	}
	for _, t := range targets { // check every name before fetching anything
		if _, _, err := download.Resolve(t, *base); err != nil {
			return err
		}
	}
	opts := download.Options{BaseURL: *base, Parallel: *parallel, Retries: *retries}
	if *retries == 0 {
		opts.Retries = -1
	}
	if !*quiet {
		opts.Progress = progress.NewTerminal(stderr)
	}
	for _, t := range targets {
		res, err := download.Fetch(ctx, t, *dir, opts)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: %d files (%d already complete, %d resumed), %s received\n",
			res.Dir, res.Files, res.Skipped, res.Resumed, download.HumanBytes(res.Bytes))
	}
	return nil
}
