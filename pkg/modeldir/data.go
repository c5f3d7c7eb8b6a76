package modeldir

import "github.com/godltrigger/godltrigger/pkg/models"

// Data is an in-memory dataset of model inputs: N rows, float32, row-major. Training reads
// its labels; a Predictor ignores them.
type Data struct {
	HLF    []float32 // [N, 14] or nil
	Seq    []float32 // [N, SeqLen, 19] or nil
	SeqLen int       // particles per row in Seq
	Labels []int     // [N] class ids in [0, 3)
}

// TruncateParticles keeps, of each of the rows of seq ([rows, seqLen, 19]), the particle rows
// that opts read (MaxParticles of them, as Truncate says), writing into buf. It returns the
// kept sequences and their length: seq and seqLen themselves when nothing is dropped, else buf
// (grown as needed, to be passed again for reuse).
func TruncateParticles(seq []float32, rows, seqLen int, opts Options, buf []float32) (kept []float32, keep int) {
	skip, keep := opts.Truncate.Window(seqLen, opts.MaxParticles)
	if keep == seqLen {
		return seq, seqLen
	}
	in, out, from := seqLen*models.NumFeatures, keep*models.NumFeatures, skip*models.NumFeatures
	if cap(buf) >= rows*out {
		buf = buf[:rows*out]
	} else {
		buf = make([]float32, rows*out)
	}
	for i := 0; i < rows; i++ {
		copy(buf[i*out:(i+1)*out], seq[i*in+from:i*in+from+out])
	}
	return buf, keep
}
