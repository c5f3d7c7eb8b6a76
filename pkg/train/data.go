package train

import (
	"context"
	"fmt"
	"strings"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/spec"
)

// Column names of the prepared datasets (spec's, PIPELINE.md, step 2).
const (
	ColumnHLF          = spec.ColumnHLFInput     // array<double>(14), min-max scaled
	ColumnSequence     = spec.ColumnGRUInput     // array<array<double>>(801x19), or flattened 15219
	ColumnEncodedLabel = spec.ColumnEncodedLabel // array<double>(3), one-hot
	ColumnLabel        = spec.ColumnLabel        // bigint class id
)

// DefaultMemoryLimitBytes is the size up to which OpenDataset loads a dataset into memory.
const DefaultMemoryLimitBytes = 1 << 30

// DataConfig says which columns of a prepared dataset a classifier reads and how to read them.
type DataConfig struct {
	Kind models.Kind // hlf reads HLF_input; particle GRU_input; inclusive both
	// MaxParticles keeps S particle rows of GRU_input, those Truncate says (required: see
	// Options.Truncation); 0 keeps all (801).
	MaxParticles int
	Truncate     models.Truncation
	// BucketByLength (Options.BucketByLength) requires a sequence classifier and a dataset
	// prepared with padding masking (prep.PaddingMasked); TrainDatasets then groups the
	// training rows with NewBucketSource.
	BucketByLength bool
	// ShuffleBuffer is the number of rows the streaming source shuffles in; 0 takes the rows
	// that fit in DefaultShuffleBytes (at most DefaultShuffleRows).
	ShuffleBuffer int
	// MemoryLimitBytes: OpenDataset loads the needed columns into memory when they take at
	// most this many bytes as float32; 0 means DefaultMemoryLimitBytes, < 0 always streams.
	MemoryLimitBytes int64
}

// dataPlan is a dataset resolved against a DataConfig: the columns to read and how to turn
// one row of them into model inputs.
type dataPlan struct {
	dir    string
	reader *dataset.Reader
	schema dataset.Schema // the columns read
	hlf    int            // index in schema of HLF_input, -1 when not read
	seq    int            // index in schema of GRU_input, -1 when not read
	label  int            // index in schema of the label column, -1 when absent
	oneHot bool           // the label column is encoded_label
	seqLen int            // particle rows stored per row
	skip   int            // particle rows skipped before those kept
	keep   int            // particle rows kept per row
	parts  []filePart     // the row ranges of a share (OpenDatasetShare); nil: every file whole
}

// hlfWidth and seqWidth are the float32 values one row yields for each input.
func (p *dataPlan) hlfWidth() int {
	if p.hlf < 0 {
		return 0
	}
	return models.NumHLF
}

func (p *dataPlan) seqWidth() int {
	if p.seq < 0 {
		return 0
	}
	return p.keep * models.NumFeatures
}

// rowBytes is the memory one converted row takes (float32 inputs and an int label).
func (p *dataPlan) rowBytes() int64 { return int64(4*(p.hlfWidth()+p.seqWidth()) + 8) }

// rows is the number of rows of the dataset.
func (p *dataPlan) rows() int { return p.partRows() }

