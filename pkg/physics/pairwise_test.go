package physics

import (
	"math/rand/v2"
	"testing"
)

func TestPairwiseSumOrder(t *testing.T) {
	ones := func(n int) []float64 {
		x := make([]float64, n)
		for i := range x {
			x[i] = 1
		}
		return x
	}
	big := func(n, at int) []float64 { x := ones(n); x[at] = 1e16; return x }
	tests := []struct {
		name string
		x    []float64
		want float64
	}{
		{"empty", nil, 0},
		{"one", []float64{2.5}, 2.5},
		// 7 values: a plain loop; each 1 is lost against 1e16 (ties to even).
		{"seven in order", big(7, 0), 1e16},
		// 9 values: r1 = 1e16, r0 = 1, r2..r7 = 1: ((1+1e16)+(1+1))+((1+1)+(1+1)) = 1e16+6,
		// then + a[8] = 1 gives 1e16+7, a tie rounded to even: 1e16+8. A plain loop gives 1e16.
		{"nine, eight accumulators", big(9, 1), 1e16 + 8},
		{"integers are exact", ones(1000), 1000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := PairwiseSum(tc.x); got != tc.want {
				t.Errorf("PairwiseSum = %v, want %v", got, tc.want)
			}
		})
	}
}

// numpyPairwise transcribes numpy's DOUBLE_pairwise_sum with explicit indices (pointer +
// count, as the C code does), to check the slice-based implementation on every length.
func numpyPairwise(a []float64, off, n int) float64 {
	if n < 8 {
		res := 0.0
		for i := 0; i < n; i++ {
			res += a[off+i]
		}
		return res
	}
	if n <= 128 {
		var r [8]float64
		for k := 0; k < 8; k++ {
			r[k] = a[off+k]
		}
		i := 8
		for ; i < n-(n%8); i += 8 {
			for k := 0; k < 8; k++ {
				r[k] += a[off+i+k]
			}
		}
		res := ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
		for ; i < n; i++ {
			res += a[off+i]
		}
		return res
	}
	n2 := n / 2
	n2 -= n2 % 8
	return numpyPairwise(a, off, n2) + numpyPairwise(a, off+n2, n-n2)
}

func TestPairwiseSumAllLengths(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n <= 700; n++ {
		x := make([]float64, n)
		for i := range x {
			x[i] = rng.ExpFloat64() * 10
		}
		if got, want := PairwiseSum(x), 0.0+numpyPairwise(x, 0, n); got != want {
			t.Fatalf("n=%d: PairwiseSum = %v, want %v", n, got, want)
		}
	}
}
