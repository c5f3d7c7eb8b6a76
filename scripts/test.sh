#!/usr/bin/env bash
# The project's test command: installs what the tests need, then runs every test.
#
# Usage: scripts/test.sh            (from the repository root)
# Real Delphes fixtures are used when DLTRIGGER_TESTDATA names their folder (tests that need
# them skip otherwise; .ci/run sets it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# The Jupyter image's recipe (docker/Dockerfile, binder/Dockerfile), installed into a scratch
# folder so that it is tested even where no Docker engine runs.
image_dir="$(mktemp -d)"
trap 'rm -rf "$image_dir"' EXIT
scripts/install-image.sh --bin "$image_dir/bin" --jupyter-data "$image_dir/jupyter" --work "$image_dir/work"
export GOMLX_BACKEND="${GOMLX_BACKEND:-go:parallelism=-1}"
go vet ./...
# A short fuzzing run of the ROOT reader on damaged files (its corpus also runs in go test).
go test -run '^$' -fuzz '^FuzzOpenRead$' -fuzztime 20s -parallel 1 ./pkg/delphes/
go test -count=1 -timeout 60m ./...
