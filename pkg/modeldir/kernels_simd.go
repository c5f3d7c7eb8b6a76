//go:build goexperiment.simd && amd64

package modeldir

import "simd/archsimd"

// goKernels names the matmul kernels the Go backend runs in this build on this CPU.
func goKernels() string {
	switch {
	case archsimd.X86.AVX512():
		return "AVX-512"
	case archsimd.X86.AVX2():
		return "AVX2"
	}
	return "scalar"
}
