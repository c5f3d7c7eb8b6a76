package physics

// pairwiseBlock is numpy's PW_BLOCKSIZE.
const pairwiseBlock = 128

// PairwiseSum returns the sum of x in the exact order of operations of numpy's float64
// sum (ndarray.sum, that is 0.0 plus DOUBLE_pairwise_sum of numpy/core/src/umath): fewer
// than 8 values are added in order; up to 128 values are added into 8 interleaved partial
// sums, combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), then the remainder in order;
// longer inputs are split in two halves (the first rounded down to a multiple of 8) and
// summed recursively. The original summed isolation cones with numpy, so cones holding 8
// or more particles round like this and not like a plain loop.
func PairwiseSum(x []float64) float64 {
	return 0.0 + pairwise(x)
}

func pairwise(a []float64) float64 {
	n := len(a)
	switch {
	case n < 8:
		res := 0.0
		for _, v := range a {
			res += v
		}
		return res
	case n <= pairwiseBlock:
		r0, r1, r2, r3 := a[0], a[1], a[2], a[3]
		r4, r5, r6, r7 := a[4], a[5], a[6], a[7]
		i := 8
		for ; i < n-n%8; i += 8 {
			b := a[i : i+8 : i+8]
			r0 += b[0]
			r1 += b[1]
			r2 += b[2]
			r3 += b[3]
			r4 += b[4]
			r5 += b[5]
			r6 += b[6]
			r7 += b[7]
		}
		res := ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
		for ; i < n; i++ {
			res += a[i]
		}
		return res
	default:
		n2 := n / 2
		n2 -= n2 % 8
		return pairwise(a[:n2]) + pairwise(a[n2:])
	}
}
