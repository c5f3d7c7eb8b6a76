package train

import (
	"context"
	"errors"
	"fmt"

	"github.com/godltrigger/godltrigger/pkg/dataset"
)

// OpenDatasetShare opens, as OpenDataset opens a whole dataset, the share of rank (of
// workers) in the rows of the prepared dataset dir, so that the ranks of a distributed run
// read disjoint parts that together make the dataset: every row is read by exactly one rank
// in each epoch, as with PyTorch's DistributedSampler. With at least as many files as ranks,
// a share is whole files: rank, rank+workers, ... in path order (dataset.Reader.Share).
// With fewer files, a share is a range of rows: the rows of all files, in path order, cut
// into workers consecutive ranges whose sizes differ by at most one row. Either way the share
// depends on the dataset and the number of ranks only. The memory limit applies to the share.
func OpenDatasetShare(ctx context.Context, dir string, cfg DataConfig, rank, workers int) (Source, error) {
	p, err := planData(ctx, dir, cfg, true)
	if err != nil {
		return nil, err
	}
	if err := p.share(rank, workers); err != nil {
		return nil, fmt.Errorf("train: dataset %s: %w", dir, err)
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
			return nil, fmt.Errorf("train: dataset %s, share %d of %d: %w", dir, rank, workers, err)
		}
		return src, nil
	}
	return newParquetSource(p, cfg), nil
}

// share restricts the plan to the share of rank of workers (see OpenDatasetShare).
func (p *dataPlan) share(rank, workers int) error {
	files := p.reader.Files()
	if len(files) >= workers {
		share, err := p.reader.Share(rank, workers)
		if err != nil {
			return err
		}
		p.reader = share
		return nil
	}
	if workers < 1 || rank < 0 || rank >= workers {
		return fmt.Errorf("share %d of %d: want 0 <= rank < workers", rank, workers)
	}
	n := p.reader.NumRows()
	if n < int64(workers) {
		return fmt.Errorf("%d rows, fewer than the %d ranks: rank %d has none to read", n, workers, rank)
	}
	from, to := n*int64(rank)/int64(workers), n*int64(rank+1)/int64(workers)
	p.parts = []filePart{}
	var start int64 // of the file in the dataset's rows
	for _, f := range files {
		lo, hi := max(from-start, 0), min(to-start, f.NumRows)
		if lo < hi {
			p.parts = append(p.parts, filePart{file: f, from: lo, to: hi})
		}
		start += f.NumRows
	}
	return nil
}

// filePart is the rows [from, to) of one file of a dataset.
type filePart struct {
	file     dataset.File
	from, to int64
}

// fileParts are what the plan reads, in order: its files whole, or the row ranges of a share.
func (p *dataPlan) fileParts() []filePart {
	if p.parts != nil {
		return p.parts
	}
	files := p.reader.Files()
	parts := make([]filePart, len(files))
	for i, f := range files {
		parts[i] = filePart{file: f, from: 0, to: f.NumRows}
	}
	return parts
}

// partRows is the number of rows the plan reads.
func (p *dataPlan) partRows() int {
	if p.parts == nil {
		return int(p.reader.NumRows())
	}
	var n int64
	for _, part := range p.parts {
		n += part.to - part.from
	}
	return int(n)
}

// errPartRead stops the scan of a file once its part is read.
var errPartRead = errors.New("part read")

// scanPart reads the rows of part, calling fn with batches that hold only them.
func (p *dataPlan) scanPart(ctx context.Context, part filePart, fn func(*dataset.Batch) error) error {
	if part.from == 0 && part.to == part.file.NumRows {
		return p.reader.ScanFile(ctx, part.file, p.schema, scanBatchRows, fn)
	}
	err := p.reader.ScanFile(ctx, part.file, p.schema, scanBatchRows, func(b *dataset.Batch) error {
		lo, hi := max(part.from-b.Row, 0), min(part.to-b.Row, int64(b.Rows))
		if lo < hi {
			if err := fn(rowsOf(b, int(lo), int(hi))); err != nil {
				return err
			}
		}
		if b.Row+int64(b.Rows) >= part.to {
			return errPartRead
		}
		return nil
	})
	if errors.Is(err, errPartRead) {
		return nil
	}
	return err
}

// rowsOf is the batch of rows [lo, hi) of b, sharing its storage.
func rowsOf(b *dataset.Batch, lo, hi int) *dataset.Batch {
	if lo == 0 && hi == b.Rows {
		return b
	}
	out := &dataset.Batch{Schema: b.Schema, Rows: hi - lo, File: b.File, Row: b.Row + int64(lo),
		Floats: make([][]float64, len(b.Floats)), Ints: make([][]int64, len(b.Ints))}
	for i, c := range b.Schema {
		if b.Floats[i] != nil {
			out.Floats[i] = b.Floats[i][lo*c.Len() : hi*c.Len()]
		}
		if b.Ints[i] != nil {
			out.Ints[i] = b.Ints[i][lo:hi]
		}
	}
	return out
}
