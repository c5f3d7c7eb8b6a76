package train

import (
	stdcontext "context"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/prep"
)

func TestBucketLengths(t *testing.T) {
	for _, tc := range []struct {
		seqLen int
		want   []int
	}{
		{801, []int{32, 48, 64, 96, 128, 184, 256, 368, 512, 728, 801}},
		{100, []int{32, 48, 64, 96, 100}},
		{64, []int{32, 48, 64}},
		{20, []int{20}},
	} {
		if got := BucketLengths(tc.seqLen); !slices.Equal(got, tc.want) {
			t.Errorf("BucketLengths(%d) = %v, want %v", tc.seqLen, got, tc.want)
		}
	}
}

// maskedRows makes n rows of seqLen particle rows laid out as prep.Options.MaskPadding lays
// them out: real rows (1 to seqLen of them, random values) after all-zero padding rows. HLF
// feature 0 holds the row's id; the label is id % 3 and shifts the first features.
func maskedRows(n, seqLen int, seed uint64) modeldir.Data {
	rng := rand.New(rand.NewPCG(seed, 11))
	d := modeldir.Data{SeqLen: seqLen}
	for id := 0; id < n; id++ {
		c := id % models.NumClasses
		d.Labels = append(d.Labels, c)
		for f := 0; f < models.NumHLF; f++ {
			d.HLF = append(d.HLF, float32(id)+float32(f)/100)
		}
		real := 1 + rng.IntN(seqLen)
		for s := 0; s < seqLen; s++ {
			for f := 0; f < models.NumFeatures; f++ {
				v := 0.0
				if s >= seqLen-real {
					v = rng.NormFloat64()
					if f < 3 {
						v += float64(c - 1)
					}
				}
				d.Seq = append(d.Seq, float32(v))
			}
		}
	}
	return d
}

func TestRealLength(t *testing.T) {
	const n = models.NumFeatures
	row := make([]float32, 5*n)
	if got := RealLength(row, 5); got != 0 {
		t.Errorf("all-zero row: %d, want 0", got)
	}
	row[2*n+n-1] = 1 // the last feature of particle row 2
	if got := RealLength(row, 5); got != 3 {
		t.Errorf("first non-zero value in row 2 of 5: %d, want 3", got)
	}
	row[0] = -1
	if got := RealLength(row, 5); got != 5 {
		t.Errorf("non-zero first row: %d, want 5", got)
	}
}

// TestBucketSourceGroupsRowsAndTrimsPadding reads passes of a bucketed source: every row once,
// each trimmed to a bucket length that holds its real rows (only padding removed), every batch
// but the last full, few shapes, and the order a function of (seed, epoch).
func TestBucketSourceGroupsRowsAndTrimsPadding(t *testing.T) {
	const seqLen, n, batch = 100, 203, 16
	d := maskedRows(n, seqLen, 1)
	mem, err := NewMemorySource(d)
	if err != nil {
		t.Fatal(err)
	}
	src := NewBucketSource(mem)
	if src.Rows() != n {
		t.Fatalf("Rows() = %d, want %d", src.Rows(), n)
	}
	lengths := BucketLengths(seqLen)
	read := func(o Order) (order []int, shapes map[[2]int]bool, trimmed int) {
		shapes = map[[2]int]bool{}
		seen := map[int]bool{}
		var sizes []int
		for b, err := range src.Batches(o, batch) {
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(lengths, b.SeqLen) {
				t.Fatalf("a batch of %d particle rows, not a bucket length %v", b.SeqLen, lengths)
			}
			shapes[[2]int{b.Size, b.SeqLen}] = true
			sizes = append(sizes, b.Size)
			w := b.SeqLen * models.NumFeatures
			for i := 0; i < b.Size; i++ {
				id := int(b.HLF[i*models.NumHLF])
				if seen[id] {
					t.Fatalf("row %d read twice", id)
				}
				seen[id] = true
				order = append(order, id)
				full := d.Seq[id*seqLen*models.NumFeatures : (id+1)*seqLen*models.NumFeatures]
				if real := RealLength(full, seqLen); real > b.SeqLen {
					t.Fatalf("row %d of %d real particle rows trimmed to %d", id, real, b.SeqLen)
				}
				if !slices.Equal(b.Seq[i*w:(i+1)*w], full[len(full)-w:]) {
					t.Fatalf("row %d: the trimmed rows are not the last %d of the row", id, b.SeqLen)
				}
				if want := d.Labels[id]; b.Labels[i*models.NumClasses+want] != 1 {
					t.Fatalf("row %d: labels %v, want class %d", id, b.Labels[i*models.NumClasses:(i+1)*models.NumClasses], want)
				}
				trimmed += seqLen - b.SeqLen
			}
		}
		if len(seen) != n {
			t.Fatalf("%d rows read, want %d", len(seen), n)
		}
		for k, s := range sizes[:len(sizes)-1] {
			if s != batch {
				t.Fatalf("batch %d of %d holds %d rows, want %d (only the last may be smaller)", k, len(sizes), s, batch)
			}
		}
		return order, shapes, trimmed
	}
	a, shapes, trimmed := read(Order{Shuffle: true, Seed: 3, Epoch: 1})
	if b, _, _ := read(Order{Shuffle: true, Seed: 3, Epoch: 1}); !slices.Equal(a, b) {
		t.Fatal("two passes of the same seed and epoch differ")
	}
	if c, _, _ := read(Order{Shuffle: true, Seed: 3, Epoch: 2}); slices.Equal(a, c) {
		t.Fatal("epochs 1 and 2 read the rows in the same order")
	}
	if len(shapes) > len(lengths)+1 {
		t.Errorf("%d batch shapes %v, want at most one per bucket length and the last batch's", len(shapes), shapes)
	}
	// The real lengths are uniform in [1, 100]: about half of the particle rows are padding.
	if trimmed < n*seqLen/4 {
		t.Errorf("%d padding rows trimmed of %d, want most of the padding", trimmed, n*seqLen)
	}
}