// planData opens dir and finds the columns that cfg.Kind reads. needLabels makes a dataset
// without encoded_label and label an error.
func planData(ctx context.Context, dir string, cfg DataConfig, needLabels bool) (*dataPlan, error) {
	if err := models.DefaultConfig(cfg.Kind).Validate(); err != nil {
		return nil, fmt.Errorf("train: dataset %s: %w", dir, err)
	}
	if cfg.MaxParticles < 0 {
		return nil, fmt.Errorf("train: dataset %s: max particles must be >= 0, got %d", dir, cfg.MaxParticles)
	}
	if err := cfg.Truncate.Validate(); err != nil {
		return nil, fmt.Errorf("train: dataset %s: %w", dir, err)
	}
	if cfg.MaxParticles > 0 && cfg.Truncate == "" {
		return nil, fmt.Errorf("train: dataset %s: %d particle rows to keep, but not which: set the truncation (%s or %s)",
			dir, cfg.MaxParticles, models.TruncateLast, models.TruncateFirst)
	}
	r, err := dataset.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	if len(r.Files()) == 0 {
		return nil, fmt.Errorf("train: dataset %s: no Parquet files", dir)
	}
	if cfg.BucketByLength {
		if err := CheckBucketable(dir, cfg.Kind); err != nil {
			return nil, err
		}
	}
	have, err := r.Infer(ctx)
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	p := &dataPlan{dir: dir, reader: r, hlf: -1, seq: -1, label: -1}
	missing := func(col, why string) error {
		return fmt.Errorf("train: dataset %s has no column %s, which %s needs (it has %s)",
			dir, col, why, strings.Join(have.Names(), ", "))
	}
	wrong := func(c dataset.Column, want string) error {
		return fmt.Errorf("train: dataset %s: column %v, want %s", dir, c, want)
	}
	cls := fmt.Sprintf("the %s classifier", cfg.Kind)
	mc := models.DefaultConfig(cfg.Kind)
	if mc.UsesHLF() {
		i := have.Index(ColumnHLF)
		if i < 0 {
			return nil, missing(ColumnHLF, cls)
		}
		if c := have[i]; c.Kind != dataset.Float64List || c.Width != models.NumHLF {
			return nil, wrong(c, fmt.Sprintf("array<double>(%d)", models.NumHLF))
		}
		p.hlf = len(p.schema)
		p.schema = append(p.schema, have[i])
	}
	if mc.UsesSequence() {
		i := have.Index(ColumnSequence)
		if i < 0 {
			return nil, missing(ColumnSequence, cls)
		}
		c := have[i]
		switch {
		case c.Kind == dataset.Float64List2 && c.Cols == models.NumFeatures:
			p.seqLen = c.Rows
		case c.Kind == dataset.Float64List && c.Width > 0 && c.Width%models.NumFeatures == 0:
			p.seqLen = c.Width / models.NumFeatures
		default:
			return nil, wrong(c, fmt.Sprintf("array<array<double>>(Sx%d) or array<double>(S*%d)", models.NumFeatures, models.NumFeatures))
		}
		p.skip, p.keep = cfg.Truncate.Window(p.seqLen, cfg.MaxParticles)
		p.seq = len(p.schema)
		p.schema = append(p.schema, c)
	}
	if i := have.Index(ColumnEncodedLabel); i >= 0 {
		if c := have[i]; c.Kind != dataset.Float64List || c.Width != models.NumClasses {
			return nil, wrong(c, fmt.Sprintf("array<double>(%d)", models.NumClasses))
		}
		p.label, p.oneHot = len(p.schema), true
		p.schema = append(p.schema, have[i])
	} else if i := have.Index(ColumnLabel); i >= 0 {
		if have[i].Kind != dataset.Int64 {
			return nil, wrong(have[i], "bigint")
		}
		p.label = len(p.schema)
		p.schema = append(p.schema, have[i])
	} else if needLabels {
		return nil, missing(ColumnEncodedLabel+" (or "+ColumnLabel+")", "training and evaluation")
	}
	if err := r.Check(p.schema); err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	return p, nil
}

// convertRow writes row i of b (read with p.schema) into hlf and seq (float32, particle rows
// truncated to the p.keep after p.skip) and returns its label (-1 when the dataset has none). Its errors name
// the file and row; callers add the package prefix.
func (p *dataPlan) convertRow(b *dataset.Batch, i int, hlf, seq []float32) (int, error) {
	if err := p.checkRow(b, i); err != nil {
		return 0, err
	}
	if p.hlf >= 0 {
		src := b.Floats[p.hlf][i*models.NumHLF : (i+1)*models.NumHLF]
		for k, v := range src {
			hlf[k] = float32(v)
		}
	}
	if p.seq >= 0 {
		start := (i*p.seqLen + p.skip) * models.NumFeatures
		src := b.Floats[p.seq][start : start+p.keep*models.NumFeatures]
		for k, v := range src {
			seq[k] = float32(v)
		}
	}
	switch {
	case p.label < 0:
		return -1, nil
	case p.oneHot:
		row := b.Floats[p.label][i*models.NumClasses : (i+1)*models.NumClasses]
		best := 0
		for c, v := range row {
			if v > row[best] {
				best = c
			}
		}
		if row[best] <= 0 {
			return 0, fmt.Errorf("%s: row %d: %s %v is not a one-hot label", b.File, b.Row+int64(i), ColumnEncodedLabel, row)
		}
		return best, nil
	default:
		l := b.Ints[p.label][i]
		if l < 0 || l >= models.NumClasses {
			return 0, fmt.Errorf("%s: row %d: %s %d outside [0, %d)", b.File, b.Row+int64(i), ColumnLabel, l, models.NumClasses)
		}
		return int(l), nil
	}
}

// scanBatchRows is the number of rows read from Parquet at a time.
const scanBatchRows = 256

// scan reads the files (or the row ranges of a share: fileParts) in the given order (all, in
// storage order, when nil), calling fn for every batch of rows.
func (p *dataPlan) scan(ctx context.Context, order []int, fn func(*dataset.Batch) error) error {
	parts := p.fileParts()
	for k := range parts {
		part := parts[k]
		if order != nil {
			part = parts[order[k]]
		}
		if err := p.scanPart(ctx, part, fn); err != nil {
			return err
		}
	}
	return nil
}

// LoadData reads the columns that cfg.Kind needs from the prepared dataset dir (ours or
// Spark's: full, HLF or inclusive layout) into memory, in storage order, as float32 with the
// particle rows truncated to cfg.MaxParticles (those cfg.Truncate says). Labels come from encoded_label (argmax) or
// label; they are nil when the dataset has neither (prediction of unlabelled events).
func LoadData(ctx context.Context, dir string, cfg DataConfig) (modeldir.Data, error) {
	p, err := planData(ctx, dir, cfg, false)
	if err != nil {
		return modeldir.Data{}, err
	}
	return p.load(ctx)
}

