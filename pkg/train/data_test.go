package train

import (
	stdcontext "context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
)

// testSeqLen is the particle rows per event of the test datasets (the plan takes any S).
const testSeqLen = 5

// layout is one way of storing the prepared columns.
type layout struct {
	name   string
	schema dataset.Schema
}

// testLayouts: the inclusive layout (flat GRU_input, encoded_label) and a full-like one
// (GRU_input as a list of lists, an Int64 label and no encoded_label).
func testLayouts() []layout {
	return []layout{
		{"inclusive", dataset.Schema{
			{Name: ColumnHLF, Kind: dataset.Float64List, Width: models.NumHLF},
			{Name: ColumnSequence, Kind: dataset.Float64List, Width: testSeqLen * models.NumFeatures},
			{Name: ColumnEncodedLabel, Kind: dataset.Float64List, Width: models.NumClasses},
		}},
		{"full", dataset.Schema{
			{Name: ColumnLabel, Kind: dataset.Int64},
			{Name: ColumnSequence, Kind: dataset.Float64List2, Rows: testSeqLen, Cols: models.NumFeatures},
			{Name: ColumnHLF, Kind: dataset.Float64List, Width: models.NumHLF},
		}},
	}
}

// rowValue is the value of feature f of row id: HLF features are id + f/100, particle p's
// feature f is id + p/10 + f/1000; the label is id % 3.
func hlfValue(id, f int) float64    { return float64(id) + float64(f)/100 }
func seqValue(id, p, f int) float64 { return float64(id) + float64(p)/10 + float64(f)/1000 }

// writeDataset writes rows ids 0..n-1 of l in files of perFile rows (row groups of 4 rows).
func writeDataset(t testing.TB, dir string, l layout, n, perFile int) {
	t.Helper()
	writeDatasetWith(t, dir, l, n, perFile, nil)
}

