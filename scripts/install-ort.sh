#!/usr/bin/env bash
# Installs ONNX Runtime's CPU library for GoMLX's ONNX Runtime backend (and the ONNX export
# tests), idempotently, and prints the library's path on stdout:
#
#   export ONNXRUNTIME_SHARED_LIBRARY_PATH="$(scripts/install-ort.sh)"
#
# The library is the one Microsoft ships inside the npm package onnxruntime-node (pinned
# below), installed under .tools/node with --ignore-scripts (no download at install time). On
# machines with internet GoMLX can also install ONNX Runtime by itself (leave
# GOMLX_NO_AUTO_INSTALL unset); this script is for offline machines and images.
# Exits non-zero, saying why, when npm is missing or the package has no library for this
# machine.
set -euo pipefail
cd "$(dirname "$0")/.."

version=1.30.0
dir=.tools/node
pkg="$dir/node_modules/onnxruntime-node"
case "$(uname -m)" in
x86_64 | amd64) arch=x64 ;;
aarch64 | arm64) arch=arm64 ;;
*) echo "install-ort: no ONNX Runtime library in onnxruntime-node for $(uname -m)" >&2; exit 1 ;;
esac
lib="$pkg/bin/napi-v6/linux/$arch/libonnxruntime.so.1"

installed_version() { sed -n 's/^  "version": "\(.*\)",$/\1/p' "$pkg/package.json" 2>/dev/null; }
if [ ! -f "$lib" ] || [ "$(installed_version)" != "$version" ]; then
  command -v npm >/dev/null || { echo "install-ort: npm is missing (apt-get install npm)" >&2; exit 1; }
  echo "install-ort: installing onnxruntime-node@$version (npm) into $dir" >&2
  mkdir -p "$dir"
  # One install for every npm tool the project uses: separate installs into one folder prune
  # each other (scripts/install-deps.sh installs the same set).
  if ! (cd "$dir" && npm install --ignore-scripts --no-audit --no-fund jsroot@7.11.2 @duckdb/node-api@1.5.6-r.1 \
    "onnxruntime-node@$version" >npm-install-ort.log 2>&1); then
    tail -20 "$dir/npm-install-ort.log" >&2
    echo "install-ort: npm install onnxruntime-node@$version failed" >&2
    exit 1
  fi
fi
[ -f "$lib" ] || { echo "install-ort: $lib missing after the install" >&2; exit 1; }
echo "$(cd "$(dirname "$lib")" && pwd)/$(basename "$lib")"
