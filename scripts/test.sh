#!/usr/bin/env bash
# Run the whole test suite. Installs what it needs: the Python packages, and Debian's chromium for the
# browser tests. DATABASE_URL chooses PostgreSQL; without it the tests run on SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_env.sh requirements-dev.txt
if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi
exec python -m pytest "$@"
