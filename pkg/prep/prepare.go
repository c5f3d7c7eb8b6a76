package prep

import (
	"context"
	"errors"
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/features"
	"github.com/godltrigger/godltrigger/pkg/parallel"
	"github.com/godltrigger/godltrigger/pkg/progress"
	"github.com/godltrigger/godltrigger/pkg/spec"
)

// Names of the outputs, as published (spec's names).
const (
	TrainFull      = spec.TrainFull
	TestFull       = spec.TestFull
	TrainHLF       = spec.TrainHLF
	TestHLF        = spec.TestHLF
	TrainInclusive = spec.TrainInclusive
	TestInclusive  = spec.TestInclusive
	ScalerFile     = spec.ScalerFile
)

// Outputs lists the dataset directories Run writes, train then test for each schema.
func Outputs() []string {
	return []string{TrainFull, TestFull, TrainHLF, TestHLF, TrainInclusive, TestInclusive}
}

// DefaultMemoryBytes is the default bound on the memory Run uses.
const DefaultMemoryBytes = 2 << 30

// Options configure Run.
type Options struct {
	In           string  // ingested dataset (directory of label=K partitions)
	Out          string  // output directory
	Seed         int64   // random seed of sampling, split and shuffle (the original used 42)
	TestFraction float64 // share of rows in the test set; 0 means 0.2
	MemoryBytes  int64   // bound on memory; 0 means DefaultMemoryBytes
	Workers      int     // 0 means GOMAXPROCS
	// Parts is the least number of part files of each training output, so that as many ranks of
	// data-parallel training each read a share; 0 means as many as the memory bound needs.
	Parts int
	// MaskPadding makes GRU_input maskable: the padding rows of an event (see
	// features.RealRows) stay exactly 0 and come first, the real rows follow, sorted by
	// decreasing ΔR to the lepton and standardized over the real rows only (see
	// Sequencer.MaskedGRUInput). Without it GRU_input is the original's: all 801 rows sorted and
	// standardized together, so that padding rows are no longer 0 and Masking(0) masks nothing.
	// Recorded in the outputs' metadata (MetaPrepare, see PaddingMasked).
	MaskPadding bool
	Progress    progress.Sink
	Logf        func(format string, args ...any)
}

// Summary tells what Run did.
type Summary struct {
	In        map[int64]int64   // input rows per label
	Fraction  map[int64]float64 // Bernoulli keep fraction per label
	Train     map[int64]int64   // training rows per label
	Test      map[int64]int64   // test rows per label
	Buckets   int               // shuffle buckets (= part files per train output)
	Scaler    *MinMax
	Elapsed   time.Duration
	RowsPerS  float64 // input rows per second over the whole run
	BucketCap int     // rows a bucket was sized for
}

// Complete reports whether dir holds a complete output of Run.
func Complete(dir string) bool {
	for _, o := range Outputs() {
		if !dataset.IsComplete(filepath.Join(dir, o)) {
			return false
		}
	}
	_, err := os.Stat(filepath.Join(dir, ScalerFile))
	return err == nil
}

// bytes a row takes in memory while its bucket is shuffled (raw values plus slice headers).
const rowMemBytes = (spec.NumHLF+spec.SequenceLength*spec.NumParticleFeatures)*8 + 128

// writeBatchRows is the number of rows transformed and written at a time.
const writeBatchRows = 128

