#!/usr/bin/env bash
# Real-browser test of the widget gallery: serve nbs/13_gallery.ipynb with Voilà on 127.0.0.1, drive Debian's Chromium
# with playwright-core, move every control of every widget, and check that its figure and its caption change.
# Installs what it needs (Debian's chromium, playwright-core from npm; never a downloaded browser). Screenshots go to
# tests/browser/artifacts/ (git-ignored). Every process it starts is stopped by PID. Run from the repository root with
# the project's virtual environment active (voila is a dev requirement).
set -euo pipefail
cd "$(dirname "$0")"
here=$(pwd); root=$(cd ../.. && pwd)
art="$here/artifacts"; rm -rf "$art"; mkdir -p "$art"

if [ ! -x /usr/bin/chromium ]; then
  echo "browser test: installing Debian's chromium"
  if [ "$(id -u)" -eq 0 ]; then sudo_=""; else sudo_="sudo"; fi
  $sudo_ apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq chromium > "$art/apt.log" 2>&1
fi
if [ ! -d node_modules/playwright-core ]; then
  echo "browser test: installing playwright-core from npm"
  npm install --no-audit --no-fund --no-package-lock > "$art/npm.log" 2>&1
fi
command -v voila > /dev/null || { echo "browser test: voila is not installed (pip install -e '.[dev]')"; exit 1; }

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
t0=$(date +%s.%N)
voila "$root/nbs/13_gallery.ipynb" --no-browser --port="$port" --Voila.ip=127.0.0.1 > "$art/voila.log" 2>&1 &
voila_pid=$!
cleanup() { kill "$voila_pid" 2> /dev/null || true; wait "$voila_pid" 2> /dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 120); do
  if python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/', timeout=1)" 2> /dev/null; then break; fi
  if ! kill -0 "$voila_pid" 2> /dev/null; then echo "browser test: voila exited"; cat "$art/voila.log"; exit 1; fi
  sleep 0.25
done
echo "browser test: voila (pid $voila_pid) answers on 127.0.0.1:$port after $(python3 -c "print(f'{$(date +%s.%N) - $t0:.1f}')") s"
GALLERY_URL="http://127.0.0.1:$port/" ARTIFACTS="$art" node "$here/gallery.test.mjs"
