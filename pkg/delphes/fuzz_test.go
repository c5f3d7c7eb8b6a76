package delphes

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go-hep.org/x/hep/groot/rtree"
)

// FuzzOpenRead corrupts copies of ROOT files, two byte flips and an optional truncation, and
// lists, opens and reads them: each must succeed or return an error naming the package, and
// nothing may panic or crash the process. The file is chosen by base:
//
//	base%4 == 0  a small generated flat file, zlib baskets
//	base%4 == 1  the same events with LZ4 baskets
//	base%4 == 2  testdata/selfref.root, a class that points to itself
//	base%4 == 3  testdata/unsupported.root, a class go-hep cannot build
//	base >= 128  a real Delphes file instead, when DLTRIGGER_TESTDATA is set
//
// Inputs that once failed live in testdata/fuzz/FuzzOpenRead and run with every go test,
// among them the intact self-referential file and truncated files.
//
// go-hep sizes buffers from lengths it reads in a file before reading them. The reader checks
// the lengths go-hep reads when it opens a file, and verifies the checksums of every
// compressed record before go-hep decodes it, so that damaged bytes are reported instead of
// having go-hep allocate gigabytes (three inputs in the corpus did: 425f61eeb0604c04,
// 6719697aafc42de8, c6ff4338b46bf1ee). A damaged length inside an uncompressed record that
// the reader does not parse itself could still make go-hep ask for more memory than the
// machine has, a fatal error that no input in the corpus can stand for, since it would end
// go test; none is known.
func FuzzOpenRead(f *testing.F) {
	evs := genEvents(40, 9, smallMult)
	var bases [][]byte
	for _, path := range []string{writeFlat(f, evs), writeFlat(f, evs, rtree.WithLZ4(1)), fixtureSelfRef, fixtureUnsupported} {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		bases = append(bases, b)
	}
	var real []byte
	if os.Getenv("DLTRIGGER_TESTDATA") != "" {
		var err error
		if real, err = os.ReadFile(testdata(f, fileSeungjin)); err != nil {
			f.Fatal(err)
		}
	}
	pick := func(base uint8) []byte {
		if base >= 128 && real != nil {
			return real
		}
		return bases[base%4]
	}
	dir := f.TempDir()
	for _, base := range []uint8{0, 1, 2, 3, 128} {
		n := uint32(len(pick(base)))
		f.Add(base, uint32(0), byte(0), uint32(0), byte(0), uint32(0)) // intact
		for _, at := range []uint32{0, 4, 40, 100, 300, n / 2, n - 2000, n - 300, n - 10} {
			f.Add(base, at, byte(0xff), at+1, byte(0x80), uint32(0))
		}
		for _, cut := range []uint32{30, 100, n / 2, n - 1} {
			f.Add(base, uint32(0), byte(0), uint32(0), byte(0), cut)
		}
	}
	f.Fuzz(func(t *testing.T, base uint8, off1 uint32, x1 byte, off2 uint32, x2 byte, cut uint32) {
		src := pick(base)
		b := append([]byte(nil), src...)
		b[int(off1)%len(b)] ^= x1
		b[int(off2)%len(b)] ^= x2
		if cut > 0 {
			b = b[:int(cut)%len(b)]
		}
		p := filepath.Join(dir, "fuzz.root")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		l, err := List(p)
		if err == nil {
			err = l.Write(io.Discard)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "delphes: ") {
			t.Fatalf("list: error without package prefix: %v", err)
		}
		if err := openAndRead(p); err != nil && !strings.HasPrefix(err.Error(), "delphes: ") {
			t.Fatalf("read: error without package prefix: %v", err)
		}
	})
}