// TestGRUIgnoresPaddingRows trains the particle classifier with length bucketing on rows laid
// out as prep.Options.MaskPadding lays them out, and predicts each row at full length and
// trimmed of its padding: the GRU masks all-zero rows, so the probabilities are the same.
func TestGRUIgnoresPaddingRows(t *testing.T) {
	const seqLen = 24
	cfg := models.DefaultConfig(models.KindParticle)
	cfg.GRUUnits = 8
	opts := modeldir.DefaultOptions()
	opts.Epochs, opts.BatchSize, opts.BucketByLength = 2, 16, true
	train, val := maskedRows(60, seqLen, 2), maskedRows(30, seqLen, 3)
	tr, va := sources(t, train, val)
	dir := t.TempDir()
	if _, err := Train(stdcontext.Background(), Job{Dir: dir, Model: cfg, Options: opts, Train: NewBucketSource(tr), Validation: va, Backend: testBackend}); err != nil {
		t.Fatal(err)
	}
	const w = seqLen * models.NumFeatures
	padded := 0
	for i := range val.Labels {
		row := val.Seq[i*w : (i+1)*w]
		real := RealLength(row, seqLen)
		if real < seqLen {
			padded++
		}
		want, err := modeldir.Predict(dir, testBackend, modeldir.Data{Seq: row, SeqLen: seqLen})
		if err != nil {
			t.Fatal(err)
		}
		got, err := modeldir.Predict(dir, testBackend, modeldir.Data{Seq: row[w-real*models.NumFeatures:], SeqLen: real})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("row %d (%d real particle rows of %d): trimmed %v, full %v", i, real, seqLen, got, want)
		}
	}
	if padded == 0 {
		t.Fatal("no row had padding")
	}
}

