#!/usr/bin/env bash
# Installs Slurm and MUNGE from Debian, idempotently: slurmctld, slurmd and the client commands
# (sbatch, sinfo, squeue) plus munged. The deploy/ tests start their own single-node Slurm on
# loopback with these binaries (configuration, key and state in a temporary folder, nothing under
# /etc is used or changed) and skip when they are missing. The packages' own services are not
# used; where apt starts them they do not interfere (the tests use their own socket and ports).
#
# Usage: scripts/install-slurm.sh
set -euo pipefail
cd "$(dirname "$0")/.."

cmds=(slurmctld slurmd sbatch sinfo munged)
. scripts/lib/debs.sh
ensure_debs install-slurm slurm-wlm munge || {
  echo "install-slurm: the Slurm tests in deploy/ will skip" >&2
  exit 0
}

# The daemons live in /usr/sbin, which a non-root PATH may lack.
for c in "${cmds[@]}"; do
  if ! command -v "$c" >/dev/null && [ ! -x "/usr/sbin/$c" ]; then
    echo "install-slurm: $c is missing after the install" >&2
    exit 1
  fi
done
# (sinfo --version needs a slurm.conf; the daemons' -V does not.)
slurmd=$(command -v slurmd || echo /usr/sbin/slurmd)
munged=$(command -v munged || echo /usr/sbin/munged)
echo "install-slurm: $("$slurmd" -V 2>/dev/null || echo 'slurm version unknown'), $("$munged" --version 2>/dev/null | head -n 1 || echo 'munge version unknown')"
echo "install-slurm: done"
