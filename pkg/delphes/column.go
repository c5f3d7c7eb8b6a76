package delphes

import (
	"encoding/binary"
	"fmt"
	"math"
	"sort"
)

// basketSource is what columns share to fetch baskets: the file and a decompressor.
type basketSource struct {
	f    readerAt
	size int64 // file size, 0 when unknown
	dec  decompressor
}

// readerAt is the part of riofs.File the columns use.
type readerAt interface {
	ReadAt(p []byte, off int64) (int, error)
}

// column reads the per-entry payload of one branch, basket by basket.
type column struct {
	meta branchMeta
	src  *basketSource
	cur  basket
	ok   bool // cur holds a decoded basket
}

// entry returns the payload bytes of entry i. The slice is valid until the next call.
func (c *column) entry(i int64) ([]byte, error) {
	if !c.ok || i < c.cur.first || i >= c.cur.end {
		if err := c.load(i); err != nil {
			return nil, fmt.Errorf("branch %s: %w", c.meta.name, err)
		}
	}
	b, err := c.cur.span(i)
	if err != nil {
		return nil, fmt.Errorf("branch %s: %w", c.meta.name, err)
	}
	return b, nil
}

func (c *column) load(i int64) error {
	bks := c.meta.baskets
	k := sort.Search(len(bks), func(k int) bool { return bks[k].end > i })
	if k == len(bks) || i < bks[k].first {
		return fmt.Errorf("no basket holds entry %d", i)
	}
	c.ok = false
	ref := bks[k]
	if ref.held != nil {
		if err := c.cur.loadHeld(ref); err != nil {
			return err
		}
	} else if err := c.cur.loadDisk(c.src, ref, c.meta.entryOffsetLen); err != nil {
		return err
	}
	c.ok = true
	return nil
}

// count decodes the int32 element count stored in entry i of a counter branch.
func (c *column) count(i int64) (int, error) {
	b, err := c.entry(i)
	if err != nil {
		return 0, err
	}
	if len(b) != 4 {
		return 0, fmt.Errorf("branch %s: entry %d holds %d bytes, want a 4-byte count", c.meta.name, i, len(b))
	}
	n := int32(binary.BigEndian.Uint32(b))
	if n < 0 {
		return 0, fmt.Errorf("branch %s: entry %d has negative count %d", c.meta.name, i, n)
	}
	return int(n), nil
}

// values returns entry i's payload checked to hold exactly n 4-byte values.
func (c *column) values(i int64, n int) ([]byte, error) {
	b, err := c.entry(i)
	if err != nil {
		return nil, err
	}
	if len(b) != 4*n {
		return nil, fmt.Errorf("branch %s: entry %d holds %d bytes for %d values", c.meta.name, i, len(b), n)
	}
	return b, nil
}

// decodeF32 decodes big-endian float32 values into *dst, reusing its storage.
func decodeF32(dst *[]float32, b []byte) {
	n := len(b) / 4
	s := resize(dst, n)
	for k := range s {
		s[k] = math.Float32frombits(binary.BigEndian.Uint32(b[4*k:]))
	}
}

// decodeU32 decodes big-endian 32-bit integers into *dst, reusing its storage.
func decodeU32(dst *[]uint32, b []byte) {
	n := len(b) / 4
	s := resize(dst, n)
	for k := range s {
		s[k] = binary.BigEndian.Uint32(b[4*k:])
	}
}

// decodeI32 decodes big-endian int32 values into *dst, reusing its storage.
func decodeI32(dst *[]int32, b []byte) {
	n := len(b) / 4
	s := resize(dst, n)
	for k := range s {
		s[k] = int32(binary.BigEndian.Uint32(b[4*k:]))
	}
}

func resize[T any](p *[]T, n int) []T {
	if cap(*p) < n {
		*p = make([]T, n, n+n/4)
	}
	*p = (*p)[:n]
	return *p
}
