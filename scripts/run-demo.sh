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
# Demo card reader: as root, when no pcscd runs, start one (it loads the vsmartcard-vpcd
# reader from /etc/reader.conf.d) and keep a virtual card with the `valid` holder in its
# first reader. A pcscd that is already running is left alone (a desktop's real reader);
# both are reused by the next run. Quiet: problems here only mean "no card reader".
start_demo_card_reader() {
  [ "$(id -u)" -eq 0 ] || return 0
  local pcscd_bin
  pcscd_bin="$(command -v pcscd || echo /usr/sbin/pcscd)"
  [ -x "$pcscd_bin" ] && [ -e /usr/lib/pcsc/drivers/serial/libifdvpcd.so ] || return 0
  local pid
  pid="$(tr -d '\0' 2>/dev/null </run/pcscd/pcscd.pid || true)"
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
    "$pcscd_bin" >/dev/null 2>&1 || return 0   # without --foreground it daemonises itself
  fi
  local card_pid_file="${TMPDIR:-/tmp}/pharmacy-pos-demo-card.pid"
  pid="$(cat "$card_pid_file" 2>/dev/null || true)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null \
      && grep -q virtual_card "/proc/$pid/cmdline" 2>/dev/null; then
    return 0
  fi
  # The card waits for pcscd's reader to listen, and comes back after a pcscd restart.
  nohup "$venv/bin/python" -m pharmacy_pos.devices.adapters.virtual_card --holder valid \
    >/dev/null 2>&1 &
  echo $! >"$card_pid_file"
}
start_demo_card_reader

exec "$venv/bin/pharmacy-pos" --demo "$@"
