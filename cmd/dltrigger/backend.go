package main

import (
	"context"
	"fmt"
	"os"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
)

func init() {
	register(&command{Name: "backend", Summary: "say which GoMLX backend training and inference use here, and how to get a faster one", Run: runBackend})
}

func runBackend(ctx context.Context, args []string) error {
	fs := newFlags("backend", "backend [--install-xla PLUGIN]", `
Prints the GoMLX backend that train, evaluate, predict, serve and tune choose on this machine,
with its kernel family, and how to get each faster backend that is missing. The choice,
fastest first: $GOMLX_BACKEND when set; XLA when its PJRT plugin loads (CPU or CUDA); ONNX
Runtime when its library loads ($ONNXRUNTIME_SHARED_LIBRARY_PATH; scripts/install-ort.sh
installs it offline); else the Go backend (AVX-512/AVX2 kernels when built with
GOEXPERIMENT=simd).

--install-xla cpu (or cuda) installs XLA's PJRT plugin under ~/.local/lib/go-xla; it needs
internet access.

Example:
  dltrigger backend
  GOMLX_BACKEND=onnx dltrigger backend
  dltrigger backend --install-xla cpu`)
	install := fs.String("install-xla", "", "install XLA's PJRT `PLUGIN` (cpu or cuda) first; needs internet")
	if _, err := parseArgs(fs, args, "", 0, 0); err != nil {
		return err
	}
	if err := onlyChecking(ctx); err != nil {
		return err
	}
	if *install != "" {
		fmt.Fprintf(os.Stderr, "installing XLA's %s plugin...\n", *install)
		if err := modeldir.InstallXLAPlugin(*install); err != nil {
			return err
		}
	}
	b, line, err := modeldir.NewBackend(nil)
	if err != nil {
		return err
	}
	defer b.Finalize()
	fmt.Println(line)
	return nil
}
