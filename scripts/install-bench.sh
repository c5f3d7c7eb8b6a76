#!/usr/bin/env bash
# Installs what the PyTorch comparison in bench/ needs, idempotently: Debian's python3-torch (CPU,
# with numpy) and the OpenBLAS pthread build (the fairest BLAS for PyTorch on this CPU). Kept apart
# from scripts/install-deps.sh so that the test suite does not pay for torch; the comparison's smoke
# test skips when /usr/bin/python3 cannot import torch.
#
# Usage: scripts/install-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."

debs=(python3-torch python3-numpy libopenblas0-pthread)
missing=()
for p in "${debs[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then apt_get=(apt-get); elif command -v sudo >/dev/null; then apt_get=(sudo apt-get); else apt_get=(); fi
  if ((${#apt_get[@]})); then
    echo "install-bench: installing Debian packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "install-bench: not root and no sudo; cannot install ${missing[*]}; the comparison will skip" >&2
    exit 0
  fi
else
  echo "install-bench: Debian packages already present: ${debs[*]}"
fi

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
