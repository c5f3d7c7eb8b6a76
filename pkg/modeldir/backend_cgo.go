//go:build cgo

package modeldir

import (
	"bytes"
	"fmt"
	"os"

	"github.com/gomlx/compute"
	onnxbackend "github.com/gomlx/compute-onnx"
	"github.com/gomlx/go-xla/compute/xla"
	_ "github.com/gomlx/go-xla/compute/xla/autoinstall" // installs the PJRT plugin on first use
	"github.com/gomlx/go-xla/installer"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/godltrigger/godltrigger/pkg/onnx/classifier"
)

func init() {
	if os.Getenv(onnxbackend.NoAutoInstallEnv) != "" {
		xla.EnableAutoInstall(false)
	}
	openXLA = func() (compute.Backend, error) { return BackendFromConfig(xla.BackendName) }
	openORT = func() (compute.Backend, error) { return BackendFromConfig(onnxbackend.BackendName) }
}

// ortVersion returns " 1.30.0"-like for an ONNX Runtime backend, else "".
func ortVersion(b compute.Backend) string {
	if ob, ok := b.(*onnxbackend.Backend); ok && ob.Version() != "" {
		return " " + ob.Version()
	}
	return ""
}

// InstallXLAPlugin downloads and installs XLA's PJRT plugin ("cpu", "cuda") under the user's
// library directory (~/.local/lib/go-xla), where the XLA backend finds it. It needs internet.
func InstallXLAPlugin(plugin string) error {
	switch plugin {
	case "cpu", "cuda", "rocm", "tpu":
	default:
		return fmt.Errorf("modeldir: no XLA plugin %q (want cpu, cuda, rocm or tpu)", plugin)
	}
	if err := installer.AutoInstallPlugin(plugin, "", true, installer.Normal); err != nil {
		return fmt.Errorf("modeldir: install XLA's %s plugin: %w", plugin, err)
	}
	return nil
}

// loadONNX returns, on the ONNX Runtime backend, the classifier's ONNX graph (package
// onnx/classifier) with the weights of store loaded into an ONNX Runtime session; nil
// elsewhere.
func loadONNX(backend compute.Backend, info *Info, store *model.Store, dir string) (compute.Executable, error) {
	ob, ok := backend.(*onnxbackend.Backend)
	if !ok {
		return nil, nil
	}
	w, err := StoreWeights(store, dir)
	if err != nil {
		return nil, err
	}
	data, err := classifier.Model{Config: info.Model, MaxParticles: info.Options.MaxParticles, Truncate: info.Options.Truncate, Weights: w, Source: dir}.Marshal()
	if err != nil {
		return nil, err
	}
	return onnxbackend.LoadModel(ob, bytes.NewReader(data))
}
