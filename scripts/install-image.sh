#!/usr/bin/env bash
# The recipe of the Jupyter image (docker/Dockerfile, binder/Dockerfile), in one script that the
# test command also runs, so the image recipe is exercised on every test run. Idempotent.
#
# Usage:
#   scripts/install-image.sh --system
#       As root: the Debian packages of the image (classic Jupyter Notebook, nbconvert, nbclient;
#       Open MPI and an SSH server, for data-parallel training under mpirun or a Kubeflow MPIJob;
#       npm, which brings ONNX Runtime's library; XGBoost's C library, for the tree ensembles).
#   scripts/install-image.sh [--bin DIR] [--jupyter-data DIR] [--work DIR]
#       As the notebook user: GoNB and goimports, the dltrigger command into DIR
#       (default ~/.local/bin; built with -tags mpi when Open MPI's headers are there, and xgboost when
#       XGBoost's are), the GoNB kernel registered under the Jupyter data DIR
#       (default $JUPYTER_DATA_DIR or ~/.local/share/jupyter) with ONNX Runtime's library
#       (scripts/install-ort.sh) and GOEXPERIMENT=simd in its environment, XLA's CPU plugin when
#       the machine has internet (it says so when not), the Go modules the notebooks import,
#       and the demo events of the first notebook generated into the work DIR
#       (default $DLTRIGGER_WORK or ~/work). Run as root it also does the --system part first.
# It ends by checking what it installed: the kernel is listed by Jupyter and runs dltrigger's
# environment, the command answers, the demo events are there.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "install-image: $*"; }
. scripts/lib/debs.sh

system_part() {
  local debs=(jupyter-notebook jupyter-client jupyter-nbconvert python3-nbclient ca-certificates
    openmpi-bin libopenmpi-dev pkg-config openssh-server openssh-client libxgboost-dev)
  # npm brings ONNX Runtime's library; a Node.js that ships its own npm conflicts with Debian's.
  command -v npm >/dev/null || debs+=(npm)
  if ! ensure_debs install-image "${debs[@]}"; then
    say "run 'scripts/install-image.sh --system' as root" >&2
    return 1
  fi
}

bin="$HOME/.local/bin"
data="${JUPYTER_DATA_DIR:-$HOME/.local/share/jupyter}"
work="${DLTRIGGER_WORK:-$HOME/work}"
only_system=false
while (($#)); do
  case "$1" in
  --system) only_system=true ;;
  --bin) bin="$2"; shift ;;
  --jupyter-data) data="$2"; shift ;;
  --work) work="$2"; shift ;;
  -h | --help) sed -n '2,18p' "$0"; exit 0 ;;
  *) say "unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

if $only_system || [ "$(id -u)" = 0 ]; then
  system_part
  $only_system && exit 0
fi

# The Go backend's AVX-512/AVX2 kernels need GOEXPERIMENT=simd at build time (here and in the
# kernel, which builds the notebooks' cells).
export GOEXPERIMENT="${GOEXPERIMENT:-simd}"

# GoNB and goimports (into GOPATH/bin), as the notebook tests install them.
scripts/install-notebooks.sh

# ONNX Runtime's CPU library (from npm, no download at run time): the fastest CPU backend.
if ort="$(scripts/install-ort.sh)"; then
  export ONNXRUNTIME_SHARED_LIBRARY_PATH="$ort"
  say "ONNX Runtime's library: $ort"
else
  say "no ONNX Runtime library (see above): notebooks will train on the Go backend" >&2
fi
gobin="$(go env GOPATH)/bin"

tags=()
if pkg-config --exists ompi 2>/dev/null; then
  tags+=(mpi) # 'dltrigger train --distributed mpi' under mpirun
fi
if [ -f /usr/include/xgboost/c_api.h ]; then
  tags+=(xgboost) # 'dltrigger train --model xgboost|rf'
fi
tagflag=$(IFS=,; echo "${tags[*]}")
say "building dltrigger (tags: ${tagflag:-none}) into $bin"
mkdir -p "$bin"
go build -tags "$tagflag" -o "$bin/dltrigger.tmp" ./cmd/dltrigger
mv "$bin/dltrigger.tmp" "$bin/dltrigger"

# The modules the notebooks import, so that the first cell of a notebook needs no network.
go mod download

# XLA's CPU plugin, when this build has internet (it is downloaded); offline images go without.
if [ -z "${GOMLX_NO_AUTO_INSTALL:-}" ] && timeout 300 "$bin/dltrigger" backend --install-xla cpu >/dev/null 2>&1; then
  say "XLA's CPU plugin installed"
else
  say "XLA's CPU plugin not installed (no internet, or GOMLX_NO_AUTO_INSTALL set): dltrigger uses ONNX Runtime or the Go backend"
fi
say "$("$bin/dltrigger" backend 2>&1 | head -1)"

say "registering the GoNB kernel under $data"
"$bin/dltrigger" kernel install --data-dir "$data" --gonb "$gobin/gonb"

say "generating the demo events of 1-DataIngestion into $work/events"
"$bin/dltrigger" generate --out "$work/events" --events 1500 --seed 42 >/dev/null

# Check what was installed.
kernel="$data/kernels/gonb/kernel.json"
[ -s "$kernel" ] || { say "no kernel at $kernel" >&2; exit 1; }
kernels="$(JUPYTER_DATA_DIR="$data" /usr/bin/jupyter kernelspec list 2>/dev/null || true)"
if ! grep -q "gonb.*$data/kernels/gonb" <<<"$kernels"; then
  say "Jupyter does not list the kernel installed in $data:" >&2
  echo "$kernels" >&2
  exit 1
fi
"$bin/dltrigger" --help >/dev/null 2>&1 || { say "$bin/dltrigger does not run" >&2; exit 1; }
if ((${#tags[@]})) && ! grep -q -- "-distributed" <<<"$("$bin/dltrigger" train --help 2>&1 || true)"; then
  say "$bin/dltrigger was built with -tags mpi but has no --distributed" >&2
  exit 1
fi
for class in qcd ttbar wjets; do
  ls "$work/events/$class/"*.root >/dev/null 2>&1 || { say "no demo events in $work/events/$class" >&2; exit 1; }
done
say "done: start Jupyter with 'jupyter notebook' in $(pwd) and open notebooks/ (PATH needs $bin and $gobin)"
