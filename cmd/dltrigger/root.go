package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/godltrigger/godltrigger/pkg/delphes"
)

func init() {
	register(&command{Name: "root ls", Summary: "list the trees and branches of a ROOT file and how its events are read", Run: runRootLs})
	register(&command{Name: "root dump", Summary: "print the events of a Delphes file as JSON lines", Run: runRootDump})
}

func runRootLs(ctx context.Context, args []string) error { return rootLs(ctx, os.Stdout, args) }

func runRootDump(ctx context.Context, args []string) error { return rootDump(ctx, os.Stdout, args) }

func rootLs(ctx context.Context, w io.Writer, args []string) error {
	fs := newFlags("root ls", "root ls FILE", `
Lists every tree of a ROOT file (local path or root://host:port//path URL) with its
entries and its branches (class, leaf types, title), then says whether the Delphes
collections the pipeline needs can be read: the layout ("split" for files written by
Delphes, "flat" for files written by 'dltrigger generate') and the muon collection used
(MuonTight, else Muon), or why not.

A branch or tree whose classes the reader cannot decode (a class that refers to itself,
one go-hep cannot build) is marked "unsupported by the reader" and the rest is still
listed. A tree whose bytes are damaged is listed as "corrupt" and the command then exits
with status 1, as it does for a file that is truncated, unreadable or not a ROOT file.

Example:
  dltrigger root ls /data/delphes/qcd_0001.root`)
	files, err := parseArgs(fs, args, "FILE", 1, 1)
	if err != nil {
		return err
	}
	if err := onlyChecking(ctx); err != nil {
		return err
	}
	l, err := delphes.List(files[0])
	if err != nil {
		return err
	}
	if err := l.Write(w); err != nil {
		return err
	}
	return l.Damaged()
}

func rootDump(ctx context.Context, w io.Writer, args []string) error {
	fs := newFlags("root dump", "root dump FILE --json [--events N]", `
Prints the events of a Delphes file (local path or root://host:port//path URL), one
JSON object a line with every collection the pipeline reads, named as in the file:
{"entry":0,"EFlowTrack":{"PT":[...],"Eta":[...],...},"Electron":{...},...}.

Example:
  dltrigger root dump events/qcd/qcd_0000.root --json --events 3 | jq .Jet`)
	asJSON := fs.Bool("json", false, "print JSON lines (the only format; required)")
	n := fs.Int64("events", -1, "print the first `N` events only (default: all)")
	files, err := parseArgs(fs, args, "FILE", 1, 1)
	if err != nil {
		return err
	}
	if !*asJSON {
		return usageErrorf(fs, "--json is required (the only output format)")
	}
	if err := onlyChecking(ctx); err != nil {
		return err
	}
	f, err := delphes.Open(files[0], delphes.WithLogf(nil))
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(w, 1<<16)
	if err := f.DumpJSON(ctx, bw, *n); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing output: %w", err)
	}
	return nil
}
