#!/usr/bin/env bash
# Starts the app in demo mode: embedded SQLite in the user's data folder (demo/), demo
# catalogue and one user per role (password Demo2026), simulated devices where none is
# attached. Installs what it needs on first run.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh" app
venv="${POS_VENV:-$root/.venv}"

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "run-demo: no display found (DISPLAY/WAYLAND_DISPLAY unset)." >&2
  echo "  On a desktop session it opens a window; on a server use: xvfb-run -a $0" >&2
  echo "  or QT_QPA_PLATFORM=offscreen $0 to run without showing anything." >&2
  exit 2
fi
exec "$venv/bin/pharmacy-pos" --demo "$@"
