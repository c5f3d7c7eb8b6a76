package delphes

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzOpenRead corrupts copies of a small generated flat file and, when DLTRIGGER_TESTDATA is
// set, of a real Delphes file: two byte flips and an optional truncation. Open and Read must
// return an error or succeed; nothing may panic.
func FuzzOpenRead(f *testing.F) {
	bases := [][]byte{}
	dir := f.TempDir()
	flat, err := os.ReadFile(writeFlat(f, genEvents(40, 9, smallMult)))
	if err != nil {
		f.Fatal(err)
	}
	bases = append(bases, flat)
	if os.Getenv("DLTRIGGER_TESTDATA") != "" {
		real, err := os.ReadFile(testdata(f, fileSeungjin))
		if err != nil {
			f.Fatal(err)
		}
		bases = append(bases, real)
	}
	for b := range bases {
		n := uint32(len(bases[b]))
		for _, at := range []uint32{0, 4, 40, 100, 300, n / 2, n - 2000, n - 300, n - 10} {
			f.Add(uint8(b), at, byte(0xff), at+1, byte(0x80), uint32(0))
		}
		f.Add(uint8(b), uint32(0), byte(0), uint32(0), byte(0), n/2)
		f.Add(uint8(b), uint32(0), byte(0), uint32(0), byte(0), n-1)
	}
	// Inputs that once failed live in testdata/fuzz/FuzzOpenRead and run with every go test.
	f.Fuzz(func(t *testing.T, base uint8, off1 uint32, x1 byte, off2 uint32, x2 byte, cut uint32) {
		src := bases[int(base)%len(bases)]
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
		if err := openAndRead(p); err != nil && !strings.HasPrefix(err.Error(), "delphes: ") {
			t.Fatalf("error without package prefix: %v", err)
		}
	})
}
