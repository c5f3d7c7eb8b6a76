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

// checkHeader reads the ROOT file header of r (size bytes long) and checks that the records it
// points to lie inside the file.
func checkHeader(r io.ReaderAt, size int64) error {
	var h [bigHeaderSize]byte
	n, err := r.ReadAt(h[:], 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return classify(err)
	}
	if n < 4 || string(h[:4]) != "root" {
		return errNotROOT
	}
	be := binary.BigEndian
	version := int32(be.Uint32(h[4:]))
	need := smallHeaderSize
	if version >= 1000000 {
		need = bigHeaderSize
	}
	if n < need {
		return withKind(ErrTruncated, fmt.Errorf("%d bytes, less than a ROOT file header", size))
	}
	begin := int64(int32(be.Uint32(h[8:])))
	var end, seekFree, seekInfo int64
	var nbytesFree, nbytesInfo int32
	if version >= 1000000 {
		end, seekFree = int64(be.Uint64(h[12:])), int64(be.Uint64(h[20:]))
		nbytesFree = int32(be.Uint32(h[28:]))
		seekInfo, nbytesInfo = int64(be.Uint64(h[45:])), int32(be.Uint32(h[53:]))
	} else {
		end, seekFree = int64(int32(be.Uint32(h[12:]))), int64(int32(be.Uint32(h[16:])))
		nbytesFree = int32(be.Uint32(h[20:]))
		seekInfo, nbytesInfo = int64(int32(be.Uint32(h[37:]))), int32(be.Uint32(h[41:]))
	}
	if end > size {
		return withKind(ErrTruncated, fmt.Errorf("%d bytes, its header says %d", size, end))
	}
	inside := func(what string, at int64, n int32) error {
		if at < 0 || n < 0 || at+int64(n) > end {
			return withKind(ErrCorrupt, fmt.Errorf("header puts the %s at bytes %d..%d of %d", what, at, at+int64(n), end))
		}
		return nil
	}
	if err := inside("first record", begin, 0); err != nil {
		return err
	}
	if err := inside("free-segments record", seekFree, nbytesFree); err != nil {
		return err
	}
	return inside("StreamerInfo record", seekInfo, nbytesInfo)
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
