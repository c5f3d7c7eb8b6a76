package ingest

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/features"
)

// FeatureSpec names the feature definitions written by this package; it goes into every
// output's key-value metadata so a dataset says how it was made.
const FeatureSpec = "sparkdltrigger-step1/v1"

// output writes the selected events of one input file.
type output struct {
	w      *dataset.Writer
	schema dataset.Schema
}

// partSchema is what a part file holds: the label lives in the partition directory.
func partSchema() dataset.Schema { return dataset.Ingested().Drop("label") }

func createOutput(path string, in Input, opts Options) (*output, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	quirks := "reproduced"
	if opts.Features.FixQuirks {
		quirks = "fixed"
	}
	s := partSchema()
	w, err := dataset.NewWriter(path, s, dataset.WithMetadata(map[string]string{
		"dltrigger.feature_spec": FeatureSpec,
		"dltrigger.quirks":       quirks,
		"dltrigger.input":        in.Path,
		"dltrigger.sample":       in.Sample,
		"dltrigger.label":        fmt.Sprint(in.Label),
	}))
	if err != nil {
		return nil, fmt.Errorf("ingest: %s: %w", in.Path, err)
	}
	return &output{w: w, schema: s}, nil
}

// writeChunk appends the selected events of a worked chunk.
func (o *output) writeChunk(j *chunkJob) error {
	if j.selected == 0 {
		return nil
	}
	const nl, nh = features.NumParticles * features.NumColumns, features.NumHLF
	b := &dataset.Batch{Schema: o.schema, Rows: j.selected, Floats: make([][]float64, len(o.schema)), Ints: make([][]int64, len(o.schema))}
	b.Floats[o.schema.Index("hfeatures")] = j.h[:j.selected*nh]
	b.Floats[o.schema.Index("lfeatures")] = j.l[:j.selected*nl]
	return o.w.WriteBatch(b)
}

func (o *output) close() error { return o.w.Close() }
func (o *output) abort()       { o.w.Abort() }
