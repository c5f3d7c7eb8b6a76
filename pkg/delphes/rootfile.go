package delphes

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"go-hep.org/x/hep/groot/riofs"
)

// openLocal opens a local file for reading; tests replace it to inject open failures.
var openLocal = os.Open

// openROOT opens a local path or a root:// URL with go-hep. A local file's header is checked
// first, so that a file cut short says ErrTruncated, an unreadable one fs.ErrPermission, and
// go-hep never sizes its reads from offsets beyond the end of the file. Errors are classified
// (see classify) and do not repeat the path, which the caller names.
func openROOT(path string) (*riofs.File, error) {
	if strings.Contains(path, "://") {
		return openRemote(path)
	}
	f, err := openLocal(path)
	if err != nil {
		return nil, classify(err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, classify(err)
	}
	if st.IsDir() {
		f.Close()
		return nil, errors.New("is a directory")
	}
	if err := checkHeader(f, st.Size()); err != nil {
		f.Close()
		return nil, err
	}
	rf, err := newReader(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	return rf, nil
}

// newReader has go-hep read the header, StreamerInfos and keys of f, classifying its errors
// and panics.
func newReader(f riofs.Reader) (rf *riofs.File, err error) {
	defer func() {
		if e := recover(); e != nil {
			rf, err = nil, classifyPanic(e)
		}
	}()
	rf, err = riofs.NewReader(f)
	return rf, classify(err)
}

// errNotROOT is the failure of a file that does not start like a ROOT file.
var errNotROOT = errors.New("not a readable ROOT file")

// Sizes of the fixed part of a ROOT file header, through fNbytesInfo, for files below and above
// 2 GB (versions >= 1000000 use 64-bit offsets).
const (
	smallHeaderSize = 45
	bigHeaderSize   = 57
)

// fileHeader holds the fields of a ROOT file header that locate its records.
type fileHeader struct {
	version                            int32
	begin, end, seekFree, seekInfo     int64
	nbytesFree, nbytesName, nbytesInfo int32
}

// checkHeader reads the ROOT file header of r (size bytes long) and checks the records go-hep
// reads when it opens a file (the top directory and its list of keys, the free segments, the
// StreamerInfos): that they lie inside the file and that the lengths in their key headers
// are consistent. go-hep sizes its buffers from these lengths before reading, so that a
// damaged one would otherwise have it allocate gigabytes, or more than there is.
func checkHeader(r io.ReaderAt, size int64) error {
	var b [bigHeaderSize]byte
	n, err := r.ReadAt(b[:], 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return classify(err)
	}
	if n < 4 || string(b[:4]) != "root" {
		return errNotROOT
	}
	be := binary.BigEndian
	h := fileHeader{version: int32(be.Uint32(b[4:])), begin: int64(int32(be.Uint32(b[8:])))}
	need := smallHeaderSize
	if h.version >= 1000000 {
		need = bigHeaderSize
	}
	if n < need {
		return withKind(ErrTruncated, fmt.Errorf("%d bytes, less than a ROOT file header", size))
	}
	if h.version >= 1000000 {
		h.end, h.seekFree = int64(be.Uint64(b[12:])), int64(be.Uint64(b[20:]))
		h.nbytesFree, h.nbytesName = int32(be.Uint32(b[28:])), int32(be.Uint32(b[36:]))
		h.seekInfo, h.nbytesInfo = int64(be.Uint64(b[45:])), int32(be.Uint32(b[53:]))
	} else {
		h.end, h.seekFree = int64(int32(be.Uint32(b[12:]))), int64(int32(be.Uint32(b[16:])))
		h.nbytesFree, h.nbytesName = int32(be.Uint32(b[20:])), int32(be.Uint32(b[28:]))
		h.seekInfo, h.nbytesInfo = int64(int32(be.Uint32(b[37:]))), int32(be.Uint32(b[41:]))
	}
	if h.end > size {
		return withKind(ErrTruncated, fmt.Errorf("%d bytes, its header says %d", size, h.end))
	}
	c := layoutCheck{r: r, end: h.end}
	if b := c.record("top directory", h.begin, h.nbytesName); c.err == nil {
		if _, _, err := parseKeyHeader(b); err != nil {
			c.fail("top directory at byte %d: %v", h.begin, err)
		}
	}
	if h.seekFree > 0 {
		c.keyRecord("free-segments record", h.seekFree, h.nbytesFree)
	}
	if h.seekInfo > 0 {
		c.keyRecord("StreamerInfo record", h.seekInfo, h.nbytesInfo)
	}
	c.directory(h)
	c.dec.close()
	return c.err
}

// layoutCheck checks records of a file of end bytes, keeping the first failure.
type layoutCheck struct {
	r   io.ReaderAt
	end int64
	dec decompressor
	err error
}

func (c *layoutCheck) fail(format string, args ...any) {
	if c.err == nil {
		c.err = withKind(ErrCorrupt, fmt.Errorf(format, args...))
	}
}

// record reads the n bytes at seek, failing when they do not lie inside the file.
func (c *layoutCheck) record(what string, seek int64, n int32) []byte {
	if c.err != nil {
		return nil
	}
	if seek <= 0 || n < 0 || seek+int64(n) > c.end {
		c.fail("the %s lies at bytes %d..%d of %d", what, seek, seek+int64(n), c.end)
		return nil
	}
	b := make([]byte, n)
	if _, err := c.r.ReadAt(b, seek); err != nil && !errors.Is(err, io.EOF) {
		c.err = classify(err)
		return nil
	}
	return b
}

// keyRecord checks the record of n bytes at seek: a key whose header says it is n bytes long,
// and whose object inflates, its checksums verified, to the length it states. (go-hep's own
// decompression does not verify them, and decodes whatever a damaged block inflates to.)
func (c *layoutCheck) keyRecord(what string, seek int64, n int32) {
	b := c.record(what, seek, n)
	if c.err != nil {
		return
	}
	k, _, err := parseKeyHeader(b)
	switch {
	case err != nil:
		c.fail("%s at byte %d: %v", what, seek, err)
		return
	case k.nbytes != int64(n):
		c.fail("%s at byte %d: its key says %d bytes, the header %d", what, seek, k.nbytes, n)
		return
	}
	var buf []byte
	if _, err := c.dec.inflate(&buf, b[k.keylen:], int(k.objlen)); err != nil {
		c.err = located(fmt.Sprintf("%s at byte %d", what, seek), err)
	}
}

// directory checks the top directory record and the list of keys it points to.
func (c *layoutCheck) directory(h fileHeader) {
	if c.err != nil {
		return
	}
	dirAt := h.begin + int64(h.nbytesName)
	b := c.record("top directory", dirAt, 18)
	if c.err != nil {
		return
	}
	be := binary.BigEndian
	version, nbytesKeys := int16(be.Uint16(b)), int32(be.Uint32(b[10:]))
	var seekKeys int64
	if version > 1000 {
		if b = c.record("top directory", dirAt, 42); c.err != nil {
			return
		}
		seekKeys = int64(be.Uint64(b[34:]))
	} else {
		if b = c.record("top directory", dirAt, 30); c.err != nil {
			return
		}
		seekKeys = int64(int32(be.Uint32(b[26:])))
	}
	if seekKeys <= 0 {
		return
	}
	b = c.record("list of keys", seekKeys, nbytesKeys)
	if c.err != nil {
		return
	}
	k, _, err := parseKeyHeader(b)
	if err != nil || k.objlen < 4 || k.keylen+k.objlen > int64(len(b)) {
		c.fail("list of keys at byte %d: key of %d+%d bytes in %d (%v)", seekKeys, k.keylen, k.objlen, len(b), err)
		return
	}
	list := b[k.keylen : k.keylen+k.objlen]
	nkeys := int32(be.Uint32(list))
	list = list[4:]
	for i := int32(0); i < nkeys; i++ {
		_, used, err := parseKeyHeader(list)
		if err != nil {
			c.fail("list of keys at byte %d: key %d of %d: %v", seekKeys, i, nkeys, err)
			return
		}
		list = list[used:]
	}
}

// keyHeader holds the lengths in a key header.
type keyHeader struct {
	nbytes, objlen, keylen int64
}

// parseKeyHeader reads the key header at the start of b, checking that its strings fit in b
// and in the key length it states. It returns the bytes the header takes (4 for a gap, whose
// byte count is negative).
func parseKeyHeader(b []byte) (k keyHeader, used int, err error) {
	be := binary.BigEndian
	if len(b) < 4 {
		return k, 0, fmt.Errorf("%d bytes, too short for a key", len(b))
	}
	if k.nbytes = int64(int32(be.Uint32(b))); k.nbytes < 0 {
		return k, 4, nil
	}
	if len(b) < 18 {
		return k, 0, fmt.Errorf("%d bytes, too short for a key", len(b))
	}
	version := int16(be.Uint16(b[4:]))
	k.objlen, k.keylen = int64(int32(be.Uint32(b[6:]))), int64(int16(be.Uint16(b[14:])))
	used = 18 + 8
	if version > 1000 {
		used = 18 + 16
	}
	for s := 0; s < 3 && used <= len(b); s++ { // class, name, title
		if used >= len(b) {
			used++
			break
		}
		n := int(b[used])
		used++
		if n == 255 {
			if used+4 > len(b) {
				used += 4
				break
			}
			n = int(be.Uint32(b[used:]))
			used += 4
		}
		used += n
	}
	switch {
	case used > len(b) || int64(used) > k.keylen:
		return k, 0, fmt.Errorf("key header of %d bytes overruns its key length %d or its record (%d bytes)", used, k.keylen, len(b))
	case k.objlen < 0 || k.keylen <= 0 || k.keylen > k.nbytes:
		return k, 0, fmt.Errorf("key of %d bytes with a %d-byte header and a %d-byte object", k.nbytes, k.keylen, k.objlen)
	}
	return k, used, nil
}

// openRemote opens a root:// URL with go-hep's XRootD plugin.
func openRemote(path string) (rf *riofs.File, err error) {
	defer func() {
		if e := recover(); e != nil {
			rf, err = nil, classifyPanic(e)
		}
	}()
	rf, err = riofs.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot reach or read the remote file: %w", err)
	}
	return rf, nil
}
