# Sourced by the install scripts: installs Debian packages that are missing, idempotently.
#
# ensure_debs WHO PACKAGE...
#   Prints (prefixed by WHO) whether the packages are present or being installed. Installs the
#   missing ones with apt-get as root, or through sudo. Returns 1, having said so, when some are
#   missing and there is neither root nor sudo (the caller decides whether that is fatal); exits
#   with apt-get's last lines when the install itself fails.
ensure_debs() {
  local who=$1
  shift
  local missing=() p
  for p in "$@"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then
    echo "$who: Debian packages present: $*"
    return 0
  fi
  local apt_get=()
  if [ "$(id -u)" = 0 ]; then
    apt_get=(apt-get)
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    apt_get=(sudo -n apt-get)
  else
    echo "$who: not root and no sudo: cannot install ${missing[*]}" >&2
    return 1
  fi
  echo "$who: installing Debian packages: ${missing[*]}"
  local log
  log=$(mktemp)
  if ! {
    DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" -o DPkg::Lock::Timeout=600 update -qq &&
      DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
  } >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    rm -f "$log"
    echo "$who: apt-get install ${missing[*]} failed" >&2
    exit 1
  fi
  rm -f "$log"
}
