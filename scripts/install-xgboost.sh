#!/usr/bin/env bash
# Installs XGBoost, idempotently: Debian's libxgboost-dev (the C library and its header
# xgboost/c_api.h, which cgo uses when dltrigger is built with -tags xgboost) and python3-xgboost
# (the same library behind Python's API: the independent check of the Go binding's predictions).
# The tests that need them skip when they are missing.
#
# Usage: scripts/install-xgboost.sh
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/lib/debs.sh
ensure_debs install-xgboost libxgboost-dev python3-xgboost || {
  echo "install-xgboost: the XGBoost tests will skip" >&2
  exit 0
}

if [ ! -f /usr/include/xgboost/c_api.h ]; then
  echo "install-xgboost: /usr/include/xgboost/c_api.h missing after installing libxgboost-dev" >&2
  exit 1
fi
if /usr/bin/python3 -c 'import xgboost; print("install-xgboost: python3 xgboost", xgboost.__version__)'; then
  :
else
  echo "install-xgboost: /usr/bin/python3 cannot import xgboost" >&2
  exit 1
fi
echo "install-xgboost: libxgboost-dev $(dpkg-query -W -f='${Version}' libxgboost-dev)"
echo "install-xgboost: done"
