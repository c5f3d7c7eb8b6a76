//go:build !(goexperiment.simd && amd64)

package modeldir

// goKernels names the matmul kernels the Go backend runs in this build: scalar ones, since the
// AVX-512/AVX2 kernels need GOEXPERIMENT=simd at build time.
func goKernels() string { return "scalar" }