// Run prepares the datasets. Outputs are built under a staging directory inside Out and
// renamed into place when complete. A run holds a lock on Out (a second prepare into it fails)
// and removes the staging directories that killed runs left there. The input must be a
// complete ingest output (dataset.CheckComplete) whose values are all finite.
func Run(ctx context.Context, opts Options) (*Summary, error) {
	start := time.Now()
	if opts.TestFraction == 0 {
		opts.TestFraction = 0.2
	}
	if !(opts.TestFraction > 0 && opts.TestFraction < 1) { // NaN included
		return nil, fmt.Errorf("prep: test fraction %v, want in (0, 1)", opts.TestFraction)
	}
	if opts.MemoryBytes == 0 {
		opts.MemoryBytes = DefaultMemoryBytes
	}
	switch {
	case opts.MemoryBytes < 0:
		return nil, fmt.Errorf("prep: memory bound of %d bytes, want > 0", opts.MemoryBytes)
	case opts.Parts < 0:
		return nil, fmt.Errorf("prep: %d part files asked for, want >= 0", opts.Parts)
	case opts.Workers < 0:
		return nil, fmt.Errorf("prep: %d workers, want 0 (all cores) or more", opts.Workers)
	}
	if opts.Workers == 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.Logf == nil {
		opts.Logf = log.Printf
	}
	in, err := dataset.Open(opts.In)
	if err != nil {
		return nil, fmt.Errorf("prep: %w", err)
	}
	if len(in.Files()) == 0 {
		return nil, fmt.Errorf("prep: %s holds no Parquet files", opts.In)
	}
	if err := dataset.CheckComplete(opts.In); err != nil {
		return nil, fmt.Errorf("prep: the input is not a complete ingest output: %w. Rerun the 'dltrigger ingest' command that wrote it (every shard of a sharded ingest) with the same arguments: it skips the files already done and marks the output complete", err)
	}
	if err := in.Check(dataset.Ingested()); err != nil {
		return nil, fmt.Errorf("prep: %s is not an ingested dataset: %w", opts.In, err)
	}

	sum := &Summary{In: map[int64]int64{}, Fraction: map[int64]float64{}, Train: map[int64]int64{}, Test: map[int64]int64{}}
	// Pass 1: class counts and the scaler, from the small columns only.
	if err := fit(ctx, in, opts, sum); err != nil {
		return nil, err
	}
	smallest := int64(math.MaxInt64)
	for _, n := range sum.In {
		smallest = min(smallest, n)
	}
	var kept float64
	for l, n := range sum.In {
		sum.Fraction[l] = float64(smallest) / float64(n)
		kept += float64(smallest)
	}

	// Size the buckets so that one bucket, its transformed batch and the writers fit in memory.
	budget := opts.MemoryBytes - writersMemory(opts.Workers)
	sum.BucketCap = int(max(budget/int64(rowMemBytes)*2/3, 64))
	trainBuckets := max(1, opts.Parts, int(math.Ceil(kept*(1-opts.TestFraction)*1.1/float64(sum.BucketCap))))
	testBuckets := max(1, int(math.Ceil(kept*opts.TestFraction*1.1/float64(sum.BucketCap))))
	sum.Buckets = trainBuckets

	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return nil, fmt.Errorf("prep: %w", err)
	}
	lock, err := lockOut(opts.Out, opts.Logf)
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	work, err := os.MkdirTemp(opts.Out, stagingPrefix)
	if err != nil {
		return nil, fmt.Errorf("prep: %w", err)
	}
	defer os.RemoveAll(work)

	// Pass 2: sample, split and scatter into buckets.
	train, test, err := scatter(ctx, in, opts, sum, work, trainBuckets, testBuckets)
	if err != nil {
		return nil, err
	}
	// Pass 3: shuffle, transform and write each bucket.
	job := jobID(opts.Seed)
	bar := progress.NewBar(opts.Progress, "prepare: shuffle+write", "rows", totalRows(sum.Train)+totalRows(sum.Test))
	meta, err := provenance(in, opts, sum.Scaler)
	if err != nil {
		return nil, err
	}
	for _, split := range []struct {
		buckets   []string
		full, hlf string
		incl      string
	}{{train, TrainFull, TrainHLF, TrainInclusive}, {test, TestFull, TestHLF, TestInclusive}} {
		dirs := [3]string{filepath.Join(work, split.full), filepath.Join(work, split.hlf), filepath.Join(work, split.incl)}
		for _, d := range dirs {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return nil, fmt.Errorf("prep: %w", err)
			}
		}
		for i, b := range split.buckets {
			if err := writeBucket(ctx, b, i, job, dirs, sum.Scaler, meta, opts, bar); err != nil {
				return nil, err
			}
			os.Remove(b)
		}
		for _, d := range dirs {
			if err := dataset.MarkSuccess(d); err != nil {
				return nil, err
			}
		}
	}
	bar.Finish()
	// Publish: the scaler, then each dataset directory by rename.
	if err := sum.Scaler.Save(filepath.Join(work, ScalerFile)); err != nil {
		return nil, err
	}
	for _, name := range append(Outputs(), ScalerFile) {
		dst := filepath.Join(opts.Out, name)
		if err := os.RemoveAll(dst); err != nil {
			return nil, fmt.Errorf("prep: replace %s: %w", dst, err)
		}
		if err := os.Rename(filepath.Join(work, name), dst); err != nil {
			return nil, fmt.Errorf("prep: %w", err)
		}
	}
	sum.Elapsed = time.Since(start)
	sum.RowsPerS = float64(totalRows(sum.In)) / sum.Elapsed.Seconds()
	return sum, nil
}