// writeMaskedDataset writes the rows of d as an inclusive dataset (GRU_input flattened) whose
// metadata says how prepare made it (mask: with --mask-padding).
func writeMaskedDataset(t *testing.T, dir string, d modeldir.Data, mask bool) {
	t.Helper()
	settings := `{"seed":42,"test_fraction":0.2}`
	if mask {
		settings = `{"seed":42,"test_fraction":0.2,"mask_padding":true}`
	}
	schema := dataset.Schema{
		{Name: ColumnHLF, Kind: dataset.Float64List, Width: models.NumHLF},
		{Name: ColumnSequence, Kind: dataset.Float64List, Width: d.SeqLen * models.NumFeatures},
		{Name: ColumnEncodedLabel, Kind: dataset.Float64List, Width: models.NumClasses},
	}
	w, err := dataset.NewWriter(filepath.Join(dir, dataset.PartName(0, "test")), schema,
		dataset.WithRowGroupRows(8), dataset.WithMetadata(map[string]string{prep.MetaPrepare: settings}))
	if err != nil {
		t.Fatal(err)
	}
	sw := d.SeqLen * models.NumFeatures
	for i, l := range d.Labels {
		hlf, seq, enc := make([]float64, models.NumHLF), make([]float64, sw), make([]float64, models.NumClasses)
		for k := range hlf {
			hlf[k] = float64(d.HLF[i*models.NumHLF+k])
		}
		for k := range seq {
			seq[k] = float64(d.Seq[i*sw+k])
		}
		enc[l] = 1
		if err := w.Append(hlf, seq, enc); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestBucketedResumeIsExact trains the inclusive classifier with length bucketing from a
// mask-prepared dataset, streamed, and again for one epoch then resumed to three: weights
// and history are identical. model.json records the setting, and a resume that restates
// another is refused.
func TestBucketedResumeIsExact(t *testing.T) {
	data := t.TempDir()
	writeMaskedDataset(t, data, maskedRows(70, testSeqLen, 4), true)
	cfg := models.DefaultConfig(models.KindInclusive)
	cfg.GRUUnits, cfg.InclusiveHidden = 8, 6
	opts := modeldir.DefaultOptions()
	opts.Epochs, opts.BatchSize, opts.Seed, opts.BucketByLength = 3, 16, 5, true
	job := DatasetJob{TrainDir: data, TestDir: data, Model: cfg, Options: opts, MemoryLimitBytes: -1, ShuffleBuffer: 30, Backend: testBackend}

	whole := job
	whole.Dir = t.TempDir()
	want, err := TrainDatasets(stdcontext.Background(), whole)
	if err != nil {
		t.Fatal(err)
	}
	info, err := modeldir.ReadInfo(whole.Dir)
	if err != nil || !info.Options.BucketByLength || !info.MaskPadding {
		t.Fatalf("model.json: %+v, %v; want bucket_by_length and mask_padding recorded", info, err)
	}

	broken := job
	broken.Dir = t.TempDir()
	broken.Options.Epochs = 1
	if _, err := TrainDatasets(stdcontext.Background(), broken); err != nil {
		t.Fatal(err)
	}
	refused := broken
	refused.Resume, refused.Options = true, modeldir.Options{Epochs: 3}
	o := opts
	o.BucketByLength = false
	refused.Restated = &Restated{Options: o, Given: map[string]string{"bucket_by_length": "--bucket-by-length"}}
	if _, err := TrainDatasets(stdcontext.Background(), refused); err == nil || !strings.Contains(err.Error(), "bucket_by_length 0 (--bucket-by-length) differs from true") {
		t.Fatalf("resume restating no bucketing: %v, want a refusal", err)
	}
	resumed := broken
	resumed.Resume, resumed.Options = true, modeldir.Options{Epochs: 3}
	resumed.ShuffleBuffer, resumed.MemoryLimitBytes = 0, 0 // read from data.json
	got, err := TrainDatasets(stdcontext.Background(), resumed)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Loss, want.Loss) || !slices.Equal(got.ValLoss, want.ValLoss) || !slices.Equal(got.Accuracy, want.Accuracy) {
		t.Fatalf("resumed loss %v val_loss %v, uninterrupted %v %v", got.Loss, got.ValLoss, want.Loss, want.ValLoss)
	}
	a, b := checkpointValues(t, whole.Dir), checkpointValues(t, broken.Dir)
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("%d and %d variables", len(a), len(b))
	}
	for name, va := range a {
		if !slices.Equal(va, b[name]) {
			t.Errorf("variable %s differs after resuming", name)
		}
	}
}

// TestBucketingNeedsMaskedPadding: bucketing is refused on data prepared without
// --mask-padding, for the HLF classifier, and trains otherwise.
func TestBucketingNeedsMaskedPadding(t *testing.T) {
	plain, masked := t.TempDir(), t.TempDir()
	rows := maskedRows(12, testSeqLen, 5)
	writeMaskedDataset(t, plain, rows, false)
	writeMaskedDataset(t, masked, rows, true)
	spark := t.TempDir()
	writeDataset(t, spark, testLayouts()[0], 12, 12)
	cfg := models.DefaultConfig(models.KindParticle)
	cfg.GRUUnits = 4
	opts := modeldir.DefaultOptions()
	opts.Epochs, opts.BatchSize, opts.BucketByLength = 1, 8, true
	for _, tc := range []struct {
		name, dir string
		kind      models.Kind
		says      string
	}{
		{"default preparation", plain, models.KindParticle, "was prepared without it, so its padding rows are not 0"},
		{"no preparation recorded", spark, models.KindParticle, "does not record how it was prepared"},
		{"hlf classifier", masked, models.KindHLF, "the hlf classifier reads none"},
		{"original transformer", masked, models.KindInclusiveTransformer, "masks none and its Flatten reads a fixed number of rows"},
		{"mask preparation", masked, models.KindParticle, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := cfg
			if tc.kind != models.KindParticle {
				c = models.DefaultConfig(tc.kind)
			}
			_, err := TrainDatasets(stdcontext.Background(), DatasetJob{Dir: t.TempDir(), TrainDir: tc.dir, TestDir: tc.dir, Model: c, Options: opts, Backend: testBackend})
			if tc.says == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("%v; want an error containing %q", err, tc.says)
			}
		})
	}
}

