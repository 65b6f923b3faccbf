#!/usr/bin/env bash
# Installs what pharmacy_pos needs on a Debian machine; fast and a no-op when nothing changed.
#   scripts/setup.sh app    the app: card stack, CJK fonts, Qt runtime, venv, project
#   scripts/setup.sh test   the same plus what the tests use (PostgreSQL server, ...)
# Called by scripts/run-demo.sh and scripts/run-tests.sh; safe to run again.
set -euo pipefail

profile="${1:-app}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${POS_VENV:-$root/.venv}"

app_packages=(
  python3 python3-venv python3-dev gcc
  swig libpcsclite-dev pcscd vsmartcard-vpcd
  fonts-noto-cjk
  libusb-1.0-0
  libegl1 libgl1 libglib2.0-0 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
  libx11-xcb1 libxcb-xkb1
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0
  libxcb-randr0 libxcb-render-util0 libxcb-image0
  tzdata
)
test_packages=(postgresql libreoffice-calc-nogui poppler-utils)  # exports opened as users would (issue 7)

packages=("${app_packages[@]}")
if [ "$profile" = "test" ]; then
  packages+=("${test_packages[@]}")
fi

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo_cmd=(sudo)
    else
      echo "setup: need root (or sudo) to install: ${missing[*]}" >&2
      exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  # Installing pcscd must not start a system service in a container without systemd.
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python_bin="${POS_PYTHON:-python3}"
if ! "$python_bin" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "setup: Python 3.11 or newer is required ($python_bin is $("$python_bin" -V 2>&1))" >&2
  exit 1
fi

if [ ! -x "$venv/bin/python" ]; then
  echo "setup: creating virtual environment $venv"
  "$python_bin" -m venv "$venv"
fi

# Reinstall only when the project's declared dependencies changed.
stamp="$venv/.pharmacy-pos-setup"
# (The same install serves both profiles: only the Debian packages differ.)
want="$(sha256sum "$root/pyproject.toml" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || ! grep -qx -- "$want" "$stamp" 2>/dev/null; then
  echo "setup: installing the project and its Python dependencies into $venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip setuptools wheel
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -e "$root[dev]"
  echo "$want" > "$stamp"
fi