func totalRows(m map[int64]int64) int64 {
	var t int64
	for _, n := range m {
		t += n
	}
	return t
}

// writersMemory estimates what the three Parquet writers and the transform batch hold.
func writersMemory(workers int) int64 {
	const fullRow = (2*spec.SequenceLength*spec.NumParticleFeatures + 2*spec.NumHLF + spec.NumClasses + 1) * 8
	return 2*rowGroupBytes + 2*writeBatchRows*fullRow + int64(workers)*1<<20
}

// rowGroupBytes is the row-group size of the outputs: small enough to keep memory bounded,
// large enough for efficient reads.
const rowGroupBytes = 64 << 20

// jobID is a UUID-shaped identifier derived from the seed, so that part-file names, like the
// rest of the output, are the same on every run with the same seed.
func jobID(seed int64) string {
	a, b := splitmix64(uint64(seed)), splitmix64(uint64(seed)^0x5eed)
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", uint32(a>>32), uint16(a>>16), uint16(a)&0xfff, uint16(b>>48)&0x3fff|0x8000, b&0xffffffffffff)
}

// fit reads hfeatures and label of every row: class counts and the scaler.
func fit(ctx context.Context, in *dataset.Reader, opts Options, sum *Summary) error {
	want, err := dataset.Ingested().Select(spec.ColumnHFeatures, spec.ColumnLabel)
	if err != nil {
		return err
	}
	bar := progress.NewBar(opts.Progress, "prepare: fit", "rows", in.NumRows())
	defer bar.Finish()
	var mu sync.Mutex
	sum.Scaler = NewMinMax(spec.NumHLF)
	sum.Scaler.Features = spec.HLF[:]
	err = forEachFile(ctx, in, opts.Workers, func(ctx context.Context, _ int, f dataset.File) error {
		local := NewMinMax(spec.NumHLF)
		counts := map[int64]int64{}
		err := in.ScanFile(ctx, f, want, 0, func(b *dataset.Batch) error {
			h, labels := b.Float64s(spec.ColumnHFeatures), b.Int64s(spec.ColumnLabel)
			for i := 0; i < b.Rows; i++ {
				hi := h[i*spec.NumHLF : (i+1)*spec.NumHLF]
				if err := features.CheckFinite(hi, nil); err != nil {
					return fmt.Errorf("prep: %s: row %d: %w", f.Path, b.Row+int64(i), err)
				}
				local.Observe(hi)
				counts[labels[i]]++
			}
			bar.Add(int64(b.Rows))
			return nil
		})
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		sum.Scaler.Merge(local)
		for l, n := range counts {
			sum.In[l] += n
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(sum.In) < 2 {
		return fmt.Errorf("prep: %s holds %d class(es); balancing needs at least 2", opts.In, len(sum.In))
	}
	return nil
}

// forEachFile calls fn for every file of in, workers at a time (package parallel): the first
// error cancels the ctx of the calls in flight and is returned.
func forEachFile(ctx context.Context, in *dataset.Reader, workers int, fn func(ctx context.Context, i int, f dataset.File) error) error {
	files := in.Files()
	return parallel.For(ctx, len(files), workers, func(ctx context.Context, i int) error {
		return fn(ctx, i, files[i])
	})
}

// scatter samples, splits and writes rows into shuffle buckets; it returns the bucket files.
func scatter(ctx context.Context, in *dataset.Reader, opts Options, sum *Summary, dir string, nTrain, nTest int) (train, test []string, err error) {
	type locked struct {
		sync.Mutex
		w *bucketWriter
	}
	open := func(prefix string, n int) ([]*locked, []string, error) {
		bs := make([]*locked, n)
		paths := make([]string, n)
		for i := range bs {
			paths[i] = filepath.Join(dir, fmt.Sprintf("%s-%05d.bucket", prefix, i))
			w, err := createBucket(paths[i])
			if err != nil {
				return nil, nil, err
			}
			bs[i] = &locked{w: w}
		}
		return bs, paths, nil
	}
	trainB, train, err := open("train", nTrain)
	if err != nil {
		return nil, nil, err
	}
	testB, test, err := open("test", nTest)
	if err != nil {
		return nil, nil, err
	}
	bar := progress.NewBar(opts.Progress, "prepare: sample+split", "rows", in.NumRows())
	var mu sync.Mutex
	err = forEachFile(ctx, in, opts.Workers, func(ctx context.Context, fi int, f dataset.File) error {
		trainN, testN := map[int64]int64{}, map[int64]int64{}
		err := in.ScanFile(ctx, f, dataset.Ingested(), 64, func(b *dataset.Batch) error {
			h, l, labels := b.Float64s(spec.ColumnHFeatures), b.Float64s(spec.ColumnLFeatures), b.Int64s(spec.ColumnLabel)
			const nl = spec.SequenceLength * spec.NumParticleFeatures
			for i := 0; i < b.Rows; i++ {
				ri := int(b.Row) + i
				if err := features.CheckFinite(nil, l[i*nl:(i+1)*nl]); err != nil {
					return fmt.Errorf("row %d: %w", ri, err)
				}
				label := labels[i]
				if rowUniform(opts.Seed, fi, ri, streamKeep) >= sum.Fraction[label] {
					continue
				}
				isTest := rowUniform(opts.Seed, fi, ri, streamSplit) < opts.TestFraction
				set, counts := trainB, trainN
				if isTest {
					set, counts = testB, testN
				}
				bk := set[rowBits(opts.Seed, fi, ri, streamBucket)%uint64(len(set))]
				r := row{Key: rowBits(opts.Seed, fi, ri, streamOrder), Label: label, H: h[i*spec.NumHLF : (i+1)*spec.NumHLF], L: l[i*nl : (i+1)*nl]}
				bk.Lock()
				err := bk.w.write(&r)
				bk.Unlock()
				if err != nil {
					return err
				}
				counts[label]++
			}
			bar.Add(int64(b.Rows))
			return nil
		})
		if err != nil {
			return fmt.Errorf("prep: %s: %w", f.Path, err)
		}
		mu.Lock()
		defer mu.Unlock()
		for k, v := range trainN {
			sum.Train[k] += v
		}
		for k, v := range testN {
			sum.Test[k] += v
		}
		return nil
	})
	bar.Finish()
	var cerr error
	for _, b := range append(trainB, testB...) {
		cerr = errors.Join(cerr, b.w.close())
	}
	if err = errors.Join(err, cerr); err != nil {
		return nil, nil, err
	}
	return train, test, nil
}

// writeBucket shuffles one bucket and writes its rows, transformed, as part file number part
// of the three datasets in dirs (full, HLF, inclusive).
func writeBucket(ctx context.Context, path string, part int, job string, dirs [3]string, scaler *MinMax, meta map[string]string, opts Options, bar *progress.Bar) error {
	rows, err := readBucket(path)
	if err != nil {
		return err
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Key < rows[j].Key })
	name := dataset.PartName(part, job)
	schemas := [3]dataset.Schema{dataset.Full(), dataset.HLF(), dataset.Inclusive()}
	var ws [3]*dataset.Writer
	for i, s := range schemas {
		w, err := dataset.NewWriter(filepath.Join(dirs[i], name), s, dataset.WithRowGroupBytes(rowGroupBytes), dataset.WithMetadata(meta))
		if err != nil {
			for _, o := range ws[:i] {
				o.Abort()
			}
			return fmt.Errorf("prep: %w", err)
		}
		ws[i] = w
	}
	abort := func(err error) error {
		for _, w := range ws {
			w.Abort()
		}
		return err
	}
	tb := newTransformBatch(writeBatchRows, opts.Workers, opts.MaskPadding)
	for lo := 0; lo < len(rows); lo += writeBatchRows {
		if err := ctx.Err(); err != nil {
			return abort(err)
		}
		chunk := rows[lo:min(lo+writeBatchRows, len(rows))]
		tb.fill(chunk, scaler)
		for i, w := range ws {
			if err := w.WriteBatch(tb.view(schemas[i])); err != nil {
				return abort(fmt.Errorf("prep: %w", err))
			}
		}
		bar.Add(int64(len(chunk)))
	}
	for _, w := range ws {
		if err := w.Close(); err != nil {
			return abort(fmt.Errorf("prep: %w", err))
		}
	}
	return nil
}