func (p *dataPlan) load(ctx context.Context) (modeldir.Data, error) {
	n := p.rows()
	d := modeldir.Data{SeqLen: p.keep}
	if p.hlf >= 0 {
		d.HLF = make([]float32, n*p.hlfWidth())
	}
	if p.seq >= 0 {
		d.Seq = make([]float32, n*p.seqWidth())
	}
	if p.label >= 0 {
		d.Labels = make([]int, n)
	}
	row := 0
	hw, sw := p.hlfWidth(), p.seqWidth()
	err := p.scan(ctx, nil, func(b *dataset.Batch) error {
		if row+b.Rows > n {
			return fmt.Errorf("train: dataset %s holds more rows than its footers say (%d)", p.dir, n)
		}
		for i := 0; i < b.Rows; i++ {
			l, err := p.convertRow(b, i, d.HLF[row*hw:(row+1)*hw], d.Seq[row*sw:(row+1)*sw])
			if err != nil {
				return err
			}
			if d.Labels != nil {
				d.Labels[row] = l
			}
			row++
		}
		return nil
	})
	if err != nil {
		return modeldir.Data{}, fmt.Errorf("train: read %s: %w", p.dir, err)
	}
	if row != n {
		return modeldir.Data{}, fmt.Errorf("train: dataset %s: read %d rows, its footers say %d", p.dir, row, n)
	}
	return d, nil
}

// OpenDataset opens the prepared dataset dir as a training Source for cfg.Kind: a
// MemorySource when the needed columns take at most cfg.MemoryLimitBytes as float32, else a
// streaming ParquetSource. Both yield the same rows; see ParquetSource for the order.
func OpenDataset(ctx context.Context, dir string, cfg DataConfig) (Source, error) {
	p, err := planData(ctx, dir, cfg, true)
	if err != nil {
		return nil, err
	}
	limit := cfg.MemoryLimitBytes
	if limit == 0 {
		limit = DefaultMemoryLimitBytes
	}
	if limit > 0 && int64(p.rows())*p.rowBytes() <= limit {
		d, err := p.load(ctx)
		if err != nil {
			return nil, err
		}
		src, err := NewMemorySource(d)
		if err != nil {
			return nil, fmt.Errorf("train: dataset %s: %w", dir, err)
		}
		return src, nil
	}
	return newParquetSource(p, cfg), nil
}

// DatasetRows is a prepared dataset opened for reading its rows in storage order, as
// prediction and evaluation read them.
type DatasetRows struct{ plan *dataPlan }

// OpenRows opens the prepared dataset dir for reading the columns cfg.Kind needs (see
// LoadData). needLabels makes a dataset without encoded_label and label an error.
func OpenRows(ctx context.Context, dir string, cfg DataConfig, needLabels bool) (*DatasetRows, error) {
	p, err := planData(ctx, dir, cfg, needLabels)
	if err != nil {
		return nil, err
	}
	return &DatasetRows{plan: p}, nil
}

// Len is the number of rows.
func (r *DatasetRows) Len() int { return r.plan.rows() }

// Labelled reports whether the dataset has labels (encoded_label or label).
func (r *DatasetRows) Labelled() bool { return r.plan.label >= 0 }

// Dataset is the dataset read.
func (r *DatasetRows) Dataset() *dataset.Reader { return r.plan.reader }

// Chunks reads the rows in storage order and calls fn with every chunk of up to chunkRows of
// them (labels nil when the dataset has none). The chunk's slices are reused by the next call.
func (r *DatasetRows) Chunks(ctx context.Context, chunkRows int, fn func(modeldir.Data) error) error {
	p := r.plan
	hw, sw := p.hlfWidth(), p.seqWidth()
	chunk := modeldir.Data{SeqLen: p.keep, HLF: make([]float32, chunkRows*hw), Seq: make([]float32, chunkRows*sw)}
	labels := make([]int, chunkRows)
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		d := modeldir.Data{SeqLen: chunk.SeqLen}
		if hw > 0 {
			d.HLF = chunk.HLF[:n*hw]
		}
		if sw > 0 {
			d.Seq = chunk.Seq[:n*sw]
		}
		if p.label >= 0 {
			d.Labels = labels[:n]
		}
		n = 0
		return fn(d)
	}
	err := p.scan(ctx, nil, func(b *dataset.Batch) error {
		for i := 0; i < b.Rows; i++ {
			l, err := p.convertRow(b, i, chunk.HLF[n*hw:(n+1)*hw], chunk.Seq[n*sw:(n+1)*sw])
			if err != nil {
				return err
			}
			labels[n] = l
			n++
			if n == chunkRows {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return fmt.Errorf("train: read %s: %w", p.dir, err)
	}
	return nil
}
