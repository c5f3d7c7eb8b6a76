package delphes

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/cespare/xxhash/v2"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
	"github.com/ulikunitz/xz"
)

// blockHeaderSize is the size of the header ROOT puts before each compressed block:
// two letters naming the algorithm, a method byte, then the compressed and uncompressed
// sizes as 3-byte little-endian integers.
const blockHeaderSize = 9

// decompressor inflates ROOT compressed key payloads, reusing its state between calls. Every
// block's checksum is verified: zlib's Adler-32, the XXH64 that ROOT puts before LZ4 data, xz's
// CRC, and zstd's frame checksum when the frame has one.
type decompressor struct {
	zlib io.ReadCloser
	zstd *zstd.Decoder
	src  bytes.Reader
}

// inflate returns the objlen-byte object stored in payload: payload itself when it is stored
// as is, else payload decompressed into *buf.
func (d *decompressor) inflate(buf *[]byte, payload []byte, objlen int) ([]byte, error) {
	if objlen < 0 || objlen > maxInflation*len(payload)+1<<16 || objlen > maxBasketBytes {
		return nil, withKind(ErrCorrupt, fmt.Errorf("%d compressed bytes claim to inflate to %d", len(payload), objlen))
	}
	if len(payload) == objlen {
		return payload, nil
	}
	out := grow(buf, objlen)
	if err := d.decompress(out, payload); err != nil {
		return nil, withKind(ErrCorrupt, err)
	}
	return out, nil
}

// decompress fills dst (the uncompressed object, of known length) from the blocks in src.
func (d *decompressor) decompress(dst, src []byte) error {
	out := 0
	for out < len(dst) {
		if len(src) < blockHeaderSize {
			return fmt.Errorf("compressed payload truncated: %d bytes left for a block header", len(src))
		}
		csz := int(src[3]) | int(src[4])<<8 | int(src[5])<<16
		usz := int(src[6]) | int(src[7])<<8 | int(src[8])<<16
		alg := string(src[:2])
		src = src[blockHeaderSize:]
		if csz > len(src) {
			return fmt.Errorf("compressed block of %d bytes truncated to %d", csz, len(src))
		}
		if usz > len(dst)-out {
			return fmt.Errorf("compressed block inflates to %d bytes, only %d expected", usz, len(dst)-out)
		}
		block, want := src[:csz], dst[out:out+usz]
		src = src[csz:]
		if err := d.block(alg, want, block); err != nil {
			return err
		}
		out += usz
	}
	return nil
}

func (d *decompressor) block(alg string, dst, src []byte) error {
	if len(dst) == 0 {
		return nil
	}
	switch alg {
	case "ZL":
		d.src.Reset(src)
		if d.zlib == nil {
			r, err := zlib.NewReader(&d.src)
			if err != nil {
				return fmt.Errorf("zlib: %w", err)
			}
			d.zlib = r
		} else if err := d.zlib.(zlib.Resetter).Reset(&d.src, nil); err != nil {
			return fmt.Errorf("zlib: %w", err)
		}
		if err := inflateAll(d.zlib, dst); err != nil {
			return fmt.Errorf("zlib: %w", err)
		}
	case "L4":
		// ROOT's R__unzipLZ4: an 8-byte XXH64 (seed 0, big-endian) of the LZ4 data follows
		// the block header.
		const checksum = 8
		if len(src) < checksum {
			return errors.New("lz4 block too short")
		}
		stored, data := binary.BigEndian.Uint64(src), src[checksum:]
		if sum := xxhash.Sum64(data); sum != stored {
			return fmt.Errorf("lz4: checksum mismatch: block says %016x, its data hashes to %016x", stored, sum)
		}
		n, err := lz4.UncompressBlock(data, dst)
		if err != nil {
			return fmt.Errorf("lz4: %w", err)
		}
		if n != len(dst) {
			return fmt.Errorf("lz4: block inflated to %d bytes, want %d", n, len(dst))
		}
	case "ZS":
		if d.zstd == nil {
			dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1))
			if err != nil {
				return fmt.Errorf("zstd: %w", err)
			}
			d.zstd = dec
		}
		out, err := d.zstd.DecodeAll(src, dst[:0])
		if err != nil {
			return fmt.Errorf("zstd: %w", err)
		}
		if len(out) != len(dst) || &out[0] != &dst[0] {
			return fmt.Errorf("zstd: block inflated to %d bytes, want %d", len(out), len(dst))
		}
	case "XZ":
		r, err := xz.NewReader(bytes.NewReader(src))
		if err != nil {
			return fmt.Errorf("xz: %w", err)
		}
		if err := inflateAll(r, dst); err != nil {
			return fmt.Errorf("xz: %w", err)
		}
	default:
		return fmt.Errorf("unsupported compression algorithm %q", alg)
	}
	return nil
}

// inflateAll fills dst from r and reads on to the end of the stream, where the decompressors
// verify their checksums; a stream longer than dst is an error.
func inflateAll(r io.Reader, dst []byte) error {
	if _, err := io.ReadFull(r, dst); err != nil {
		return err
	}
	var extra [1]byte
	switch n, err := io.ReadFull(r, extra[:]); {
	case n > 0:
		return fmt.Errorf("block inflates to more than %d bytes", len(dst))
	case errors.Is(err, io.EOF):
		return nil
	default:
		return err
	}
}

// close releases the decoders.
func (d *decompressor) close() {
	if d.zstd != nil {
		d.zstd.Close()
		d.zstd = nil
	}
}
