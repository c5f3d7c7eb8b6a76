package ingest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/delphes"
	"github.com/godltrigger/godltrigger/pkg/features"
	"github.com/godltrigger/godltrigger/pkg/features/featurestest"
)

// referenceFile computes, the slow independent way, the features of the selected events of one
// input, in input order, and counts the outcomes of all its events.
func referenceFile(t *testing.T, path string, opts features.Options, outcomes map[features.Outcome]int64) (h, l [][]float64) {
	t.Helper()
	f, err := delphes.Open(path, delphes.WithLogf(func(string, ...any) {}))
	if err != nil {
		t.Fatalf("reference: %v", err)
	}
	defer f.Close()
	err = f.Read(context.Background(), func(ev *delphes.Event) error {
		rl, rh, o := featurestest.ReferenceOutcome(ev, opts)
		outcomes[o]++
		if o == features.Selected {
			h, l = append(h, rh), append(l, rl)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("reference: %v", err)
	}
	return h, l
}

// checkAgainstReference ingests samples and compares every feature of every output row with
// featurestest.Reference, file by file and event by event in input order.
func checkAgainstReference(t *testing.T, samples []Sample, opts features.Options) {
	out := t.TempDir()
	sum := run(t, Options{Out: out, Samples: samples, Features: opts, Chunk: 4})
	inputs, err := Plan(samples, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Bad) > 0 || sum.FilesDone != len(inputs) {
		t.Fatalf("summary: %d of %d files done, bad %v", sum.FilesDone, len(inputs), sum.Bad)
	}
	got := readOutputs(t, out)
	if len(got) != len(inputs) {
		t.Errorf("%d output files for %d inputs", len(got), len(inputs))
	}
	want := map[features.Outcome]int64{}
	var selected int64
	for _, in := range inputs {
		rh, rl := referenceFile(t, in.Path, opts, want)
		selected += int64(len(rh))
		g := got[filepath.Clean(OutputPath(out, in))]
		if g == nil {
			t.Errorf("%s: no output", in.Path)
			continue
		}
		if len(g.h) != len(rh) {
			t.Errorf("%s: %d events selected, reference selects %d", in.Path, len(g.h), len(rh))
			continue
		}
		for i := range rh {
			if d := firstDiff(g.h[i], rh[i]); d != "" {
				t.Errorf("%s: selected event %d: hfeatures: %s", in.Path, i, d)
			}
			if d := firstDiff(g.l[i], rl[i]); d != "" {
				t.Errorf("%s: selected event %d: lfeatures: %s", in.Path, i, d)
			}
			if g.labels[i] != in.Label {
				t.Errorf("%s: selected event %d: label %d, want %d", in.Path, i, g.labels[i], in.Label)
			}
		}
	}
	for o := features.Outcome(0); o < features.NumOutcomes; o++ {
		if sum.Outcomes[o] != want[o] {
			t.Errorf("summary: %d events %q, reference %d", sum.Outcomes[o], o, want[o])
		}
	}
	var sel int64
	for _, n := range sum.Selected {
		sel += n
	}
	if sel != selected || selected == 0 {
		t.Errorf("summary: %d selected, reference %d (want > 0)", sel, selected)
	}
	t.Logf("%d files, %d events, %d selected: all features match the reference", len(inputs), sum.Events, selected)
}

func TestMatchesReferenceOnGeneratedEvents(t *testing.T) {
	samples := synthSamples(t)
	for _, tc := range []struct {
		name string
		opts features.Options
	}{
		{"original", features.Options{}},
		{"fixed quirks", features.Options{FixQuirks: true}},
	} {
		t.Run(tc.name, func(t *testing.T) { checkAgainstReference(t, samples, tc.opts) })
	}
}

func TestMatchesReferenceOnRealDelphesFiles(t *testing.T) {
	paths := testData(t, "delphes_zh_100evt.root", "delphes_seungjin_10evt.root")
	samples := []Sample{
		{Name: "ttbar", Label: 1, Patterns: paths[:1]},
		{Name: "wjets", Label: 2, Patterns: paths[1:]},
	}
	checkAgainstReference(t, samples, features.Options{})
}
