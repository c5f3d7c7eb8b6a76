package prep

// The sampling, split and shuffle decisions for a row are pure functions of (seed, file index,
// row index), so that they do not depend on how many goroutines read the input nor in which
// order rows arrive.

// Streams of per-row random numbers, one per decision.
const (
	streamKeep   = 1 // Bernoulli undersampling
	streamSplit  = 2 // train/test split
	streamBucket = 3 // shuffle bucket
	streamOrder  = 4 // order within a bucket
)

// splitmix64 is a bijective 64-bit mixer (Steele, Lea, Flood: SplitMix64's finaliser).
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// rowBits returns 64 random bits for a decision about one row.
func rowBits(seed int64, file, row int, stream uint64) uint64 {
	h := splitmix64(uint64(seed))
	h = splitmix64(h ^ uint64(file))
	h = splitmix64(h ^ uint64(row))
	return splitmix64(h ^ stream)
}

// rowUniform returns a uniform number in [0, 1) for a decision about one row.
func rowUniform(seed int64, file, row int, stream uint64) float64 {
	return float64(rowBits(seed, file, row, stream)>>11) / (1 << 53)
}
