package ingest

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/ingest/ingesttest"
	"github.com/godltrigger/godltrigger/pkg/killtest"
)

// checkPartial fails when dir holds a complete-looking output that differs from the
// uninterrupted run's (want), and returns how many complete outputs and temporary files it holds.
func checkPartial(t *testing.T, dir string, want map[string][]byte) (complete, tmp int) {
	t.Helper()
	for name, b := range ingesttest.Tree(t, dir) {
		if strings.Contains(name, ".tmp-") {
			tmp++
			continue
		}
		w, ok := want[name]
		if !ok {
			t.Errorf("interrupted run left %s, which the uninterrupted run does not write", name)
		} else if string(w) != string(b) {
			t.Errorf("interrupted run left %s complete-looking (%d bytes) but unlike the uninterrupted run's (%d bytes)", name, len(b), len(w))
		}
		complete++
	}
	return complete, tmp
}

func TestCancelledRunResumes(t *testing.T) {
	samples := synthSamples(t)
	ref := t.TempDir()
	run(t, Options{Out: ref, Samples: samples, Workers: 2, Chunk: 4})
	want := ingesttest.Tree(t, ref)

	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	done := map[string]bool{}
	opts := Options{Out: dir, Samples: samples, Workers: 2, Chunk: 4, Logf: quiet(t)}
	var sawTemp bool
	opts.hooks.fileDone = func(in Input) { mu.Lock(); done[in.Path] = true; mu.Unlock() }
	opts.hooks.chunkWritten = func(in Input, seq int) {
		mu.Lock()
		defer mu.Unlock()
		if len(done) > 0 && !done[in.Path] {
			sawTemp = sawTemp || len(temps(t, dir)) > 0
			cancel()
		}
	}
	sum, err := Run(ctx, opts)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled run: error %v, want context.Canceled", err)
	}
	if !sawTemp {
		t.Fatalf("no temporary output existed when the run was cancelled")
	}
	complete, tmp := checkPartial(t, dir, want)
	if complete == 0 || complete >= ingesttest.Parts(want) || tmp != 0 {
		t.Fatalf("cancelled run left %d of %d outputs and %d temporary files; want some, not all, and no temporaries", complete, ingesttest.Parts(want), tmp)
	}
	if dataset.IsComplete(dir) {
		t.Errorf("a cancelled run marked %s complete", dir)
	}
	if len(sum.Bad) != 0 {
		t.Errorf("cancellation reported as bad inputs: %v", sum.Bad)
	}

	sum = run(t, Options{Out: dir, Samples: samples, Workers: 2, Chunk: 4})
	if sum.FilesSkipped != complete || sum.FilesDone != ingesttest.Parts(want)-complete {
		t.Errorf("rerun: %d done, %d skipped; want %d done, %d skipped", sum.FilesDone, sum.FilesSkipped, ingesttest.Parts(want)-complete, complete)
	}
	ingesttest.SameTree(t, ingesttest.Tree(t, dir), want)
}

func TestKilledRunResumes(t *testing.T) {
	samples := synthSamples(t)
	ref := t.TempDir()
	run(t, Options{Out: ref, Samples: samples, Workers: 1})
	want := ingesttest.Tree(t, ref)

	dir := t.TempDir()
	killtest.RunUntilReady(t, childEnv+"="+dir+"|"+generated.dir)

	complete, tmp := checkPartial(t, dir, want)
	if complete == 0 || tmp == 0 {
		t.Fatalf("killed run left %d complete outputs and %d temporary files; want both", complete, tmp)
	}
	t.Logf("killed with %d of %d outputs complete and %d temporary files", complete, ingesttest.Parts(want), tmp)
	if dataset.IsComplete(dir) {
		t.Errorf("a killed run left %s marked complete", dir)
	}

	sum := run(t, Options{Out: dir, Samples: samples})
	if sum.FilesSkipped != complete {
		t.Errorf("rerun skipped %d files, want the %d complete ones", sum.FilesSkipped, complete)
	}
	if left := temps(t, dir); len(left) != 0 {
		t.Errorf("rerun left the killed run's temporary files: %v", left)
	}
	ingesttest.SameTree(t, ingesttest.Tree(t, dir), want)
}
