#!/usr/bin/env bash
# Installs what the PyTorch comparison in bench/ needs, idempotently: Debian's python3-torch (CPU,
# with numpy) and the OpenBLAS pthread build (the fairest BLAS for PyTorch on this CPU). Kept apart
# from scripts/install-deps.sh so that the test suite does not pay for torch; the comparison's smoke
# test skips when /usr/bin/python3 cannot import torch.
#
# Usage: scripts/install-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/lib/debs.sh
ensure_debs install-bench python3-torch python3-numpy libopenblas0-pthread || {
  echo "install-bench: the comparison will skip" >&2
  exit 0
}

# Which BLAS libblas.so.3 resolves to (PyTorch's Debian build links the generic libblas.so.3).
if command -v update-alternatives >/dev/null; then
  blas=$(update-alternatives --query libblas.so.3-x86_64-linux-gnu 2>/dev/null | awk '/^Value:/{print $2}')
  echo "install-bench: libblas.so.3 -> ${blas:-unknown}"
fi
if /usr/bin/python3 -c 'import torch, numpy; print("install-bench: torch", torch.__version__, "numpy", numpy.__version__)'; then
  :
else
  echo "install-bench: /usr/bin/python3 cannot import torch" >&2
  exit 1
fi
echo "install-bench: done"
