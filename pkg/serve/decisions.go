package serve

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strconv"

	"github.com/apache/arrow-go/v18/parquet/file"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/features"
	"github.com/godltrigger/godltrigger/pkg/models"
)

// DecisionSpec names the layout of the decision files; it goes into their footers.
const DecisionSpec = "dltrigger-decisions/1"

// OutputSuffix is appended to an input's path (relative to the watched directory) to name its
// decision file under the output directory: watch/a/b.root -> out/a/b.root.decisions.parquet.
const OutputSuffix = ".decisions.parquet"

// Footer keys of a decision file.
const (
	MetaSpec      = "dltrigger.decision_spec"
	MetaInput     = dataset.MetaInput // the source file, as found in the watched directory
	MetaModel     = "dltrigger.model"
	MetaClass     = "dltrigger.class"
	MetaThreshold = "dltrigger.threshold"
	// MetaInputVersion identifies the version of the source decided: its size in bytes, its
	// modification time (RFC 3339) and its generation (see GenerationPath).
	MetaInputVersion = "dltrigger.input_version"
)

// Schema is the layout of a decision file: one row per event of the input, in entry order.
//
//	entry          bigint            entry (ROOT) or row (Parquet) index in the source file
//	outcome        bigint            features.Outcome of the trigger emulation (0: selected)
//	triggered      bigint            1 when the event passed the lepton trigger emulation
//	probabilities  array<double>(3)  P(qcd), P(ttbar), P(wjets); NaN when not triggered
//	pass           bigint            1 when triggered and P(class) >= threshold
//
// The source file is named in the footer (MetaInput) and by the file's own name.
func Schema() dataset.Schema {
	return dataset.Schema{
		{Name: "entry", Kind: dataset.Int64},
		{Name: "outcome", Kind: dataset.Int64},
		{Name: "triggered", Kind: dataset.Int64},
		{Name: "probabilities", Kind: dataset.Float64List, Width: models.NumClasses},
		{Name: "pass", Kind: dataset.Int64},
	}
}

// Decision is the verdict on one event.
type Decision struct {
	Source        string // the input file
	Entry         int64  // entry (ROOT) or row (Parquet) index in Source
	Outcome       features.Outcome
	Triggered     bool                       // passed the trigger emulation (Outcome == Selected)
	Probabilities [models.NumClasses]float64 // NaN when not triggered
	Pass          bool
}

// OutputPath is where the decisions of the input rel (relative to the watched directory) go.
func OutputPath(out, rel string) string {
	return filepath.Join(out, filepath.FromSlash(rel)+OutputSuffix)
}

// GenerationPath is where the decisions of generation gen of the input rel go. An input
// replaced after it was decided (another size or modification time under the same name) is a
// new generation, decided again into a file of its own, so that earlier decisions are never
// overwritten: generation 1 (or less) at OutputPath, generation g > 1 beside it, at
// OUT/<rel>.gen<g>.decisions.parquet.
func GenerationPath(out, rel string, gen int) string {
	if gen <= 1 {
		return OutputPath(out, rel)
	}
	return filepath.Join(out, filepath.FromSlash(rel)+".gen"+strconv.Itoa(gen)+OutputSuffix)
}

// groupRows is the number of decisions per row group: it bounds what a writer buffers.
const groupRows = 1 << 16

// decisionWriter writes the decisions of one input file, buffering them into batches.
type decisionWriter struct {
	w                       *dataset.Writer
	entry, outcome, trig, p []int64
	probs                   []float64
}

func newDecisionWriter(path string, meta map[string]string) (*decisionWriter, error) {
	w, err := dataset.NewWriter(path, Schema(), dataset.WithMetadata(meta), dataset.WithRowGroupRows(groupRows))
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	return &decisionWriter{w: w}, nil
}

// add buffers one decision.
func (d *decisionWriter) add(entry int64, o features.Outcome, probs []float32, pass bool) {
	d.entry = append(d.entry, entry)
	d.outcome = append(d.outcome, int64(o))
	trig := int64(0)
	if o == features.Selected {
		trig = 1
	}
	d.trig = append(d.trig, trig)
	for c := 0; c < models.NumClasses; c++ {
		v := math.NaN()
		if probs != nil {
			v = float64(probs[c])
		}
		d.probs = append(d.probs, v)
	}
	d.p = append(d.p, b2i(pass))
}

// flush writes the buffered decisions.
func (d *decisionWriter) flush() error {
	n := len(d.entry)
	if n == 0 {
		return nil
	}
	b := &dataset.Batch{Schema: Schema(), Rows: n,
		Floats: [][]float64{nil, nil, nil, d.probs, nil},
		Ints:   [][]int64{d.entry, d.outcome, d.trig, nil, d.p}}
	err := d.w.WriteBatch(b)
	d.entry, d.outcome, d.trig, d.p, d.probs = d.entry[:0], d.outcome[:0], d.trig[:0], d.p[:0], d.probs[:0]
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// close writes what is buffered and renames the file into place.
func (d *decisionWriter) close() error {
	if err := d.flush(); err != nil {
		d.w.Abort()
		return err
	}
	if err := d.w.Close(); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

func (d *decisionWriter) abort() { d.w.Abort() }

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// ReadDecisions reads a decision file written by a Server.
func ReadDecisions(ctx context.Context, path string) ([]Decision, error) {
	source, err := footerValue(path, MetaInput)
	if err != nil {
		return nil, err
	}
	r, err := dataset.Open(path)
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	var out []Decision
	err = r.Scan(ctx, Schema(), 0, func(b *dataset.Batch) error {
		e, o, t, p := b.Int64s("entry"), b.Int64s("outcome"), b.Int64s("triggered"), b.Int64s("pass")
		probs := b.Float64s("probabilities")
		for i := 0; i < b.Rows; i++ {
			d := Decision{Source: source, Entry: e[i], Outcome: features.Outcome(o[i]), Triggered: t[i] == 1, Pass: p[i] == 1}
			copy(d.Probabilities[:], probs[i*models.NumClasses:])
			out = append(out, d)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("serve: read %s: %w", path, err)
	}
	return out, nil
}

// footerValue returns the value of key in the footer of the Parquet file path.
func footerValue(path, key string) (string, error) {
	pf, err := file.OpenParquetFile(path, false)
	if err != nil {
		return "", fmt.Errorf("serve: open %s: %w", path, err)
	}
	defer pf.Close()
	v := pf.MetaData().KeyValueMetadata().FindValue(key)
	if v == nil {
		return "", fmt.Errorf("serve: %s is not a decision file (no %s in its footer)", path, key)
	}
	return *v, nil
}

func formatThreshold(t float64) string { return strconv.FormatFloat(t, 'g', -1, 64) }
