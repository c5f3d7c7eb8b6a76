package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/features"
	"github.com/godltrigger/godltrigger/pkg/ingest/ingesttest"
)

func TestRunMarksOutputComplete(t *testing.T) {
	samples := synthSamples(t)
	single := t.TempDir()
	if sum := run(t, Options{Out: single, Samples: samples}); !sum.Complete {
		t.Errorf("summary of a whole run: not complete")
	}
	if err := dataset.CheckComplete(single); err != nil {
		t.Fatalf("a whole run: %v", err)
	}
	want := ingesttest.Tree(t, single)

	dir := t.TempDir()
	if sum := run(t, Options{Out: dir, Samples: samples, Shard: 1, Of: 2}); sum.Complete {
		t.Errorf("one shard of 2 reports the output complete")
	}
	err := dataset.CheckComplete(dir)
	if err == nil || !strings.Contains(err.Error(), "shard(s) 1 of 2 finished, shard(s) 0 did not") {
		t.Fatalf("after shard 1 of 2: %v, want shard 0 named as missing", err)
	}
	if sum := run(t, Options{Out: dir, Samples: samples, Shard: 0, Of: 2}); !sum.Complete {
		t.Errorf("the last shard does not report the output complete")
	}
	ingesttest.SameTree(t, ingesttest.Tree(t, dir), want) // one _SUCCESS, no shard markers

	// A run with work to do takes the marker away before it writes anything.
	parts, _ := filepath.Glob(filepath.Join(dir, "label=1", "*.parquet"))
	if err := os.Remove(parts[0]); err != nil {
		t.Fatal(err)
	}
	opts := Options{Out: dir, Samples: samples, Logf: quiet(t)}
	var mu sync.Mutex // the hook runs on the workers of the files
	checked := false
	opts.hooks.chunkWritten = func(Input, int) {
		mu.Lock()
		defer mu.Unlock()
		if !checked && dataset.IsComplete(dir) {
			t.Errorf("%s still marked complete while an output is being written", dir)
		}
		checked = true
	}
	if _, err := Run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if !checked {
		t.Fatal("no chunk written on the rerun")
	}
	ingesttest.SameTree(t, ingesttest.Tree(t, dir), want)
}

func TestRerunWithOtherSettingsFails(t *testing.T) {
	samples := synthSamples(t)
	dir := t.TempDir()
	run(t, Options{Out: dir, Samples: samples})
	before := ingesttest.Tree(t, dir)

	_, err := Run(context.Background(), Options{Out: dir, Samples: samples, Features: features.Options{FixQuirks: true}, Logf: quiet(t)})
	if err == nil {
		t.Fatal("a rerun with --fix-quirks kept the outputs made without it")
	}
	for _, want := range []string{"quirks (--fix-quirks)", `"reproduced"`, `"fixed"`, dir} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
	ingesttest.SameTree(t, ingesttest.Tree(t, dir), before)

	sum := run(t, Options{Out: dir, Samples: samples})
	if sum.FilesDone != 0 || sum.FilesSkipped != ingesttest.Parts(before) {
		t.Errorf("rerun with the same settings: %d done, %d skipped; want 0 and %d", sum.FilesDone, sum.FilesSkipped, ingesttest.Parts(before))
	}
}
