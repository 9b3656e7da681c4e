#!/usr/bin/env bash
# npm run test:cluster: a real one-node Slurm on this machine (scripts/slurm-up.sh, as root), a
# study submitted through it and compared with a direct run (test/cluster/), and the pandas
# reading of the study tables (test/study/tables.test.ts) with python3-pandas required.
# Fails with a clear message when Slurm cannot be started; stops the daemons at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "test:cluster: $*" >&2; exit 1; }
if ! /usr/bin/python3 -c "import pandas" 2>/dev/null; then
  echo "test:cluster: installing python3-pandas (apt-get)" >&2
  { apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq python3-pandas >/dev/null; } || fail "cannot install python3-pandas"
fi
scripts/slurm-up.sh >/dev/null || fail "could not start Slurm (munged, slurmctld, slurmd): see the messages above"
trap 'scripts/slurm-down.sh' EXIT
npm run build >/dev/null
GLASSMECH_CLUSTER=1 GLASSMECH_REQUIRE_TOOLS=1 node --test --test-reporter=spec dist/test/cluster/ dist/test/study/tables.test.js
