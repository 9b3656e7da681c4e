#!/usr/bin/env bash
# Cross-tool tests (npm run test:tools): installs Debian's python3-ase, python3-gsd and lammps,
# then runs the tests that use them with GLASSMECH_REQUIRE_TOOLS=1, which turns every "tool not
# available" skip into a failure (test/io/tools.ts). CI runs this as root after `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = "0" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-ase python3-gsd lammps >/dev/null
elif ! /usr/bin/python3 -c 'import ase, gsd' 2>/dev/null || ! command -v lmp >/dev/null; then
  echo "test:tools: not root and the tools are missing; run as root or install python3-ase python3-gsd lammps" >&2
  exit 1
fi
npm run build
GLASSMECH_REQUIRE_TOOLS=1 node --test --test-reporter=spec \
  dist/test/io/asePython.test.js dist/test/io/gsdPython.test.js \
  dist/test/io/lammpsWrittenDump.test.js dist/test/io/lammpsCrossCheck.test.js
