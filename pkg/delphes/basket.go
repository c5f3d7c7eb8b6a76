package delphes

import (
	"encoding/binary"
	"fmt"

	"go-hep.org/x/hep/groot/rbytes"
	"go-hep.org/x/hep/groot/riofs"
)

// Limits that keep a corrupt basket table from causing huge allocations.
const (
	maxBasketBytes = 1 << 30 // ROOT's own basket size limit
	maxInflation   = 1100    // above zlib's worst case (1032:1) and lz4's (255:1)
)

// basketHeader holds the TBasket fields that follow its key.
type basketHeader struct {
	keylen  int
	objlen  int
	nbytes  int
	vers    int16
	nevsize int
	nevbuf  int
	last    int
	flag    byte
	flagPos int // offset of the flag byte from the start of the record
}

// readBasketHeader reads a TKey and the TBasket header after it, through the flag byte.
func readBasketHeader(r *rbytes.RBuffer) (basketHeader, error) {
	var h basketHeader
	var key riofs.Key
	if err := key.UnmarshalROOT(r); err != nil {
		return h, fmt.Errorf("reading basket key: %w", err)
	}
	if key.ClassName() != "TBasket" {
		return h, fmt.Errorf("key of class %q where a TBasket was expected", key.ClassName())
	}
	h.keylen, h.objlen, h.nbytes = int(key.KeyLen()), int(key.ObjLen()), int(key.Nbytes())
	h.vers = r.ReadI16()
	_ = r.ReadI32() // fBufferSize
	h.nevsize = int(r.ReadI32())
	if h.nevsize < 0 {
		h.nevsize = -h.nevsize
		skipObject(r, "TIOFeatures")
	}
	h.nevbuf = int(r.ReadI32())
	h.last = int(r.ReadI32())
	h.flagPos = int(r.Pos())
	h.flag = r.ReadU8()
	if err := r.Err(); err != nil {
		return h, fmt.Errorf("reading basket header: %w", err)
	}
	if h.nevbuf < 0 || h.last < 0 || h.keylen <= 0 || h.objlen < 0 || h.nevsize < 0 {
		return h, fmt.Errorf("invalid basket header (keylen %d, objlen %d, entries %d, last %d)", h.keylen, h.objlen, h.nevbuf, h.last)
	}
	return h, nil
}

// basket is one decoded basket: its uncompressed buffer and where each entry lies in it.
type basket struct {
	first, end int64 // entries held: [first, end)
	buf        []byte
	base       int     // file-buffer position of buf[0] (the key length on disk, 0 when held)
	keylen     int     // key length, the position of the first entry in fixed-size baskets
	offsets    []int32 // entry start positions; nil for fixed-size entries
	last       int     // end position of the last entry
	nevsize    int     // entry size when offsets is nil

	raw, inflated []byte // reused storage for the on-disk record and the inflated payload
}

// span returns the bytes of entry i (first <= i < end).
func (b *basket) span(i int64) ([]byte, error) {
	j := int(i - b.first)
	var s, e int
	if b.offsets != nil {
		s = int(b.offsets[j])
		if j+1 < len(b.offsets) && i+1 < b.end {
			e = int(b.offsets[j+1])
		} else {
			e = b.last
		}
	} else {
		s = b.keylen + j*b.nevsize
		e = s + b.nevsize
	}
	s -= b.base
	e -= b.base
	if s < 0 || e < s || e > len(b.buf) {
		return nil, fmt.Errorf("entry %d lies outside its basket (bytes %d..%d of %d)", i, s, e, len(b.buf))
	}
	return b.buf[s:e], nil
}

