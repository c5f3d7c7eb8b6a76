#!/usr/bin/env bash
# The project's test command: installs what the tests need, then runs every test.
#
# Usage: scripts/test.sh            (from the repository root)
# Real Delphes fixtures are used when DLTRIGGER_TESTDATA names their folder (tests that need
# them skip otherwise; .ci/run sets it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
export GOMLX_BACKEND="${GOMLX_BACKEND:-go:parallelism=-1}"
go vet ./...
go test -count=1 -timeout 60m ./...
