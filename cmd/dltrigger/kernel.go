package main

import (
	"context"
	"fmt"

	kernelext "github.com/godltrigger/godltrigger/kernel-ext"
)

func init() {
	register(&command{Name: "kernel install", Summary: "register the GoNB notebook kernel with Jupyter (SWAN, JupyterHub)", Run: runKernelInstall})
}

func runKernelInstall(ctx context.Context, args []string) error {
	fs := newFlags("kernel install", "kernel install [--user | --prefix P | --data-dir D] [--gonb PATH]", `
Writes the kernel specification (kernels/gonb/kernel.json) that lets Jupyter, JupyterHub
and SWAN run this project's Go notebooks (notebooks/*.ipynb) with GoNB. The kernel's
environment gets GOEXPERIMENT=`+kernelext.GoExperiment+` (the Go backend's AVX-512/AVX2 kernels) unless
set here, and, when they are set here: GOMLX_BACKEND, ONNXRUNTIME_SHARED_LIBRARY_PATH and
PJRT_PLUGIN_LIBRARY_PATH (the faster backends), the XRootD client settings XRD_* and the
credentials EOS access needs (KRB5CCNAME, X509_USER_PROXY); and a PATH that finds gonb and
goimports. Install gonb and goimports
first with scripts/install-notebooks.sh.

--user (the default) writes under $JUPYTER_DATA_DIR or ~/.local/share/jupyter;
--prefix P writes under P/share/jupyter, as "jupyter kernelspec install --prefix" does
(e.g. a virtual environment's or a container image's prefix).

Example:
  XRD_REQUESTTIMEOUT=60 dltrigger kernel install --user
  jupyter notebook notebooks/1-DataIngestion.ipynb`)
	user := fs.Bool("user", false, "install for the current user (the default)")
	prefix := fs.String("prefix", "", "install under `P`/share/jupyter")
	dataDir := fs.String("data-dir", "", "install under the Jupyter data directory `D`")
	gonb := fs.String("gonb", "", "GoNB binary (default: gonb on PATH, else $(go env GOPATH)/bin/gonb)")
	rawError := fs.Bool("raw-error", false, "report cell errors as plain text (headless runs)")
	if _, err := parseArgs(fs, args, "", 0, 0); err != nil {
		return err
	}
	if (*user && (*prefix != "" || *dataDir != "")) || (*prefix != "" && *dataDir != "") {
		return usageErrorf(fs, "--user, --prefix and --data-dir exclude each other")
	}
	if err := onlyChecking(ctx); err != nil {
		return err
	}
	path, err := kernelext.InstallKernel(kernelext.KernelOptions{Prefix: *prefix, DataDir: *dataDir, Gonb: *gonb, RawError: *rawError})
	if err != nil {
		return err
	}
	fmt.Printf("kernel installed: %s\n", path)
	return nil
}