// loadDisk reads and decodes the on-disk basket ref into b, reusing b's buffers.
func (b *basket) loadDisk(rd *basketSource, ref basketRef, entryOffsetLen int) error {
	raw, err := rd.readRecord(&b.raw, ref.seek, int64(ref.nbytes))
	if err != nil {
		return fmt.Errorf("basket at byte %d: %w", ref.seek, err)
	}
	h, err := readBasketHeader(rbytes.NewRBuffer(raw, nil, 0, nil))
	if err != nil {
		return fmt.Errorf("basket at byte %d: %w", ref.seek, err)
	}
	if h.keylen > len(raw) || h.nbytes != len(raw) {
		return fmt.Errorf("basket at byte %d: key claims %d bytes (key %d), table says %d", ref.seek, h.nbytes, h.keylen, len(raw))
	}
	if int64(h.nevbuf) != ref.end-ref.first {
		return fmt.Errorf("basket at byte %d holds %d entries, branch table says %d", ref.seek, h.nevbuf, ref.end-ref.first)
	}
	if b.buf, err = rd.dec.inflate(&b.inflated, raw[h.keylen:], h.objlen); err != nil {
		return fmt.Errorf("basket at byte %d: %w", ref.seek, err)
	}
	b.first, b.end = ref.first, ref.end
	b.base, b.keylen, b.last, b.nevsize = h.keylen, h.keylen, h.last, h.nevsize
	b.offsets = b.offsets[:0]
	if entryOffsetLen > 0 && h.nevbuf > 0 && h.last-h.keylen < len(b.buf) {
		p := h.last - h.keylen
		if p < 0 || p+4 > len(b.buf) {
			return fmt.Errorf("basket at byte %d: entry offsets at %d outside buffer of %d bytes", ref.seek, p, len(b.buf))
		}
		n := int(int32(binary.BigEndian.Uint32(b.buf[p:])))
		if n < h.nevbuf || p+4+4*n > len(b.buf) {
			return fmt.Errorf("basket at byte %d: %d entry offsets for %d entries", ref.seek, n, h.nevbuf)
		}
		b.offsets = readOffsets(b.offsets, b.buf[p+4:], h.nevbuf, false)
	} else {
		b.offsets = nil
	}
	return nil
}

// loadHeld points b at a basket held in the tree object.
func (b *basket) loadHeld(ref basketRef) error {
	hb := ref.held
	if hb.offsets == nil && hb.nevsize <= 0 {
		return fmt.Errorf("held basket of entries %d..%d has neither entry offsets nor entry size", ref.first, ref.end)
	}
	if hb.offsets != nil && len(hb.offsets) < hb.nevbuf {
		return fmt.Errorf("held basket of entries %d..%d: %d entry offsets for %d entries", ref.first, ref.end, len(hb.offsets), hb.nevbuf)
	}
	b.buf = hb.buf
	b.offsets = hb.offsets
	b.first, b.end = ref.first, ref.end
	b.base, b.keylen, b.last, b.nevsize = 0, hb.keylen, hb.last, hb.nevsize
	return nil
}

// readOffsets decodes n big-endian entry offsets, optionally masking displacement bits.
func readOffsets(dst []int32, raw []byte, n int, mask bool) []int32 {
	if cap(dst) < n {
		dst = make([]int32, n)
	}
	dst = dst[:n]
	for i := range dst {
		v := binary.BigEndian.Uint32(raw[4*i:])
		if mask {
			v &^= rbytes.DisplacementMask
		}
		dst[i] = int32(v)
	}
	return dst
}

// readRecord reads the nbytes-long record (a key and its payload) at byte seek of the file into
// *buf, checking first that it lies inside the file and has a plausible size.
func (s *basketSource) readRecord(buf *[]byte, seek, nbytes int64) ([]byte, error) {
	if nbytes <= 0 || nbytes > maxBasketBytes {
		return nil, withKind(ErrCorrupt, fmt.Errorf("record claims %d bytes", nbytes))
	}
	if seek <= 0 || s.size > 0 && seek+nbytes > s.size {
		return nil, withKind(ErrCorrupt, fmt.Errorf("record of %d bytes lies outside the file (%d bytes)", nbytes, s.size))
	}
	raw := grow(buf, int(nbytes))
	if _, err := s.f.ReadAt(raw, seek); err != nil {
		return nil, fmt.Errorf("reading %d bytes: %w", nbytes, err)
	}
	return raw, nil
}

// grow resizes *p to n bytes, reusing its storage.
func grow(p *[]byte, n int) []byte {
	if cap(*p) < n {
		*p = make([]byte, n)
	}
	*p = (*p)[:n]
	return *p
}

// skipObject skips a streamed object that carries a byte count.
func skipObject(r *rbytes.RBuffer, class string) {
	hdr := r.ReadHeader(class, -1)
	if r.Err() != nil {
		return
	}
	if hdr.Len <= 0 {
		r.SetErr(fmt.Errorf("%s record without byte count", class))
		return
	}
	r.SetPos(hdr.Pos + int64(hdr.Len) + 4)
}
