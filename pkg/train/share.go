package train

import (
	"context"
	"fmt"
)

// OpenDatasetShare opens, as OpenDataset opens a whole dataset, the share of rank (of
// workers) in the files of the prepared dataset dir: files rank, rank+workers, ... in path
// order (dataset.Reader.Share), so that the ranks of a distributed run read disjoint parts
// that together make the dataset. The memory limit applies to the share. A share without
// files is an error: the dataset needs at least as many files as there are ranks.
func OpenDatasetShare(dir string, cfg DataConfig, rank, workers int) (Source, error) {
	p, err := planData(dir, cfg, true)
	if err != nil {
		return nil, err
	}
	share, err := p.reader.Share(rank, workers)
	if err != nil {
		return nil, fmt.Errorf("train: dataset %s: %w", dir, err)
	}
	if len(share.Files()) == 0 {
		return nil, fmt.Errorf("train: dataset %s has %d files, fewer than the %d ranks: rank %d has none to read (write it in more files)",
			dir, len(p.reader.Files()), workers, rank)
	}
	p.reader = share
	limit := cfg.MemoryLimitBytes
	if limit == 0 {
		limit = DefaultMemoryLimitBytes
	}
	if limit > 0 && int64(p.rows())*p.rowBytes() <= limit {
		d, err := p.load(context.Background())
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
