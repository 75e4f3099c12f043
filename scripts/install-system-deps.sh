#!/usr/bin/env bash
# Debian packages the tests and benchmarks use: a PostgreSQL server (started by the tests
# themselves), Chromium for the browser tests, fonts with Hebrew glyphs for screenshots, nginx
# (the load balancer in front of two app replicas in the replica test and the load benchmark) and npm.
# Installs only what is missing; needs root (or sudo) on a Debian machine.
set -euo pipefail
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
# The browser tests run Chromium's headless shell (tests/support/browser.py: less CPU per test).
[ -x /usr/bin/chromium-headless-shell ] || need+=(chromium-headless-shell)
[ -f /usr/share/fonts/truetype/noto/NotoSansHebrew-Regular.ttf ] || need+=(fonts-noto-core)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
[ -x /usr/sbin/nginx ] || need+=(nginx)
# npm installs axe-core (package-lock.json), the accessibility checker of the browser tests.
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing Debian packages: ${need[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
