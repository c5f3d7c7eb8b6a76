package delphes

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/pierrec/lz4/v4"
	"go-hep.org/x/hep/groot/rbytes"
	"go-hep.org/x/hep/groot/rtree"
)

// checkedBranch is the branch whose first basket the checksum tests damage; its values (a few
// particle IDs) compress well, so that the writer stores its baskets compressed.
const checkedBranch = "EFlowTrack.PID"

// firstBlock locates the first basket of checkedBranch in path: its position in the file, the
// position and length, in the file, of the data of its first compressed block (after the
// 9-byte block header), and the length of the entry values at the start of the inflated
// basket (the entry offsets follow).
func firstBlock(t *testing.T, path string) (seek int64, data, n, values int) {
	t.Helper()
	f, err := Open(path, WithLogf(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	br := findBranch(f.tree, checkedBranch)
	if br == nil {
		t.Fatalf("no branch %s", checkedBranch)
	}
	meta, err := readBranchMeta(br)
	if err != nil || len(meta.baskets) == 0 || meta.baskets[0].held != nil {
		t.Fatalf("branch %s: no basket on disk (%v)", checkedBranch, err)
	}
	ref := meta.baskets[0]
	raw := make([]byte, ref.nbytes)
	if _, err := f.src.f.ReadAt(raw, ref.seek); err != nil {
		t.Fatal(err)
	}
	h, err := readBasketHeader(rbytes.NewRBuffer(raw, nil, 0, nil))
	if err != nil {
		t.Fatal(err)
	}
	block := raw[h.keylen:]
	csz := int(block[3]) | int(block[4])<<8 | int(block[5])<<16
	return ref.seek, int(ref.seek) + h.keylen + blockHeaderSize, csz, h.last - h.keylen
}

// checkNamed fails unless err names the file, the branch, the basket offset and the cause.
func checkNamed(t *testing.T, err error, path string, seek int64, cause string) {
	t.Helper()
	if err == nil {
		t.Fatal("damaged basket read without error")
	}
	for _, want := range []string{path, checkedBranch, fmt.Sprintf("basket at byte %d", seek), cause} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

// TestLZ4ChecksumVerified flips one bit in the last literal of an LZ4 block, which LZ4 decodes
// to the same length with one value changed: only the XXH64 checksum ROOT stores before the
// block reveals it.
func TestLZ4ChecksumVerified(t *testing.T) {
	path := writeFlat(t, genEvents(60, 4, smallMult), rtree.WithLZ4(1))
	if err := openAndRead(path); err != nil {
		t.Fatalf("intact file: %v", err)
	}
	seek, data, n, _ := firstBlock(t, path)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(b[data-blockHeaderSize:data-blockHeaderSize+2]) != "L4" {
		t.Fatalf("basket at byte %d is not LZ4-compressed", seek)
	}
	const checksum = 8
	block := b[data+checksum : data+n]
	intact := make([]byte, 1<<20)
	m, err := lz4.UncompressBlock(block, intact)
	if err != nil {
		t.Fatal(err)
	}
	block[len(block)-1] ^= 0x01 // LZ4 ends every block with literals
	damaged := make([]byte, 1<<20)
	if k, err := lz4.UncompressBlock(block, damaged); err != nil || k != m || bytes.Equal(damaged[:k], intact[:m]) {
		t.Fatalf("the flipped bit should still decode to different values of the same length (%v)", err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	err = openAndRead(path)
	checkNamed(t, err, path, seek, "corrupt: lz4: checksum mismatch")
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("error %q is not ErrCorrupt", err)
	}
}

// TestZlibChecksumVerified flips a bit of a zlib block's deflate data that still inflates to
// the same length, with only entry values changed: only the Adler-32 at the end of the stream
// reveals it.
func TestZlibChecksumVerified(t *testing.T) {
	path := writeFlat(t, genEvents(60, 4, smallMult))
	seek, data, n, values := firstBlock(t, path)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	stream := b[data : data+n] // 2-byte zlib header, deflate data, 4-byte Adler-32
	deflated := stream[2 : len(stream)-4]
	inflate := func() ([]byte, error) { return io.ReadAll(flate.NewReader(bytes.NewReader(deflated))) }
	intact, err := inflate()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for i := len(deflated) - 1; i >= 0 && !found; i-- {
		for bit := byte(1); bit != 0 && !found; bit <<= 1 {
			deflated[i] ^= bit
			got, err := inflate()
			if found = err == nil && len(got) == len(intact) && !bytes.Equal(got, intact) && bytes.Equal(got[values:], intact[values:]); !found {
				deflated[i] ^= bit
			}
		}
	}
	if !found {
		t.Fatal("no single bit flip of the block inflates to other values of the same length")
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	checkNamed(t, openAndRead(path), path, seek, "corrupt: zlib: zlib: invalid checksum")
}

// TestLZ4ChecksumIsROOTs checks the reader against the definition in ROOT's R__unzipLZ4: the
// XXH64 (seed 0) of the LZ4 data, stored big-endian in the 8 bytes before it. The expected
// hash is the reference implementation's (xxhsum -H64 of the bytes 30 61 62 63).
func TestLZ4ChecksumIsROOTs(t *testing.T) {
	data := []byte{0x30, 'a', 'b', 'c'} // one LZ4 sequence: 3 literals, "abc"
	const xxh64 = 0xbfa0a912eb4338a6
	for _, tc := range []struct {
		name  string
		order binary.ByteOrder
		ok    bool
	}{{"big-endian", binary.BigEndian, true}, {"little-endian", binary.LittleEndian, false}} {
		block := binary.BigEndian.AppendUint64(nil, 0)
		tc.order.PutUint64(block, xxh64)
		block = append(block, data...)
		src := append([]byte{'L', '4', 1, byte(len(block)), 0, 0, 3, 0, 0}, block...)
		var d decompressor
		dst := make([]byte, 3)
		err := d.decompress(dst, src)
		if tc.ok && (err != nil || string(dst) != "abc") {
			t.Errorf("%s: %q, %v", tc.name, dst, err)
		}
		if !tc.ok && (err == nil || !strings.Contains(err.Error(), "checksum mismatch")) {
			t.Errorf("%s: checksum accepted (%v)", tc.name, err)
		}
	}
}
