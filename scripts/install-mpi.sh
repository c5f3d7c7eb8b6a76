#!/usr/bin/env bash
# Installs Open MPI, idempotently: Debian's openmpi-bin (mpirun) and libopenmpi-dev (headers and
# the pkg-config file "ompi" that cgo uses). Data-parallel training ('dltrigger train
# --distributed mpi', built with -tags mpi) needs both; its test in pkg/train skips when mpirun
# is missing.
#
# Usage: scripts/install-mpi.sh
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/lib/debs.sh
ensure_debs install-mpi openmpi-bin libopenmpi-dev pkg-config || {
  echo "install-mpi: the MPI tests will skip" >&2
  exit 0
}

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
