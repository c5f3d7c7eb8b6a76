package train

import (
	"fmt"
	"iter"
	"math"

	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/prep"
)

// minBucketLength is the shortest length BucketLengths gives.
const minBucketLength = 32

// BucketLengths are the sequence lengths that length bucketing trims batches to, for rows
// of seqLen particle rows: 32 times the powers of √2 (32, 48, 64, 96, 128, 184, 256, 368,
// 512, 728, ...; each rounded up to a multiple of 8) below seqLen, then seqLen itself (11
// lengths for 801 rows). A row longer than 32 keeps at most 1.5 times its real length, and a
// training run compiles one graph per length used, not one per real length.
func BucketLengths(seqLen int) []int {
	var out []int
	for k := 0; ; k++ {
		l := minBucketLength << (k / 2)
		if k%2 == 1 {
			l = int(math.Ceil(float64(l)*math.Sqrt2/8)) * 8
		}
		if l >= seqLen {
			break
		}
		out = append(out, l)
	}
	return append(out, seqLen)
}

// RealLength is the number of particle rows of row (seqLen rows of models.NumFeatures values)
// from the first one with a non-zero value to the end: the rows that a model masking all-zero
// timesteps reads, once the leading all-zero rows (the padding of data prepared with
// prep.Options.MaskPadding) are trimmed. Trimming them changes nothing for such a model:
// its state starts at 0 and a masked step carries it unchanged.
func RealLength(row []float32, seqLen int) int {
	for i, v := range row[:seqLen*models.NumFeatures] {
		if v != 0 {
			return seqLen - i/models.NumFeatures
		}
	}
	return 0
}

// CheckBucketable refuses length bucketing of the dataset dir for the classifier kind unless
// kind reads particle sequences through a padding mask (not the original Transformer, whose
// Flatten reads fixed rows) and dir was prepared with prep.Options.MaskPadding (padding
// rows exactly 0 and first).
func CheckBucketable(dir string, kind models.Kind) error {
	if !models.DefaultConfig(kind).UsesSequence() {
		return fmt.Errorf("train: length bucketing trims particle sequences; the %s classifier reads none", kind)
	}
	if kind == models.KindInclusiveTransformer {
		return fmt.Errorf("train: length bucketing trims padding rows, but the %s classifier masks none and its Flatten reads a fixed number of rows: train it without --bucket-by-length, or train %s", kind, models.KindInclusiveTransformerMasked)
	}
	masked, err := prep.PaddingMasked(dir)
	if err != nil {
		return fmt.Errorf("train: length bucketing needs a dataset prepared with 'dltrigger prepare --mask-padding': %w", err)
	}
	if !masked {
		return fmt.Errorf("train: length bucketing needs a dataset prepared with 'dltrigger prepare --mask-padding' (padding rows exactly 0); %s was prepared without it, so its padding rows are not 0 and cannot be trimmed: prepare it again with --mask-padding, or train without --bucket-by-length", dir)
	}
	return nil
}

// BucketSource groups the rows of a source by real length (RealLength) into batches whose
// particle rows are trimmed to a bucket length (BucketLengths of the source's SeqLen), so
// that a training step costs what the real particles of its rows cost, not the full sequence.
// Exact only for models that mask all-zero timesteps, on data whose padding rows are exactly
// 0 and first (prep.Options.MaskPadding).
//
// One pass reads the source's pass in its order and files each row under the shortest bucket
// length that holds its real length; a bucket that reaches the batch size is yielded at once.
// The rows left in the buckets at the end are yielded in batches of the batch size too, taken
// from the shortest bucket to the longest, each batch at the length of its longest row's bucket
// (shorter rows left-padded with zero rows); only the last batch may be smaller. The order is a
// function of the source's order, hence of (seed, epoch): Resume stays exact. Every batch but
// the last has the batch size, so a pass compiles at most one graph per bucket length besides
// that of the last batch.
type BucketSource struct {
	src Source
}

// NewBucketSource returns src with its batches grouped by real length and trimmed.
func NewBucketSource(src Source) *BucketSource { return &BucketSource{src: src} }

// Rows is the source's number of rows.
func (s *BucketSource) Rows() int { return s.src.Rows() }

