package train

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/models"
)

// TestDatasetSharesReadEveryRowOnce opens the shares of datasets with fewer files than ranks
// (row ranges) and with enough files (whole files), in memory and streamed: in every epoch
// each row is read by exactly one rank, and the shares' sizes differ by at most one row (row
// ranges) or are the files rank, rank+workers, ... (whole files).
func TestDatasetSharesReadEveryRowOnce(t *testing.T) {
	for _, tc := range []struct {
		rows, perFile, workers int
		byFile                 bool
	}{
		{23, 23, 2, false}, // the dataset of one 'dltrigger prepare' without --parts
		{23, 23, 3, false},
		{23, 12, 3, false}, // files of 12 and 11 rows
		{23, 6, 3, true},   // 4 files
		{24, 6, 2, true},
	} {
		dir := t.TempDir()
		writeDataset(t, dir, testLayouts()[0], tc.rows, tc.perFile)
		for _, memory := range []int64{0, -1} {
			name := fmt.Sprintf("%d rows in files of %d, %d ranks, memory %d", tc.rows, tc.perFile, tc.workers, memory)
			t.Run(name, func(t *testing.T) {
				cfg := DataConfig{Kind: models.KindInclusive, MemoryLimitBytes: memory, ShuffleBuffer: 5}
				srcs := make([]Source, tc.workers)
				for r := range srcs {
					var err error
					if srcs[r], err = OpenDatasetShare(t.Context(), dir, cfg, r, tc.workers); err != nil {
						t.Fatalf("rank %d: %v", r, err)
					}
				}
				for epoch := range 2 {
					seen := make([]int, tc.rows)
					var sizes []int
					for r, src := range srcs {
						got := ids(t, src, Order{Shuffle: true, Seed: 3, Epoch: epoch}, 4)
						if len(got) != src.Rows() {
							t.Fatalf("rank %d read %d rows, says %d", r, len(got), src.Rows())
						}
						sizes = append(sizes, len(got))
						for _, id := range got {
							seen[id]++
						}
						if tc.byFile {
							for _, id := range got {
								if file := id / tc.perFile; file%tc.workers != r {
									t.Fatalf("rank %d read row %d of file %d", r, id, file)
								}
							}
						}
					}
					for id, n := range seen {
						if n != 1 {
							t.Fatalf("epoch %d: row %d read %d times by the %d ranks (shares %v)", epoch, id, n, tc.workers, sizes)
						}
					}
					if !tc.byFile && slices.Max(sizes)-slices.Min(sizes) > 1 {
						t.Errorf("shares of %v rows", sizes)
					}
				}
			})
		}
	}
	t.Run("fewer rows than ranks", func(t *testing.T) {
		dir := t.TempDir()
		writeDataset(t, dir, testLayouts()[0], 2, 2)
		_, err := OpenDatasetShare(t.Context(), dir, DataConfig{Kind: models.KindHLF}, 0, 3)
		if err == nil || !strings.Contains(err.Error(), "2 rows, fewer than the 3 ranks") {
			t.Fatalf("OpenDatasetShare: %v", err)
		}
	})
}
