package delphes

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"go-hep.org/x/hep/groot/riofs"
)

// listingOf lists path and returns the listing and its text.
func listingOf(t testing.TB, path string) (*Listing, string) {
	t.Helper()
	l, err := List(path)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := l.Write(&out); err != nil {
		t.Fatal(err)
	}
	return l, out.String()
}

// TestListUnsupportedClass lists a valid file with a class go-hep cannot build: the other
// branches and trees are listed, the branch of that class is marked unsupported, not corrupt.
func TestListUnsupportedClass(t *testing.T) {
	l, out := listingOf(t, fixtureUnsupported)
	if len(l.Trees) != 2 || l.Trees[0].Name != "events" || l.Trees[1].Name != "plain" {
		t.Fatalf("trees %+v", l.Trees)
	}
	events, plain := l.Trees[0], l.Trees[1]
	if events.Err != nil || events.Entries != 5 || len(events.Branches) != 2 || plain.Err != nil || plain.Entries != 3 {
		t.Fatalf("trees %+v", l.Trees)
	}
	n, hits, x := events.Branches[0], events.Branches[1], plain.Branches[0]
	if n.Name != "n" || n.Type != "int32" || n.Unsupported != "" || x.Name != "x" || x.Type != "float32" || x.Unsupported != "" {
		t.Errorf("readable branches: %+v, %+v", n, x)
	}
	if hits.Name != "hits" || !strings.Contains(hits.Unsupported, "class ev::HitList: rdict: could not build element") {
		t.Errorf("branch hits: %+v", hits)
	}
	if !strings.Contains(out, "unsupported by the reader") || strings.Contains(out, "corrupt") || strings.Contains(out, "&rdict") {
		t.Errorf("listing:\n%s", out)
	}
	if err := l.Damaged(); err != nil {
		t.Errorf("an unsupported class is reported as damage: %v", err)
	}
}

// TestListCorruptTree damages the record of one tree: that tree is listed as corrupt, the
// other one is still listed, and the listing reports damage.
func TestListCorruptTree(t *testing.T) {
	b, err := os.ReadFile(fixtureUnsupported)
	if err != nil {
		t.Fatal(err)
	}
	rf, err := riofs.Open(fixtureUnsupported)
	if err != nil {
		t.Fatal(err)
	}
	var k riofs.Key
	for _, key := range rf.Keys() {
		if key.Name() == "plain" {
			k = key
		}
	}
	rf.Close()
	if k.ObjLen() == k.Nbytes()-k.KeyLen() {
		t.Fatal("the record of tree plain is not compressed")
	}
	b[k.SeekKey()+int64(k.Nbytes())-20] ^= 0x10 // in the deflate data of the record
	path := filepath.Join(t.TempDir(), "damaged.root")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	l, out := listingOf(t, path)
	if len(l.Trees) != 2 || l.Trees[0].Err != nil || len(l.Trees[0].Branches) != 2 || !errors.Is(l.Trees[1].Err, ErrCorrupt) {
		t.Fatalf("trees %+v", l.Trees)
	}
	if !strings.Contains(out, "tree plain;1  corrupt: record at byte ") {
		t.Errorf("listing:\n%s", out)
	}
	if err := l.Damaged(); err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "tree plain;1: corrupt: record at byte ") {
		t.Errorf("damage: %v", err)
	}
}

func TestTruncatedFile(t *testing.T) {
	good, err := os.ReadFile(writeFlat(t, genEvents(100, 2, smallMult)))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, n := range []int{30, 300, len(good) / 2, len(good) - 1} {
		path := filepath.Join(dir, "cut.root")
		if err := os.WriteFile(path, good[:n], 0o644); err != nil {
			t.Fatal(err)
		}
		_, lerr := List(path)
		oerr := openAndRead(path)
		for _, err := range []error{lerr, oerr} {
			if !errors.Is(err, ErrTruncated) || !strings.Contains(err.Error(), path+": truncated: ") {
				t.Errorf("cut at %d bytes: %v", n, err)
			}
		}
	}
}

