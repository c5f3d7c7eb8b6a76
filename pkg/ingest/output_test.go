package ingest

import (
	"context"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/delphes"
	"github.com/godltrigger/godltrigger/pkg/ingest/ingesttest"
	"github.com/godltrigger/godltrigger/pkg/synth"
)

// checkStopped fails unless a run ended with an error of the output: an error saying so and
// naming want, no input reported bad, no marker of completion and no temporary file.
func checkStopped(t *testing.T, out string, sum *Summary, err error, want string) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), "writing the output failed") || !strings.Contains(err.Error(), want) {
		t.Fatalf("error %v, want an output error naming %q", err, want)
	}
	if sum != nil && len(sum.Bad) != 0 {
		t.Errorf("an output error was reported as bad inputs: %v", sum.Bad)
	}
	if dataset.IsComplete(out) {
		t.Errorf("%s is marked complete after an output error", out)
	}
	if st, e := os.Stat(out); e == nil && st.IsDir() {
		if left := temps(t, out); len(left) != 0 {
			t.Errorf("temporary files left: %v", left)
		}
	}
}

func TestFullDiskStopsTheRun(t *testing.T) {
	samples := synthSamples(t)
	out := t.TempDir()
	opts := Options{Out: out, Samples: samples, Workers: 2, Chunk: 4, Logf: quiet(t)}
	var writes atomic.Int64 // the hook runs on the workers of the files
	opts.hooks.writeErr = func(in Input) error {
		if writes.Add(1) > 6 { // the disk fills up after a few chunks
			return &os.PathError{Op: "write", Path: OutputPath(out, in) + ".tmp-1", Err: syscall.ENOSPC}
		}
		return nil
	}
	sum, err := Run(context.Background(), opts)
	checkStopped(t, out, sum, err, "no space left on device")
	if !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("error %v does not wrap ENOSPC", err)
	}
	if sum.FilesDone+len(sum.Bad) >= sum.Files {
		t.Errorf("the run went on after the disk was full: %d of %d files done", sum.FilesDone, sum.Files)
	}
}

// TestFullTmpfsStopsTheRun ingests into a real 512 KiB tmpfs (the generated inputs make ~2 MB of features) (needs mount rights: root on Linux).
func TestFullTmpfsStopsTheRun(t *testing.T) {
	samples := synthSamples(t)
	mnt := t.TempDir()
	if b, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v: %s): the write error is injected by TestFullDiskStopsTheRun instead", err, b)
	}
	t.Cleanup(func() { exec.Command("umount", mnt).Run() })
	out := filepath.Join(mnt, "ingested")
	sum, err := Run(context.Background(), Options{Out: out, Samples: samples, Workers: 2, Logf: quiet(t)})
	checkStopped(t, out, sum, err, "no space left on device")
}

func TestOutputThatIsAFileStopsTheRun(t *testing.T) {
	samples := synthSamples(t)
	out := filepath.Join(t.TempDir(), "out")
	if err := os.WriteFile(out, []byte("a file, not a folder\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := Run(context.Background(), Options{Out: out, Samples: samples, Logf: quiet(t)})
	if err == nil || !strings.Contains(err.Error(), "not a directory") || !strings.Contains(err.Error(), "output") {
		t.Fatalf("error %v, want one about the output not being a directory", err)
	}
	if sum != nil && len(sum.Bad) != 0 {
		t.Errorf("output error reported as bad inputs: %v", sum.Bad)
	}
}

func TestAllInputsBadFailsAndLeavesNothing(t *testing.T) {
	_, _, bad := badInputs(t)
	parent := t.TempDir()
	out := filepath.Join(parent, "ingested")
	samples := []Sample{{Name: "qcd", Label: 0, Patterns: bad}}
	sum, err := Run(context.Background(), Options{Out: out, Samples: samples, Chunk: 4, Logf: quiet(t)})
	if err == nil || !strings.Contains(err.Error(), "nothing ingested") {
		t.Fatalf("error %v, want one saying nothing was ingested", err)
	}
	if sum == nil || len(sum.Bad) != len(bad) {
		t.Fatalf("summary %+v, want %d bad inputs listed", sum, len(bad))
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a run that wrote nothing left %s (%v): %v", out, err, keys(ingesttest.Tree(t, parent)))
	}

	// An existing output folder stays, without the empty partition folders.
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), Options{Out: out, Samples: samples, Chunk: 4, Logf: quiet(t)}); err == nil {
		t.Fatal("second run: no error")
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("%s holds %v after a run that wrote nothing", out, entries)
	}
}

func TestNonFiniteFeaturesMakeTheInputBad(t *testing.T) {
	dir := t.TempDir()
	good, nan := filepath.Join(dir, "a_good.root"), filepath.Join(dir, "b_nan.root")
	writeEvents(t, good, 20, nil)
	writeEvents(t, nan, 20, func(ev *delphes.Event) {
		if ev.Entry >= 13 && ev.MissingET.Len() > 0 {
			ev.MissingET.MET[0] = float32(math.NaN())
		}
	})
	out := t.TempDir()
	samples := []Sample{{Name: "ttbar", Label: 1, Patterns: []string{dir}}}
	sum, err := Run(context.Background(), Options{Out: out, Samples: samples, Chunk: 4, Logf: quiet(t)})
	if err != nil {
		t.Fatal(err)
	}
	if sum.FilesDone != 1 || len(sum.Bad) != 1 || sum.Bad[0].Path != nan {
		t.Fatalf("%d done, bad %v; want the NaN file bad", sum.FilesDone, sum.Bad)
	}
	msg := sum.Bad[0].Err.Error()
	for _, want := range []string{nan, "hfeatures column 1 (MET) is NaN"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not name %q", msg, want)
		}
	}
	if m := regexp.MustCompile(`event (\d+):`).FindStringSubmatch(msg); m == nil || len(m[1]) < 2 || m[1] < "13" {
		t.Errorf("error %q does not name an event from 13 on", msg)
	}
	if exists(OutputPath(out, Input{Path: nan, Label: 1})) {
		t.Error("the NaN file has an output")
	}
}

// writeEvents writes n generated ttbar events to path, changed by edit when it is not nil.
func writeEvents(t *testing.T, path string, n int, edit func(*delphes.Event)) {
	t.Helper()
	fw, err := delphes.NewFlatWriter(path)
	if err != nil {
		t.Fatal(err)
	}
	g := synth.NewGenerator(synth.TTbar, 5)
	var ev delphes.Event
	for i := range n {
		g.Next(&ev)
		ev.Entry = int64(i)
		if edit != nil {
			edit(&ev)
		}
		if err := fw.Write(&ev); err != nil {
			t.Fatal(err)
		}
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
}
