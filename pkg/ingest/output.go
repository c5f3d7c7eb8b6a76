package ingest

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/features"
	"github.com/godltrigger/godltrigger/pkg/spec"
)

// FeatureSpec names the feature definitions written by this package; it goes into every
// output's key-value metadata so a dataset says how it was made.
const FeatureSpec = "sparkdltrigger-step1/v1"

// writeRows is the number of rows handed to the Parquet writer at once. The writer cuts pages
// where calls end, so rows are buffered into batches of this fixed size: the bytes of an output
// then depend on its rows only, not on the chunk size or the number of workers.
const writeRows = 32

// output writes the selected events of one input file.
type output struct {
	w      *dataset.Writer
	schema dataset.Schema
	h, l   []float64 // writeRows rows waiting to be written, the first n filled
	n      int
}

// partSchema is what a part file holds: the label lives in the partition directory.
func partSchema() dataset.Schema { return dataset.Ingested().Drop(spec.ColumnLabel) }

// createOutput starts the output of in at path. Its errors are those of the output.
func (r *runner) createOutput(path string, in Input) (*output, error) {
	meta := r.opts.settings()
	meta[dataset.MetaInput] = in.Path
	meta["dltrigger.sample"] = in.Sample
	meta["dltrigger.label"] = fmt.Sprint(in.Label)
	s := partSchema()
	var w *dataset.Writer
	for attempt := 0; ; attempt++ {
		if err := r.dirs.mkdir(filepath.Dir(path)); err != nil {
			return nil, fmt.Errorf("ingest: %w", err)
		}
		var err error
		w, err = dataset.NewWriter(path, s, dataset.WithMetadata(meta))
		if errors.Is(err, fs.ErrNotExist) && attempt < 3 {
			continue // another shard removed the partition folder it had made: make it again
		}
		if err != nil {
			return nil, err
		}
		break
	}
	const nl, nh = features.NumParticles * features.NumColumns, features.NumHLF
	return &output{w: w, schema: s, h: make([]float64, writeRows*nh), l: make([]float64, writeRows*nl)}, nil
}

// writeChunk appends the selected events of a worked chunk. Whole batches of writeRows rows
// go to the writer straight from the chunk; only the rows around batch boundaries are copied.
func (o *output) writeChunk(j *chunkJob) error {
	const nl, nh = features.NumParticles * features.NumColumns, features.NumHLF
	for k := 0; k < j.selected; {
		if o.n == 0 && j.selected-k >= writeRows {
			if err := o.write(writeRows, j.h[k*nh:(k+writeRows)*nh], j.l[k*nl:(k+writeRows)*nl]); err != nil {
				return err
			}
			k += writeRows
			continue
		}
		n := min(j.selected-k, writeRows-o.n)
		copy(o.h[o.n*nh:], j.h[k*nh:(k+n)*nh])
		copy(o.l[o.n*nl:], j.l[k*nl:(k+n)*nl])
		o.n += n
		k += n
		if o.n == writeRows {
			if err := o.flush(); err != nil {
				return err
			}
		}
	}
	return nil
}

// flush writes the buffered rows.
func (o *output) flush() error {
	const nl, nh = features.NumParticles * features.NumColumns, features.NumHLF
	n := o.n
	o.n = 0
	if n == 0 {
		return nil
	}
	return o.write(n, o.h[:n*nh], o.l[:n*nl])
}

func (o *output) write(rows int, h, l []float64) error {
	b := &dataset.Batch{Schema: o.schema, Rows: rows, Floats: make([][]float64, len(o.schema)), Ints: make([][]int64, len(o.schema))}
	b.Floats[o.schema.Index(spec.ColumnHFeatures)] = h
	b.Floats[o.schema.Index(spec.ColumnLFeatures)] = l
	return o.w.WriteBatch(b)
}

// close writes the last rows and renames the file into place.
func (o *output) close() error {
	if err := o.flush(); err != nil {
		o.w.Abort()
		return err
	}
	return o.w.Close()
}

func (o *output) abort() { o.w.Abort() }
