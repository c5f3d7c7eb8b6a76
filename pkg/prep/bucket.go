package prep

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/klauspost/compress/s2"
)

// row is one ingested event on its way through the shuffle.
type row struct {
	Key   uint64 // random order key within its bucket
	Label int64
	H     []float64 // hfeatures
	L     []float64 // lfeatures, row-major
}

// bucketWriter appends rows to a shuffle bucket on disk: each record is a uvarint length and an
// s2-compressed block (padding rows compress to almost nothing). Memory use is one buffered
// block per bucket, whatever the number of rows.
type bucketWriter struct {
	path string
	f    *os.File
	w    *bufio.Writer
	raw  []byte
	comp []byte
	rows int
}

func createBucket(path string) (*bucketWriter, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("prep: shuffle bucket: %w", err)
	}
	return &bucketWriter{path: path, f: f, w: bufio.NewWriterSize(f, 64<<10)}, nil
}

func (b *bucketWriter) write(r *row) error {
	n := 8 + 8 + 4 + 4 + 8*(len(r.H)+len(r.L))
	if cap(b.raw) < n {
		b.raw = make([]byte, n)
	}
	p := b.raw[:n]
	binary.LittleEndian.PutUint64(p[0:], r.Key)
	binary.LittleEndian.PutUint64(p[8:], uint64(r.Label))
	binary.LittleEndian.PutUint32(p[16:], uint32(len(r.H)))
	binary.LittleEndian.PutUint32(p[20:], uint32(len(r.L)))
	off := 24
	for _, v := range r.H {
		binary.LittleEndian.PutUint64(p[off:], math.Float64bits(v))
		off += 8
	}
	for _, v := range r.L {
		binary.LittleEndian.PutUint64(p[off:], math.Float64bits(v))
		off += 8
	}
	b.comp = s2.Encode(b.comp[:cap(b.comp)], p)
	var hdr [binary.MaxVarintLen64]byte
	k := binary.PutUvarint(hdr[:], uint64(len(b.comp)))
	if _, err := b.w.Write(hdr[:k]); err != nil {
		return fmt.Errorf("prep: write %s: %w", b.path, err)
	}
	if _, err := b.w.Write(b.comp); err != nil {
		return fmt.Errorf("prep: write %s: %w", b.path, err)
	}
	b.rows++
	return nil
}

func (b *bucketWriter) close() error {
	err := b.w.Flush()
	if cerr := b.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("prep: close %s: %w", b.path, err)
	}
	return nil
}

// readBucket reads every row of a bucket file.
func readBucket(path string) ([]row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("prep: shuffle bucket: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 256<<10)
	var rows []row
	var comp, raw []byte
	for {
		n, err := binary.ReadUvarint(br)
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("prep: read %s: %w", path, err)
		}
		if cap(comp) < int(n) {
			comp = make([]byte, n)
		}
		comp = comp[:n]
		if _, err := io.ReadFull(br, comp); err != nil {
			return nil, fmt.Errorf("prep: read %s: truncated record: %w", path, err)
		}
		raw, err = s2.Decode(raw[:cap(raw)], comp)
		if err != nil || len(raw) < 24 {
			return nil, fmt.Errorf("prep: read %s: corrupt record (%v)", path, err)
		}
		var r row
		r.Key = binary.LittleEndian.Uint64(raw[0:])
		r.Label = int64(binary.LittleEndian.Uint64(raw[8:]))
		nh := int(binary.LittleEndian.Uint32(raw[16:]))
		nl := int(binary.LittleEndian.Uint32(raw[20:]))
		if len(raw) != 24+8*(nh+nl) {
			return nil, fmt.Errorf("prep: read %s: corrupt record (size %d for %d+%d values)", path, len(raw), nh, nl)
		}
		vals := make([]float64, nh+nl)
		for i := range vals {
			vals[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[24+8*i:]))
		}
		r.H, r.L = vals[:nh:nh], vals[nh:]
		rows = append(rows, r)
	}
}
