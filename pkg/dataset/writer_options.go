package dataset

import "fmt"

// DefaultRowGroupBytes is the default uncompressed size of a row group (Spark's
// parquet.block.size is 128 MiB too). Memory use of a Writer is bounded by about the
// compressed size of one row group.
const DefaultRowGroupBytes = 128 << 20

// WriterOption configures a Writer.
type WriterOption func(*writerConfig) error

type writerConfig struct {
	groupRows  int
	groupBytes int
	meta       map[string]string
}

// WithRowGroupRows sets the number of rows per row group.
func WithRowGroupRows(n int) WriterOption {
	return func(c *writerConfig) error {
		if n < 1 {
			return fmt.Errorf("row group rows %d, want >= 1", n)
		}
		c.groupRows = n
		return nil
	}
}

// WithRowGroupBytes sets the uncompressed size of a row group, in bytes; the number
// of rows per group is this divided by the schema's row size (at least 1).
// The default is DefaultRowGroupBytes.
func WithRowGroupBytes(n int) WriterOption {
	return func(c *writerConfig) error {
		if n < 1 {
			return fmt.Errorf("row group bytes %d, want >= 1", n)
		}
		c.groupBytes = n
		return nil
	}
}

// WithMetadata adds key-value pairs to the file footer (written in key order).
func WithMetadata(kv map[string]string) WriterOption {
	return func(c *writerConfig) error {
		if c.meta == nil {
			c.meta = map[string]string{}
		}
		for k, v := range kv {
			c.meta[k] = v
		}
		return nil
	}
}