// writeDatasetWith is writeDataset with edit, when not nil, changing the values of each row
// (in l.schema's order) before they are written.
func writeDatasetWith(t testing.TB, dir string, l layout, n, perFile int, edit func(id int, vals []any)) {
	t.Helper()
	for part := 0; part*perFile < n; part++ {
		w, err := dataset.NewWriter(filepath.Join(dir, dataset.PartName(part, "test")), l.schema, dataset.WithRowGroupRows(4))
		if err != nil {
			t.Fatal(err)
		}
		for id := part * perFile; id < min(n, (part+1)*perFile); id++ {
			var vals []any
			for _, c := range l.schema {
				switch c.Name {
				case ColumnHLF:
					v := make([]float64, models.NumHLF)
					for f := range v {
						v[f] = hlfValue(id, f)
					}
					vals = append(vals, v)
				case ColumnSequence:
					v := make([]float64, testSeqLen*models.NumFeatures)
					for k := range v {
						v[k] = seqValue(id, k/models.NumFeatures, k%models.NumFeatures)
					}
					vals = append(vals, v)
				case ColumnEncodedLabel:
					v := make([]float64, models.NumClasses)
					v[id%3] = 1
					vals = append(vals, v)
				case ColumnLabel:
					vals = append(vals, int64(id%3))
				}
			}
			if edit != nil {
				edit(id, vals)
			}
			if err := w.Append(vals...); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLoadData(t *testing.T) {
	const n = 10
	for _, l := range testLayouts() {
		for _, tc := range []struct {
			kind  models.Kind
			maxP  int
			trunc models.Truncation
			skip  int // particle rows before those kept
		}{
			{models.KindHLF, 0, models.TruncateLast, 0}, {models.KindParticle, 0, models.TruncateLast, 0},
			{models.KindInclusive, 2, models.TruncateLast, testSeqLen - 2}, {models.KindParticle, 3, models.TruncateLast, testSeqLen - 3},
			{models.KindInclusive, 2, models.TruncateFirst, 0},
			{models.KindParticle, testSeqLen + 1, models.TruncateLast, 0},
		} {
			t.Run(fmt.Sprintf("%s/%s/max%d%s", l.name, tc.kind, tc.maxP, tc.trunc), func(t *testing.T) {
				dir := t.TempDir()
				writeDataset(t, dir, l, n, 4)
				d, err := LoadData(t.Context(), dir, DataConfig{Kind: tc.kind, MaxParticles: tc.maxP, Truncate: tc.trunc})
				if err != nil {
					t.Fatal(err)
				}
				cfg := models.DefaultConfig(tc.kind)
				keep := testSeqLen
				if tc.maxP > 0 {
					keep = min(tc.maxP, testSeqLen)
				}
				if (d.HLF != nil) != cfg.UsesHLF() || (d.Seq != nil) != cfg.UsesSequence() {
					t.Fatalf("HLF read %v, Seq read %v for %s", d.HLF != nil, d.Seq != nil, tc.kind)
				}
				if cfg.UsesSequence() && d.SeqLen != keep {
					t.Fatalf("SeqLen %d, want %d", d.SeqLen, keep)
				}
				for id := 0; id < n; id++ {
					if d.Labels[id] != id%3 {
						t.Fatalf("label of row %d: %d, want %d", id, d.Labels[id], id%3)
					}
					for f := 0; f < models.NumHLF && d.HLF != nil; f++ {
						if got, want := d.HLF[id*models.NumHLF+f], float32(hlfValue(id, f)); got != want {
							t.Fatalf("HLF[%d][%d] = %v, want %v", id, f, got, want)
						}
					}
					for k := 0; k < keep*models.NumFeatures && d.Seq != nil; k++ {
						got := d.Seq[id*keep*models.NumFeatures+k]
						if want := float32(seqValue(id, tc.skip+k/models.NumFeatures, k%models.NumFeatures)); got != want {
							t.Fatalf("Seq[%d][%d] = %v, want %v (%d particles kept after %d)", id, k, got, want, keep, tc.skip)
						}
					}
				}
			})
		}
	}
}

func TestOpenDatasetErrors(t *testing.T) {
	dir := t.TempDir()
	hlfOnly := layout{"hlf", dataset.HLF()}
	writeDataset(t, dir, hlfOnly, 6, 6)
	noLabel := t.TempDir()
	writeDataset(t, noLabel, layout{"nolabel", dataset.Schema{{Name: ColumnHLF, Kind: dataset.Float64List, Width: models.NumHLF}}}, 3, 3)
	for _, tc := range []struct {
		name, dir string
		cfg       DataConfig
		want      []string
	}{
		{"particle on HLF", dir, DataConfig{Kind: models.KindParticle}, []string{dir, "no column GRU_input", "particle classifier"}},
		{"inclusive on HLF", dir, DataConfig{Kind: models.KindInclusive}, []string{dir, "GRU_input"}},
		{"no labels", noLabel, DataConfig{Kind: models.KindHLF}, []string{noLabel, "encoded_label"}},
		{"bad kind", dir, DataConfig{Kind: "cnn"}, []string{"unknown kind"}},
		{"no data", t.TempDir(), DataConfig{Kind: models.KindHLF}, []string{"no Parquet files"}},
		{"truncated without saying which rows", dir, DataConfig{Kind: models.KindParticle, MaxParticles: 3}, []string{dir, "3 particle rows to keep, but not which"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := OpenDataset(t.Context(), tc.dir, tc.cfg)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
	// Unlabelled data loads for prediction.
	d, err := LoadData(t.Context(), noLabel, DataConfig{Kind: models.KindHLF})
	if err != nil || d.Labels != nil || len(d.HLF) != 3*models.NumHLF {
		t.Fatalf("LoadData of unlabelled rows: labels %v, %d values, %v", d.Labels, len(d.HLF), err)
	}
}

func TestOpenDatasetChoosesMemoryOrStreaming(t *testing.T) {
	dir := t.TempDir()
	writeDataset(t, dir, testLayouts()[0], 20, 8)
	for _, tc := range []struct {
		limit  int64
		stream bool
	}{{0, false}, {1 << 20, false}, {100, true}, {-1, true}} {
		src, err := OpenDataset(t.Context(), dir, DataConfig{Kind: models.KindInclusive, MemoryLimitBytes: tc.limit})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := src.(*ParquetSource); ok != tc.stream || src.Rows() != 20 {
			t.Errorf("limit %d: %T with %d rows, want streaming %v and 20 rows", tc.limit, src, src.Rows(), tc.stream)
		}
	}
}

// ids reads one pass of src and returns the row ids (from HLF[0]) and checks each row's
// label and particle values against its id.
func ids(t *testing.T, src Source, o Order, batch int) []int {
	t.Helper()
	var out []int
	for b, err := range src.Batches(o, batch) {
		if err != nil {
			t.Fatal(err)
		}
		if b.Size > batch || len(b.Labels) != b.Size*models.NumClasses {
			t.Fatalf("batch of %d rows with %d label values (batch size %d)", b.Size, len(b.Labels), batch)
		}
		for i := 0; i < b.Size; i++ {
			id := int(b.HLF[i*models.NumHLF])
			if b.Labels[i*models.NumClasses+id%3] != 1 {
				t.Fatalf("row %d: labels %v", id, b.Labels[i*3:i*3+3])
			}
			if b.Seq != nil {
				rowSeq := b.SeqLen * models.NumFeatures
				// The rows kept (all, or the last ones) end with the stored sequence's last.
				if got := b.Seq[i*rowSeq+rowSeq-1]; got != float32(seqValue(id, testSeqLen-1, models.NumFeatures-1)) {
					t.Fatalf("row %d: last particle value %v", id, got)
				}
			}
			out = append(out, id)
		}
	}
	return out
}

func TestParquetSourceOrder(t *testing.T) {
	const n = 103
	dir := t.TempDir()
	writeDataset(t, dir, testLayouts()[1], n, 25) // 5 files
	seq := func(k int) []int {
		out := make([]int, k)
		for i := range out {
			out[i] = i
		}
		return out
	}
	open := func(buffer, maxP int) *ParquetSource {
		s, err := NewParquetSource(t.Context(), dir, DataConfig{Kind: models.KindInclusive, ShuffleBuffer: buffer, MaxParticles: maxP, Truncate: models.TruncateLast})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	t.Run("storage order without shuffling", func(t *testing.T) {
		if got := ids(t, open(10, 3), Order{}, 16); !slices.Equal(got, seq(n)) {
			t.Fatalf("order %v", got)
		}
	})
	t.Run("whole buffer is MemorySource's permutation", func(t *testing.T) {
		d, err := LoadData(t.Context(), dir, DataConfig{Kind: models.KindInclusive})
		if err != nil {
			t.Fatal(err)
		}
		mem, _ := NewMemorySource(d)
		for epoch := range 3 {
			o := Order{Shuffle: true, Seed: 42, Epoch: epoch}
			if got, want := ids(t, open(n, 0), o, 16), ids(t, mem, o, 16); !slices.Equal(got, want) {
				t.Fatalf("epoch %d: parquet %v, memory %v", epoch, got, want)
			}
		}
	})
	t.Run("streaming: every row once, deterministic per (seed, epoch)", func(t *testing.T) {
		s := open(7, 2)
		if s.SeqLen() != 2 {
			t.Fatalf("SeqLen %d, want 2", s.SeqLen())
		}
		var orders [][]int
		for _, o := range []Order{{true, 1, 0}, {true, 1, 0}, {true, 1, 1}, {true, 2, 0}} {
			got := ids(t, s, o, 10)
			if sorted := slices.Sorted(slices.Values(got)); !slices.Equal(sorted, seq(n)) {
				t.Fatalf("%+v: rows %v, want each of 0..%d once", o, sorted, n-1)
			}
			orders = append(orders, got)
		}
		if !slices.Equal(orders[0], orders[1]) {
			t.Error("same (seed, epoch), different orders")
		}
		if slices.Equal(orders[0], orders[2]) || slices.Equal(orders[0], orders[3]) {
			t.Error("another epoch or seed gives the same order")
		}
		if slices.Equal(orders[0], seq(n)) {
			t.Error("shuffled pass in storage order")
		}
	})
}

// TestParquetSourceBufferIsBounded checks on one file (read in storage order) that row t of a
// pass was read at most buffer rows before: the buffer never holds more rows.
func TestParquetSourceBufferIsBounded(t *testing.T) {
	const n, buffer = 60, 5
	dir := t.TempDir()
	writeDataset(t, dir, testLayouts()[0], n, n)
	s, err := NewParquetSource(t.Context(), dir, DataConfig{Kind: models.KindHLF, ShuffleBuffer: buffer})
	if err != nil {
		t.Fatal(err)
	}
	got := ids(t, s, Order{Shuffle: true, Seed: 3}, 8)
	late := 0
	for pos, id := range got {
		if id > pos+buffer {
			t.Fatalf("row %d emitted at position %d: read more than %d rows ahead", id, pos, buffer)
		}
		if id < pos-buffer {
			late++
		}
	}
	if late == 0 {
		t.Error("no row left the buffer late: not shuffled")
	}
}

func TestParquetSourceEarlyStop(t *testing.T) {
	dir := t.TempDir()
	writeDataset(t, dir, testLayouts()[0], 50, 10)
	s, err := NewParquetSource(t.Context(), dir, DataConfig{Kind: models.KindHLF, ShuffleBuffer: 4})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 { // each pass is abandoned after one batch; the reader must not block
		for b, err := range s.Batches(Order{Shuffle: true}, 4) {
			if err != nil || b.Size != 4 {
				t.Fatalf("batch %v, %v", b, err)
			}
			break
		}
	}
}

// TestTrainParquetEqualsMemory trains on the Parquet source (the buffer holding the whole
// dataset, so the order is MemorySource's) and on the MemorySource of the same rows: the
// histories must be identical. A smaller buffer gives another order, hence other numbers.
func TestTrainParquetEqualsMemory(t *testing.T) {
	dir := t.TempDir()
	const n = 90
	writeDataset(t, dir, testLayouts()[0], n, 40)
	cfg := DataConfig{Kind: models.KindHLF}
	d, err := LoadData(t.Context(), dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	mem, _ := NewMemorySource(d)
	pq, err := NewParquetSource(t.Context(), dir, DataConfig{Kind: models.KindHLF, ShuffleBuffer: n})
	if err != nil {
		t.Fatal(err)
	}
	opts := modeldir.DefaultOptions()
	opts.Epochs, opts.BatchSize = 2, 16
	run := func(src Source) *modeldir.History {
		h, err := Train(stdcontext.Background(), Job{Dir: t.TempDir(), Model: models.DefaultConfig(models.KindHLF),
			Options: opts, Train: src, Validation: src, Backend: testBackend})
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	hm, hp := run(mem), run(pq)
	if !slices.Equal(hm.Loss, hp.Loss) || !slices.Equal(hm.ValLoss, hp.ValLoss) || !slices.Equal(hm.Accuracy, hp.Accuracy) {
		t.Fatalf("memory %v %v, parquet %v %v", hm.Loss, hm.ValLoss, hp.Loss, hp.ValLoss)
	}
}

// TestDatasetConfigTruncation checks which particle rows the datasets of a run are read with:
// those of its options, and for a resumed directory whose model.json predates the recorded
// truncation, the first ones, as it was trained.
func TestDatasetConfigTruncation(t *testing.T) {
	opts := modeldir.DefaultOptions()
	opts.MaxParticles = 3
	cfg, _, err := datasetConfig(DatasetJob{Model: models.DefaultConfig(models.KindParticle), Options: opts})
	if err != nil || cfg.MaxParticles != 3 || cfg.Truncate != models.TruncateLast {
		t.Errorf("new run: %+v, %v; want the last 3 rows", cfg, err)
	}
	dir := t.TempDir()
	old := opts
	old.Truncate = ""
	if err := modeldir.WriteInfo(dir, &modeldir.Info{Model: models.DefaultConfig(models.KindParticle), Options: old}); err != nil {
		t.Fatal(err)
	}
	cfg, _, err = datasetConfig(DatasetJob{Dir: dir, Resume: true})
	if err != nil || cfg.MaxParticles != 3 || cfg.Truncate != models.TruncateFirst {
		t.Errorf("resumed older directory: %+v, %v; want the first 3 rows", cfg, err)
	}
}
