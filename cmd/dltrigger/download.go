package main

import (
	"context"
	"flag"
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
  dltrigger train --train data/trainUndersampled_HLF_features.parquet --test data/testUndersampled_HLF_features.parquet`)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "data", "`DIR` to download into")
	base := fs.String("base-url", "", "`URL` of the directory holding the datasets (a mirror)")
	list := fs.Bool("list", false, "print the catalogue of datasets and exit")
	parallel := fs.Int("parallel", 4, "files downloaded at once")
	retries := fs.Int("retries", 5, "retries of a request after a transient error (0: none)")
	quiet := fs.Bool("quiet", false, "no progress bar")
	targets, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if *list {
		return download.WriteCatalogue(stdout)
	}
	if len(targets) == 0 {
		fmt.Fprintln(stderr, "download: name at least one dataset (see --list)")
		fs.Usage()
		return errUsage
	}
	if *parallel < 1 || *retries < 0 {
		fmt.Fprintln(stderr, "download: --parallel must be at least 1 and --retries at least 0")
		fs.Usage()
		return errUsage
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

// parseInterleaved parses flags placed before, between or after the positional arguments
// and returns those arguments.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
