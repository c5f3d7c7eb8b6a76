#!/usr/bin/env bash
# Installs Open MPI, idempotently: Debian's openmpi-bin (mpirun) and libopenmpi-dev (headers and
# the pkg-config file "ompi" that cgo uses). Data-parallel training ('dltrigger train
# --distributed mpi', built with -tags mpi) needs both; its test in pkg/train skips when mpirun
# is missing.
#
# Usage: scripts/install-mpi.sh
set -euo pipefail
cd "$(dirname "$0")/.."

debs=(openmpi-bin libopenmpi-dev pkg-config)
missing=()
for p in "${debs[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then apt_get=(apt-get); elif command -v sudo >/dev/null; then apt_get=(sudo apt-get); else apt_get=(); fi
  if ((${#apt_get[@]})); then
    echo "install-mpi: installing Debian packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" -o DPkg::Lock::Timeout=600 update -qq
    log=$(mktemp)
    if ! DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >"$log" 2>&1; then
      tail -n 20 "$log" >&2
      rm -f "$log"
      echo "install-mpi: apt-get install ${missing[*]} failed" >&2
      exit 1
    fi
    rm -f "$log"
  else
    echo "install-mpi: not root and no sudo; cannot install ${missing[*]}; the MPI test will skip" >&2
    exit 0
  fi
else
  echo "install-mpi: Debian packages already present: ${debs[*]}"
fi

if ! command -v mpirun >/dev/null; then
  echo "install-mpi: mpirun not on PATH after installing openmpi-bin" >&2
  exit 1
fi
if ! pkg-config --exists ompi; then
  echo "install-mpi: pkg-config does not know ompi (libopenmpi-dev)" >&2
  exit 1
fi
echo "install-mpi: $(mpirun --version 2>/dev/null | head -n 1), cflags: $(pkg-config --cflags ompi)"
echo "install-mpi: done"
