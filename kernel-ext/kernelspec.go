package kernelext

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// KernelName is the name of the kernel directory, the one the notebooks' metadata names.
const KernelName = "gonb"

// GoExperiment is the GOEXPERIMENT the kernel builds cells with when none is set: the Go
// backend's AVX-512/AVX2 kernels need it at build time.
const GoExperiment = "simd"

// KernelSpec is the content of a Jupyter kernel.json.
type KernelSpec struct {
	Argv          []string          `json:"argv"`
	DisplayName   string            `json:"display_name"`
	Language      string            `json:"language"`
	InterruptMode string            `json:"interrupt_mode"`
	Env           map[string]string `json:"env"`
}

// KernelOptions configure InstallKernel.
type KernelOptions struct {
	// DataDir is the Jupyter data directory; the kernel goes to DataDir/kernels/gonb.
	// Empty: Prefix/share/jupyter when Prefix is set, else $JUPYTER_DATA_DIR, else
	// ~/.local/share/jupyter (the --user location).
	DataDir string
	Prefix  string
	// Gonb is the GoNB binary; empty: "gonb" on PATH, else $(go env GOPATH)/bin/gonb.
	Gonb string
	// RawError makes GoNB report cell errors as plain text instead of HTML (for headless runs
	// and tests, where the error text is read from the saved notebook).
	RawError bool
	// Getenv reads the environment copied into the kernel (nil: os.Getenv); Environ lists
	// it (nil: os.Environ).
	Getenv  func(string) string
	Environ func() []string
}

// copiedEnv are the variables passed through to the kernel when set: the GoMLX backend and
// the locations of its XLA plugin and ONNX Runtime library, XRootD client settings (XRD_*, see Environ), grid and Kerberos credentials that EOS
// (root://eospublic.cern.ch) access needs, the Go toolchain's locations and the notebooks'
// work directory.
var copiedEnv = []string{
	"GOMLX_BACKEND", "GOMLX_NO_AUTO_INSTALL", "ONNXRUNTIME_SHARED_LIBRARY_PATH", "PJRT_PLUGIN_LIBRARY_PATH",
	"GOEXPERIMENT", "X509_USER_PROXY", "X509_CERT_DIR", "KRB5CCNAME", "EOS_MGM_URL",
	"GOPATH", "GOMODCACHE", "GOCACHE", "GOPROXY", "GOFLAGS", WorkEnv, "DLTRIGGER_TESTDATA",
}

// NewKernelSpec returns the kernel specification for the GoNB binary gonb, with the
// environment a notebook of this project needs.
func NewKernelSpec(gonb string, getenv func(string) string, environ []string) *KernelSpec {
	k := &KernelSpec{
		Argv:          []string{gonb, "--kernel", "{connection_file}", "--logtostderr=false"},
		DisplayName:   "Go (GoNB, GoDLTrigger)",
		Language:      "go",
		InterruptMode: "message",
		Env:           map[string]string{},
	}
	for _, name := range copiedEnv {
		if v := getenv(name); v != "" {
			k.Env[name] = v
		}
	}
	for _, kv := range environ {
		if name, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(name, "XRD_") {
			k.Env[name] = v
		}
	}
	if k.Env["GOEXPERIMENT"] == "" {
		k.Env["GOEXPERIMENT"] = GoExperiment
	}
	// GoNB runs goimports and go: put the directory of gonb (where go install puts
	// goimports too) and the current PATH in the kernel's PATH.
	path := getenv("PATH")
	if dir := filepath.Dir(gonb); dir != "." && !containsDir(path, dir) {
		path = dir + string(os.PathListSeparator) + path
	}
	if path != "" {
		k.Env["PATH"] = path
	}
	return k
}

func containsDir(path, dir string) bool {
	for _, d := range filepath.SplitList(path) {
		if d == dir {
			return true
		}
	}
	return false
}

// InstallKernel writes DataDir/kernels/gonb/kernel.json (see KernelOptions) atomically and
// returns its path.
func InstallKernel(o KernelOptions) (string, error) {
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	if o.Environ == nil {
		o.Environ = os.Environ
	}
	dataDir, err := kernelDataDir(o)
	if err != nil {
		return "", err
	}
	gonb := o.Gonb
	if gonb == "" {
		if gonb, err = findGonb(o.Getenv); err != nil {
			return "", err
		}
	}
	if abs, err := filepath.Abs(gonb); err == nil {
		gonb = abs
	}
	if fi, err := os.Stat(gonb); err != nil || fi.IsDir() {
		return "", fmt.Errorf("kernelext: GoNB binary %s: not a file (install it with scripts/install-notebooks.sh)", gonb)
	}
	spec := NewKernelSpec(gonb, o.Getenv, o.Environ())
	if o.RawError {
		spec.Argv = append(spec.Argv, "--raw_error")
	}
	dir := filepath.Join(dataDir, "kernels", KernelName)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("kernelext: install kernel: %w", err)
	}
	data, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return "", fmt.Errorf("kernelext: install kernel: %w", err)
	}
	path := filepath.Join(dir, "kernel.json")
	tmp, err := os.CreateTemp(dir, ".kernel.json-*")
	if err != nil {
		return "", fmt.Errorf("kernelext: install kernel: %w", err)
	}
	_, werr := tmp.Write(append(data, '\n'))
	cerr := tmp.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp.Name(), 0o644)
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("kernelext: write %s: %w", path, werr)
	}
	return path, nil
}

func kernelDataDir(o KernelOptions) (string, error) {
	switch {
	case o.DataDir != "":
		return o.DataDir, nil
	case o.Prefix != "":
		return filepath.Join(o.Prefix, "share", "jupyter"), nil
	case o.Getenv("JUPYTER_DATA_DIR") != "":
		return o.Getenv("JUPYTER_DATA_DIR"), nil
	}
	home := o.Getenv("HOME")
	if home == "" {
		return "", fmt.Errorf("kernelext: install kernel: HOME is unset; give a prefix or set JUPYTER_DATA_DIR")
	}
	return filepath.Join(home, ".local", "share", "jupyter"), nil
}

// findGonb looks for gonb on PATH, then in $(go env GOPATH)/bin.
func findGonb(getenv func(string) string) (string, error) {
	if p, err := exec.LookPath("gonb"); err == nil {
		return p, nil
	}
	var tried []string
	gopath := getenv("GOPATH")
	if gopath == "" {
		if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
			gopath = strings.TrimSpace(string(out))
		}
	}
	for _, d := range filepath.SplitList(gopath) {
		p := filepath.Join(d, "bin", "gonb")
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, nil
		}
		tried = append(tried, p)
	}
	sort.Strings(tried)
	return "", fmt.Errorf("kernelext: gonb not found on PATH nor at %v (install it with scripts/install-notebooks.sh)", tried)
}
