package delphes

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"go-hep.org/x/hep/groot/riofs"
	"go-hep.org/x/hep/groot/rtree"
)

func TestFlatRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		n    int
		opts []rtree.WriteOption
	}{
		{"zlib", 300, nil},
		{"lz4", 300, []rtree.WriteOption{rtree.WithLZ4(1)}},
		{"zstd", 300, []rtree.WriteOption{rtree.WithZstd(1)}},
		{"uncompressed-small-baskets", 300, []rtree.WriteOption{rtree.WithoutCompression(), rtree.WithBasketSize(512)}},
		{"empty", 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			evs := genEvents(tc.n, 7, smallMult)
			path := filepath.Join(t.TempDir(), "x.root")
			w, err := NewFlatWriter(path, tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			for i := range evs {
				if err := w.Write(&evs[i]); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			f, err := Open(path, WithLogf(nil))
			if err != nil {
				t.Fatal(err)
			}
			if f.Layout() != LayoutFlat || f.MuonBranch() != "MuonTight" || f.Entries() != int64(tc.n) {
				t.Errorf("layout %q, muons %q, entries %d", f.Layout(), f.MuonBranch(), f.Entries())
			}
			f.Close()
			if d := sameEvents(readAll(t, path), evs); d != "" {
				t.Fatal(d)
			}
			if tc.n > 0 {
				if d := sameEvents(readWithRtree(t, path), evs); d != "" {
					t.Fatalf("rtree.Reader: %s", d)
				}
			}
		})
	}
}

func TestReadRange(t *testing.T) {
	evs := genEvents(50, 3, smallMult)
	path := writeFlat(t, evs)
	if d := sameEvents(readAll(t, path, WithRange(10, 20)), evs[10:20]); d != "" {
		t.Fatal(d)
	}
	if d := sameEvents(readAll(t, path, WithRange(45, 1000)), evs[45:]); d != "" {
		t.Fatal(d)
	}
	f, err := Open(path, WithLogf(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Read(context.Background(), func(*Event) error { return nil }, WithRange(30, 20)); err == nil {
		t.Fatal("inverted range accepted")
	}
}

func TestReadStops(t *testing.T) {
	path := writeFlat(t, genEvents(50, 3, smallMult))
	f, err := Open(path, WithLogf(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	stop := errors.New("enough")
	n := 0
	err = f.Read(context.Background(), func(*Event) error {
		if n++; n == 5 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 5 {
		t.Fatalf("callback error: got %v after %d events", err, n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n = 0
	err = f.Read(ctx, func(*Event) error {
		if n++; n == 3 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || n != 3 {
		t.Fatalf("cancel: got %v after %d events", err, n)
	}
}

func TestFlatWriterLeavesNoFileOnError(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bad.root")
	w, err := NewFlatWriter(path)
	if err != nil {
		t.Fatal(err)
	}
	ev := genEvents(1, 1, smallMult)[0]
	ev.Jet.Eta = append(ev.Jet.Eta, 1)
	if err := w.Write(&ev); err == nil {
		t.Fatal("ragged collection accepted")
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Fatalf("left %d files behind", len(ents))
	}
}

// openRtree opens the flat-layout branches of path with go-hep's own rtree.Reader, an
// independent reader: the returned Event receives each entry. close releases both.
func openRtree(tb testing.TB, path string) (r *rtree.Reader, ev *Event, close func()) {
	tb.Helper()
	rf, err := riofs.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tree, err := riofs.Get[rtree.Tree](rf, TreeName)
	if err != nil {
		rf.Close()
		tb.Fatal(err)
	}
	ev = &Event{}
	var counts [len(collections)]int32
	var rvars []rtree.ReadVar
	for i := range collections {
		name := collections[i].name
		if name == "Muon" {
			name = "MuonTight"
		}
		rvars = append(rvars, rtree.ReadVar{Name: name + "_size", Value: &counts[i]})
		for _, m := range collections[i].members {
			rv := rtree.ReadVar{Name: name + "." + m.name}
			switch m.kind {
			case kindF32:
				rv.Value = m.f32(ev)
			case kindI32:
				rv.Value = m.i32(ev)
			case kindU32:
				rv.Value = m.u32(ev)
			}
			rvars = append(rvars, rv)
		}
	}
	r, err = rtree.NewReader(tree, rvars)
	if err != nil {
		rf.Close()
		tb.Fatal(err)
	}
	return r, ev, func() { r.Close(); rf.Close() }
}

// readWithRtree reads a flat file with go-hep's own rtree.Reader, as an independent check.
func readWithRtree(t *testing.T, path string) []Event {
	t.Helper()
	r, ev, closeAll := openRtree(t, path)
	defer closeAll()
	var evs []Event
	err := r.Read(func(ctx rtree.RCtx) error {
		ev.Entry = ctx.Entry
		evs = append(evs, cloneEvent(ev))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return evs
}
