package dataset

import (
	"io"

	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/klauspost/compress/s2"
	"github.com/klauspost/compress/snappy"
)

// Importing this package makes arrow-go's Snappy codec encode blocks with s2's fast
// Snappy encoder instead of its "better" one: the output is standard Snappy (every
// reader decodes it), written about twice as fast, a few percent larger. Decoding is
// unchanged. This is the codec registration arrow-go documents for package init.
func init() {
	compress.RegisterCodec(compress.Codecs.Snappy, fastSnappy{})
}

// fastSnappy is a Snappy block codec for Parquet pages.
type fastSnappy struct{}

func (fastSnappy) Encode(dst, src []byte) []byte { return s2.EncodeSnappy(dst, src) }

func (fastSnappy) EncodeLevel(dst, src []byte, _ int) []byte { return s2.EncodeSnappy(dst, src) }

func (fastSnappy) CompressBound(n int64) int64 { return int64(snappy.MaxEncodedLen(int(n))) }

func (c fastSnappy) Decode(dst, src []byte) []byte {
	out, err := c.DecodeWithError(dst, src)
	if err != nil {
		panic(err) // the Codec interface has no error; arrow-go calls DecodeWithError
	}
	return out
}

func (fastSnappy) DecodeWithError(dst, src []byte) ([]byte, error) { return snappy.Decode(dst, src) }

func (fastSnappy) NewReader(r io.Reader) io.ReadCloser { return io.NopCloser(snappy.NewReader(r)) }

func (fastSnappy) NewWriter(w io.Writer) io.WriteCloser { return snappy.NewBufferedWriter(w) }

func (c fastSnappy) NewWriterLevel(w io.Writer, _ int) (io.WriteCloser, error) {
	return c.NewWriter(w), nil
}
