package delphes

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
)

// DumpJSON writes up to n events of f (all when n < 0) to w, one JSON object a line:
// {"entry":0,"EFlowTrack":{"PT":[...],...},...}, collections and members named as in the file.
func (f *File) DumpJSON(ctx context.Context, w io.Writer, n int64) error {
	end := int64(-1)
	if n >= 0 {
		end = n
	}
	var buf []byte
	return f.Read(ctx, func(ev *Event) error {
		buf = f.appendJSON(buf[:0], ev)
		if _, err := w.Write(buf); err != nil {
			return fmt.Errorf("writing JSON: %w", err)
		}
		return nil
	}, WithRange(0, end))
}

// appendJSON appends ev as one line of JSON.
func (f *File) appendJSON(b []byte, ev *Event) []byte {
	b = append(b, `{"entry":`...)
	b = strconv.AppendInt(b, ev.Entry, 10)
	for i := range collections {
		spec := &collections[i]
		name := spec.name
		if name == "Muon" {
			name = f.muon
		}
		b = append(b, ',')
		b = strconv.AppendQuote(b, name)
		b = append(b, ":{"...)
		for k, m := range spec.members {
			if k > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendQuote(b, m.name)
			b = append(b, ":["...)
			switch m.kind {
			case kindF32:
				for j, v := range *m.f32(ev) {
					if j > 0 {
						b = append(b, ',')
					}
					if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
						b = append(b, "null"...)
					} else {
						b = strconv.AppendFloat(b, float64(v), 'g', -1, 32)
					}
				}
			case kindI32:
				for j, v := range *m.i32(ev) {
					if j > 0 {
						b = append(b, ',')
					}
					b = strconv.AppendInt(b, int64(v), 10)
				}
			case kindU32:
				for j, v := range *m.u32(ev) {
					if j > 0 {
						b = append(b, ',')
					}
					b = strconv.AppendUint(b, uint64(v), 10)
				}
			}
			b = append(b, ']')
		}
		b = append(b, '}')
	}
	return append(b, "}\n"...)
}