// TestDamagedOpenRecords damages the records go-hep reads when it opens a file: they are
// reported corrupt before go-hep sizes buffers from damaged lengths (it would allocate over a
// gigabyte for each of these) or decodes a damaged StreamerInfo list.
func TestDamagedOpenRecords(t *testing.T) {
	good, err := os.ReadFile(fixtureSelfRef)
	if err != nil {
		t.Fatal(err)
	}
	seekInfo := int(binary.BigEndian.Uint32(good[37:]))
	nbytesInfo := int(binary.BigEndian.Uint32(good[41:]))
	for name, damage := range map[string]func(b []byte){
		"StreamerInfo pointer":  func(b []byte) { b[40] ^= 0x06 },
		"StreamerInfo contents": func(b []byte) { b[seekInfo+nbytesInfo-193] ^= 0xff; b[seekInfo+nbytesInfo-234] ^= 0x60 },
	} {
		b := append([]byte(nil), good...)
		damage(b)
		path := filepath.Join(t.TempDir(), "damaged.root")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := List(path)
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), path+": corrupt: ") {
			t.Errorf("%s: %v", name, err)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
			t.Errorf("%s: %d MiB allocated", name, alloc>>20)
		}
	}
}

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		err  error
		kind error
		msg  string
	}{
		{&fs.PathError{Op: "open", Path: "/x.root", Err: syscall.EACCES}, fs.ErrPermission, "permission denied"},
		{&fs.PathError{Op: "open", Path: "/x.root", Err: syscall.ENOENT}, fs.ErrNotExist, "no such file or directory"},
		{errors.New(`rdict: could not build element "m" type for "X": rdict: STL container not implemented`), ErrUnsupported, "unsupported by the reader: rdict: could not build"},
		{errors.New(`rtree: could not find type "TLorentzVector" for TLeafObject "p4"`), ErrUnsupported, "unsupported by the reader: rtree"},
		{errors.New("riofs: could not unmarshal key payload: rbytes: invalid header"), ErrCorrupt, "corrupt: riofs"},
		{withKind(ErrTruncated, errors.New("10 bytes, its header says 20")), ErrTruncated, "truncated: 10 bytes"},
	} {
		got := classify(tc.err)
		if !errors.Is(got, tc.kind) || got.Error() != tc.msg && !strings.HasPrefix(got.Error(), tc.msg) {
			t.Errorf("classify(%v) = %v, want %v", tc.err, got, tc.msg)
		}
	}
	var arr []int
	func() {
		defer func() {
			if err := classifyPanic(recover()); !errors.Is(err, ErrCorrupt) {
				t.Errorf("runtime error classified as %v", err)
			}
		}()
		_ = arr[len(arr)+1]
	}()
}

// TestPermissionDenied checks that a file that cannot be opened for lack of permission says so.
// Tests often run as root, which reads any file: the open failure is injected, and a real
// unreadable file is tried only when not running as root.
func TestPermissionDenied(t *testing.T) {
	path := writeFlat(t, genEvents(3, 1, smallMult))
	check := func(how string) {
		t.Helper()
		_, lerr := List(path)
		_, oerr := Open(path, WithLogf(nil))
		for _, err := range []error{lerr, oerr} {
			if !errors.Is(err, fs.ErrPermission) || !strings.HasSuffix(err.Error(), path+": permission denied") {
				t.Errorf("%s: %v", how, err)
			}
		}
	}
	openLocal = func(name string) (*os.File, error) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: syscall.EACCES}
	}
	check("injected")
	openLocal = os.Open
	if os.Geteuid() == 0 {
		t.Log("running as root: a file with mode 000 stays readable, so only the injected failure is checked")
		return
	}
	if err := os.Chmod(path, 0); err != nil {
		t.Fatal(err)
	}
	check("mode 000")
}

// TestListNamesGivenPath lists a file under another name than the one recorded inside it
// (the writer's temporary name): the listing names the path given.
func TestListNamesGivenPath(t *testing.T) {
	b, err := os.ReadFile(writeFlat(t, genEvents(3, 1, smallMult)))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "renamed.root")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	l, out := listingOf(t, path)
	if l.Name != path || !strings.HasPrefix(out, "file "+path+"\n") || strings.Contains(out, ".tmp") {
		t.Errorf("listing:\n%s", out)
	}
}
