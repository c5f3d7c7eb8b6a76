package ingest

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/features"
)

// BadFile is an input that could not be ingested.
type BadFile struct {
	Path string
	Err  error
}

// Summary tells what a run did.
type Summary struct {
	Out          string                     // output directory
	Files        int                        // inputs in this shard
	FilesDone    int                        // ingested by this run
	FilesSkipped int                        // already complete from an earlier run
	Events       int64                      // events read by this run
	Selected     map[int64]int64            // selected events per label
	Outcomes     map[features.Outcome]int64 // events per selection outcome
	Bad          []BadFile                  // inputs skipped as unreadable, by path
	Elapsed      time.Duration
	Workers      int
	Shard, Of    int              // the shard this run ingested
	Names        map[int64]string // sample name of each label
	// Complete is true when the output is marked complete (dataset.SuccessFile): the run, or
	// with several shards the last of them, covered every input.
	Complete  bool
	shardDone bool // this shard's marker was written
}

// Rate is the number of events read per second.
func (s *Summary) Rate() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Events) / s.Elapsed.Seconds()
}

// Print writes the summary for people, e.g.
//
//	ingest: 7 input files: 6 ingested now, 0 complete before, 1 bad
//	events: 90 read in 230ms (390 events/s, 2 workers)
//	selected: 64 of 90 (71.1%): qcd (label 0) 6, ttbar (label 1) 30, wjets (label 2) 28
//	dropped: no isolated lepton 26
//	bad input, skipped: delphes: open data/x.root: not a readable ROOT file: ...
//	output: out/label=K/part-*.parquet
//	complete: out/_SUCCESS
func (s *Summary) Print(w io.Writer) {
	shard := ""
	if s.Of > 1 {
		shard = fmt.Sprintf(" (--shard %d --of %d)", s.Shard, s.Of)
	}
	fmt.Fprintf(w, "ingest: %d input files%s: %d ingested now, %d complete before, %d bad\n",
		s.Files, shard, s.FilesDone, s.FilesSkipped, len(s.Bad))
	fmt.Fprintf(w, "events: %d read in %s (%.0f events/s, %d workers)\n", s.Events, s.Elapsed.Round(time.Millisecond), s.Rate(), s.Workers)
	var labels []int64
	var selected int64
	for l, n := range s.Selected {
		labels = append(labels, l)
		selected += n
	}
	sort.Slice(labels, func(i, j int) bool { return labels[i] < labels[j] })
	var parts []string
	for _, l := range labels {
		name := s.Names[l]
		if name == "" {
			name = "label"
		}
		parts = append(parts, fmt.Sprintf("%s (label %d) %d", name, l, s.Selected[l]))
	}
	if s.Events > 0 {
		fmt.Fprintf(w, "selected: %d of %d (%.1f%%): %s\n", selected, s.Events, 100*float64(selected)/float64(s.Events), strings.Join(parts, ", "))
	}
	var dropped []string
	for o := features.Outcome(0); o < features.NumOutcomes; o++ {
		if n := s.Outcomes[o]; n > 0 && o != features.Selected {
			dropped = append(dropped, fmt.Sprintf("%v %d", o, n))
		}
	}
	if len(dropped) > 0 {
		fmt.Fprintf(w, "dropped: %s\n", strings.Join(dropped, ", "))
	}
	for _, b := range s.Bad {
		if msg := fmt.Sprint(b.Err); strings.Contains(msg, b.Path) {
			fmt.Fprintf(w, "bad input, skipped: %s\n", msg) // the error names the file
		} else {
			fmt.Fprintf(w, "bad input, skipped: %s: %s\n", b.Path, msg)
		}
	}
	if s.Out == "" || s.FilesDone+s.FilesSkipped == 0 {
		return // nothing written
	}
	out := strings.TrimSuffix(s.Out, "/")
	fmt.Fprintf(w, "output: %s/label=K/part-*.parquet\n", out)
	switch {
	case s.Complete:
		fmt.Fprintf(w, "complete: %s/%s\n", out, dataset.SuccessFile)
	case s.shardDone:
		fmt.Fprintf(w, "shard %d of %d done: the last shard to finish marks the output complete (%s)\n", s.Shard, s.Of, dataset.SuccessFile)
	}
}
