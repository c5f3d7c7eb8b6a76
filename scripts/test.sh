#!/usr/bin/env bash
# The project's test command: installs what the tests need, then runs every test.
#
# Usage: scripts/test.sh            (from the repository root)
# Real Delphes fixtures are used when DLTRIGGER_TESTDATA names their folder (tests that need
# them skip otherwise; .ci/run sets it).
set -euo pipefail
cd "$(dirname "$0")/.."
# The Go backend's AVX-512/AVX2 kernels need GOEXPERIMENT=simd when Go builds (go test too).
export GOEXPERIMENT="${GOEXPERIMENT:-simd}"
scripts/install-deps.sh
# ONNX Runtime's library, for the ONNX Runtime backend's tests and the ONNX export checks; no
# download at run time (offline machines).
ONNXRUNTIME_SHARED_LIBRARY_PATH="$(scripts/install-ort.sh)"
export ONNXRUNTIME_SHARED_LIBRARY_PATH GOMLX_NO_AUTO_INSTALL=1
# The Jupyter image's recipe (docker/Dockerfile, binder/Dockerfile), installed into a scratch
# folder so that it is tested even where no Docker engine runs.
image_dir="$(mktemp -d)"
trap 'rm -rf "$image_dir"' EXIT
scripts/install-image.sh --bin "$image_dir/bin" --jupyter-data "$image_dir/jupyter" --work "$image_dir/work"
# Most tests run on the Go backend (deterministic and quick to compile); the tests of the
# backend choice, of training on ONNX Runtime and the MPI tests run on ONNX Runtime as well.
export GOMLX_BACKEND="${GOMLX_BACKEND:-go}"
go vet ./...
# A short fuzzing run of the ROOT reader on damaged files (its corpus also runs in go test).
go test -run '^$' -fuzz '^FuzzOpenRead$' -fuzztime 20s -parallel 1 ./pkg/delphes/
go test -count=1 -timeout 60m ./...
# The tree ensembles link XGBoost's C library (scripts/install-xgboost.sh) with the xgboost build
# tag: the binding, training and the agreement with python3-xgboost, then the tree tests of the
# packages that evaluate, predict, serve, tune, demo and benchmark them.
go vet -tags xgboost ./pkg/xgboost/ ./pkg/trees/ ./pkg/serve/ ./pkg/tune/ ./pkg/pipeline/ ./cmd/dltrigger/ ./bench/...
go test -count=1 -timeout 30m -tags xgboost ./pkg/xgboost/ ./pkg/trees/
go test -count=1 -timeout 30m -tags xgboost -run Tree ./pkg/serve/ ./pkg/tune/ ./pkg/pipeline/ ./cmd/dltrigger/ ./bench/
