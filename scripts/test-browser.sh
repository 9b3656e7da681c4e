#!/usr/bin/env bash
# npm run test:browser: the viewer and report in a real browser (test-browser/), with Debian's
# chromium driven by playwright-core (an npm devDependency; no browser is ever downloaded).
# Fails with a clear message when chromium is missing and cannot be installed, or cannot start.
set -euo pipefail
cd "$(dirname "$0")/.."
CHROMIUM=/usr/bin/chromium
if [ ! -x "$CHROMIUM" ]; then
  echo "test:browser: $CHROMIUM is missing; installing Debian's chromium (apt-get)" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  if ! { $SUDO apt-get update && $SUDO apt-get install -y chromium; }; then
    echo "test:browser: FAILED: cannot install chromium (apt-get install -y chromium); the browser tests did not run" >&2
    exit 1
  fi
fi
if ! node -e "import('playwright-core')" 2>/dev/null; then
  echo "test:browser: installing playwright-core (npm; no browser download)" >&2
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-save --no-audit --no-fund playwright-core
fi
if ! "$CHROMIUM" --headless --no-sandbox --disable-gpu --dump-dom about:blank >/dev/null 2>&1; then
  echo "test:browser: FAILED: $CHROMIUM does not start headless; the browser tests did not run" >&2
  exit 1
fi
npm run build
mkdir -p test-output
node --test --test-reporter=spec dist/test-browser/