// stubComm is rank 0 of 2 ranks that exchange nothing.
type stubComm struct{}

func (stubComm) Rank() int                      { return 0 }
func (stubComm) Size() int                      { return 2 }
func (stubComm) AllReduceSum([]float32) error   { return nil }
func (stubComm) AllReduceMean([]float32) error  { return nil }
func (stubComm) Broadcast([]float32, int) error { return nil }
func (stubComm) Barrier() error                 { return nil }
func (stubComm) Close() error                   { return nil }

// TestBucketingRefusedDistributed: a distributed run with length bucketing is refused.
func TestBucketingRefusedDistributed(t *testing.T) {
	data := t.TempDir()
	writeMaskedDataset(t, data, maskedRows(12, testSeqLen, 6), true)
	opts := modeldir.DefaultOptions()
	opts.Epochs, opts.BucketByLength = 1, true
	_, err := TrainDatasets(stdcontext.Background(), DatasetJob{Dir: t.TempDir(), TrainDir: data, TestDir: data,
		Model: models.DefaultConfig(models.KindParticle), Options: opts, Backend: testBackend, Comm: stubComm{}})
	if err == nil || !strings.Contains(err.Error(), "trains in one process only") {
		t.Fatalf("%v; want a refusal of distributed bucketing", err)
	}
}

// TestResumeRefusesDataPreparedOtherwise: model.json records whether the training data masked
// its padding; a resume on data prepared again the other way is refused.
func TestResumeRefusesDataPreparedOtherwise(t *testing.T) {
	data := t.TempDir()
	rows := maskedRows(12, testSeqLen, 7)
	writeMaskedDataset(t, data, rows, true)
	cfg := models.DefaultConfig(models.KindParticle)
	cfg.GRUUnits = 4
	opts := modeldir.DefaultOptions()
	opts.Epochs, opts.BatchSize = 1, 8
	job := DatasetJob{Dir: t.TempDir(), TrainDir: data, TestDir: data, Model: cfg, Options: opts, Backend: testBackend}
	if _, err := TrainDatasets(stdcontext.Background(), job); err != nil {
		t.Fatal(err)
	}
	writeMaskedDataset(t, data, rows, false) // the same part file, prepared without masking
	job.Resume, job.Options = true, modeldir.Options{Epochs: 2}
	if _, err := TrainDatasets(stdcontext.Background(), job); err == nil || !strings.Contains(err.Error(), "prepared with padding masking false, the run with true") {
		t.Fatalf("%v; want a refusal", err)
	}
}

// TestBucketingWithMaxParticles: with --max-particles K the rows keep their K particle rows
// nearest the lepton (the last K) first; bucketing then trims those to a bucket length of at
// most K that holds their real rows among them (min(real, K)).
func TestBucketingWithMaxParticles(t *testing.T) {
	const seqLen, k, n = 100, 40, 60
	d := maskedRows(n, seqLen, 8)
	dir := t.TempDir()
	writeMaskedDataset(t, dir, d, true)
	src, err := OpenDataset(t.Context(), dir, DataConfig{Kind: models.KindInclusive, MaxParticles: k, Truncate: models.TruncateLast, BucketByLength: true})
	if err != nil {
		t.Fatal(err)
	}
	lengths := BucketLengths(k)
	if !slices.Equal(lengths, []int{32, 40}) {
		t.Fatalf("bucket lengths %v for %d rows", lengths, k)
	}
	seen := map[int]bool{}
	for b, err := range NewBucketSource(src).Batches(Order{Shuffle: true, Seed: 1}, 8) {
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(lengths, b.SeqLen) {
			t.Fatalf("a batch of %d particle rows, want one of %v", b.SeqLen, lengths)
		}
		w := b.SeqLen * models.NumFeatures
		for i := 0; i < b.Size; i++ {
			id := int(b.HLF[i*models.NumHLF])
			seen[id] = true
			full := d.Seq[id*seqLen*models.NumFeatures : (id+1)*seqLen*models.NumFeatures]
			if real := min(RealLength(full, seqLen), k); real > b.SeqLen {
				t.Fatalf("row %d: %d real rows among the nearest %d, trimmed to %d", id, real, k, b.SeqLen)
			}
			if !slices.Equal(b.Seq[i*w:(i+1)*w], full[len(full)-w:]) {
				t.Fatalf("row %d: not its last %d particle rows", id, b.SeqLen)
			}
		}
	}
	if len(seen) != n {
		t.Fatalf("%d rows read, want %d", len(seen), n)
	}
}