// bucket holds the rows filed under one bucket length, trimmed to it.
type bucket struct {
	length int
	b      Batch
}

// add copies row i of b (trimmed to the bucket's length) into the bucket.
func (k *bucket) add(b *Batch, i int) {
	const f, c = models.NumHLF, models.NumClasses
	n, w := k.b.Size, k.length*models.NumFeatures
	if b.HLF != nil {
		k.b.HLF = append(k.b.HLF[:n*f], b.HLF[i*f:(i+1)*f]...)
	}
	if b.Seq != nil {
		row := b.Seq[i*b.SeqLen*models.NumFeatures : (i+1)*b.SeqLen*models.NumFeatures]
		k.b.Seq = append(k.b.Seq[:n*w], row[len(row)-w:]...)
	}
	k.b.Labels = append(k.b.Labels[:n*c], b.Labels[i*c:(i+1)*c]...)
	k.b.Size++
}

// Batches yields one pass in batches of batchSize rows grouped by real length (see
// BucketSource). A yielded Batch is valid until the next iteration step.
func (s *BucketSource) Batches(order Order, batchSize int) iter.Seq2[*Batch, error] {
	return func(yield func(*Batch, error) bool) {
		var buckets []*bucket
		seqLen, withHLF := -1, false
		for b, err := range s.src.Batches(order, batchSize) {
			if err != nil {
				yield(nil, err)
				return
			}
			if b.Seq == nil { // nothing to trim
				if !yield(b, nil) {
					return
				}
				continue
			}
			if seqLen < 0 {
				seqLen, withHLF = b.SeqLen, b.HLF != nil
				for _, l := range BucketLengths(seqLen) {
					buckets = append(buckets, &bucket{length: l, b: Batch{SeqLen: l}})
				}
			}
			if b.SeqLen != seqLen {
				yield(nil, fmt.Errorf("train: length bucketing: a batch of %d particle rows after batches of %d", b.SeqLen, seqLen))
				return
			}
			for i := 0; i < b.Size; i++ {
				n := RealLength(b.Seq[i*seqLen*models.NumFeatures:], seqLen)
				k := buckets[0]
				for _, k = range buckets {
					if k.length >= n {
						break
					}
				}
				k.add(b, i)
				if k.b.Size == batchSize {
					if !yield(&k.b, nil) {
						return
					}
					k.b.Size = 0
				}
			}
		}
		s.remainder(buckets, withHLF, batchSize, yield)
	}
}

// remainder yields the rows left in buckets, shortest bucket first, in batches of batchSize
// at the length of each batch's longest row's bucket.
func (s *BucketSource) remainder(buckets []*bucket, withHLF bool, batchSize int, yield func(*Batch, error) bool) {
	type ref struct{ k, i int }
	var rows []ref
	for k, bk := range buckets {
		for i := 0; i < bk.b.Size; i++ {
			rows = append(rows, ref{k, i})
		}
	}
	const f, c = models.NumHLF, models.NumClasses
	out := &Batch{}
	var hlf []float32
	for start := 0; start < len(rows); start += batchSize {
		part := rows[start:min(start+batchSize, len(rows))]
		length := buckets[part[len(part)-1].k].length
		w := length * models.NumFeatures
		out.Size, out.SeqLen = len(part), length
		out.Labels = resize(out.Labels, len(part)*c)
		out.Seq = resize(out.Seq, len(part)*w)
		clear(out.Seq)
		if withHLF {
			hlf = resize(hlf, len(part)*f)
			out.HLF = hlf
		}
		for j, r := range part {
			src := &buckets[r.k].b
			sw := src.SeqLen * models.NumFeatures
			copy(out.Seq[(j+1)*w-sw:(j+1)*w], src.Seq[r.i*sw:(r.i+1)*sw])
			copy(out.Labels[j*c:(j+1)*c], src.Labels[r.i*c:(r.i+1)*c])
			if out.HLF != nil {
				copy(out.HLF[j*f:(j+1)*f], src.HLF[r.i*f:(r.i+1)*f])
			}
		}
		if !yield(out, nil) {
			return
		}
	}
}
