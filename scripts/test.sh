#!/usr/bin/env bash
# Run the whole test suite. Installs what it needs: the Python packages, Debian's chromium for the browser
# tests and axe-core (npm) for their accessibility scan. DATABASE_URL chooses PostgreSQL; without it the tests
# run on SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_env.sh requirements-dev.txt
if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi
if [ ! -f tests/e2e/node_modules/axe-core/axe.min.js ]; then
  # axe-core, from the npm registry at the version tests/e2e/package-lock.json pins, for the accessibility scan.
  if ! command -v npm >/dev/null 2>&1; then
    echo "Installing Debian's npm for the accessibility tests..."
    sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq npm >/dev/null
  fi
  echo "Installing axe-core for the accessibility tests..."
  npm ci --prefix tests/e2e --no-audit --no-fund --silent
fi
exec python -m pytest "$@"
