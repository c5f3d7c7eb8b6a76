#!/usr/bin/env bash
# Installs what running the notebooks headless needs, idempotently:
#   - Debian jupyter-nbconvert and python3-nbclient (when root or sudo can install them);
#   - the GoNB kernel (github.com/janpfeifer/gonb, the version pinned in go.mod) and goimports
#     into $(go env GOPATH)/bin.
# It skips what is already present and prints what it did. It does not register the kernel:
# run `dltrigger kernel install --user` (or `gonb --install`) for that.
#
# Usage: scripts/install-notebooks.sh
set -euo pipefail
cd "$(dirname "$0")/.."

GOIMPORTS_VERSION=v0.48.0 # golang.org/x/tools, the version go.mod already pins
gobin="$(go env GOPATH)/bin"

# Debian packages.
. scripts/lib/debs.sh
ensure_debs install-notebooks jupyter-nbconvert python3-nbclient || echo "install-notebooks: notebook tests will skip" >&2

# GoNB, built from the module cache: `go install module@version` is refused by some proxies.
gonb_version="$(go list -m -f '{{.Version}}' github.com/janpfeifer/gonb)"
if [ -x "$gobin/gonb" ] && [ -f "$gobin/.gonb-version" ] && [ "$(cat "$gobin/.gonb-version")" = "$gonb_version" ]; then
  echo "install-notebooks: gonb $gonb_version present in $gobin"
else
  echo "install-notebooks: building gonb $gonb_version into $gobin"
  go mod download github.com/janpfeifer/gonb@"$gonb_version"
  gonb_src="$(go env GOMODCACHE)/github.com/janpfeifer/gonb@$gonb_version"
  (cd "$gonb_src" && GOFLAGS=-mod=mod GOBIN="$gobin" go install .)
  mkdir -p "$gobin"
  echo "$gonb_version" >"$gobin/.gonb-version"
fi

if [ -x "$gobin/goimports" ]; then
  echo "install-notebooks: goimports present in $gobin"
else
  echo "install-notebooks: installing goimports (golang.org/x/tools $GOIMPORTS_VERSION) into $gobin"
  GOBIN="$gobin" go install golang.org/x/tools/cmd/goimports@"$GOIMPORTS_VERSION"
fi

echo "install-notebooks: done (add $gobin to PATH; register the kernel with: dltrigger kernel install --user)"
