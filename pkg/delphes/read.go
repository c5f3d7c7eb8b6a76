package delphes

import (
	"context"
	"fmt"
)

// ReadOption configures File.Read.
type ReadOption func(*readConfig)

type readConfig struct {
	beg, end int64 // end < 0: to the last entry
}

// WithRange limits File.Read to the entries [beg, end). An end beyond the file is clamped.
func WithRange(beg, end int64) ReadOption {
	return func(c *readConfig) { c.beg, c.end = beg, end }
}

// Read calls fn for each entry in order.
//
// The *Event and all its slices are reused between calls: fn must copy what it keeps.
// Read stops when ctx is cancelled (returning ctx.Err()) or when fn returns an error,
// which it returns wrapped.
func (f *File) Read(ctx context.Context, fn func(ev *Event) error, opts ...ReadOption) (err error) {
	cfg := readConfig{beg: 0, end: -1}
	for _, o := range opts {
		o(&cfg)
	}
	end := cfg.end
	if end < 0 || end > f.entries {
		end = f.entries
	}
	if cfg.beg < 0 || cfg.beg > end {
		return fmt.Errorf("delphes: read %s: invalid range [%d, %d) of %d entries", f.name, cfg.beg, cfg.end, f.entries)
	}
	defer func() {
		if e := recover(); e != nil {
			err = fmt.Errorf("delphes: read %s: corrupt file: %v", f.name, e)
		}
	}()
	var ev Event
	done := ctx.Done()
	for i := cfg.beg; i < end; i++ {
		if done != nil {
			select {
			case <-done:
				return ctx.Err()
			default:
			}
		}
		if err := f.load(i, &ev); err != nil {
			return fmt.Errorf("delphes: read %s: %w", f.name, err)
		}
		if err := fn(&ev); err != nil {
			return fmt.Errorf("delphes: read %s: entry %d: %w", f.name, i, err)
		}
	}
	return nil
}

// load decodes entry i into ev.
func (f *File) load(i int64, ev *Event) error {
	ev.Entry = i
	for k := range f.colls {
		cr := &f.colls[k]
		n, err := cr.counter.count(i)
		if err != nil {
			return fmt.Errorf("collection %s: %w", cr.name, err)
		}
		for m, c := range cr.members {
			b, err := c.values(i, n)
			if err != nil {
				return fmt.Errorf("collection %s: %w", cr.name, err)
			}
			switch spec := &cr.spec.members[m]; spec.kind {
			case kindF32:
				decodeF32(spec.f32(ev), b)
			case kindI32:
				decodeI32(spec.i32(ev), b)
			case kindU32:
				decodeU32(spec.u32(ev), b)
			}
		}
	}
	return nil
}
