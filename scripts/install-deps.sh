#!/usr/bin/env bash
# Installs what the tests need beyond Go, idempotently: Debian packages (when root or sudo can
# install them) and Node.js tools under .tools/. Safe to run again: it skips what is present.
#
# Usage: scripts/install-deps.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use.
. scripts/lib/debs.sh
ensure_debs install-deps xrootd-server || echo "install-deps: the XRootD tests will skip" >&2 # a real XRootD server on loopback

# Node.js tools (independent readers used by tests), pinned.
if command -v npm >/dev/null; then
  # One install for all: separate installs into one folder may prune each other.
  # --ignore-scripts: jsroot's optional canvas build needs libraries we do not use.
  mkdir -p .tools/node
  if [ ! -d .tools/node/node_modules/jsroot ] || [ ! -d .tools/node/node_modules/@duckdb/node-api ] || [ ! -d .tools/node/node_modules/onnxruntime-node ]; then
    echo "install-deps: installing jsroot, @duckdb/node-api and onnxruntime-node (npm) into .tools/node"
    if ! (cd .tools/node && npm install --ignore-scripts --no-audit --no-fund jsroot@7.11.2 @duckdb/node-api@1.5.6-r.1 onnxruntime-node@1.30.0 >npm-install.log 2>&1); then
      echo "install-deps: npm install failed (tests that need these readers will skip):" >&2
      tail -20 .tools/node/npm-install.log >&2
    fi
  fi
fi
# Jupyter (nbconvert), GoNB and goimports: the notebooks run as tests.
scripts/install-notebooks.sh

# PyTorch (Debian python3-torch) for the smoke test of the cross-framework comparison in bench/.
scripts/install-bench.sh

# XGBoost's C library and python3-xgboost: the tree models (built with -tags xgboost) and the
# independent check of their predictions.
scripts/install-xgboost.sh

# Open MPI (data-parallel training test) and Slurm with MUNGE (the job-array ingestion test).
scripts/install-mpi.sh
scripts/install-slurm.sh

echo "install-deps: done"
