#!/usr/bin/env bash
# Prepare a machine to run Một Cửa from this checkout: the Debian libraries Qt
# needs (installed when run as root, else the exact apt line is printed), a
# virtual environment in .venv, and the Python packages of pyproject.toml.
# Sourced by scripts/motcua and scripts/test; safe to run again (it only does
# what is missing).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

# Shared libraries of the Qt wheels (PySide6-Essentials) on Debian 12.
QT_DEBS=(libegl1 libgl1 libglib2.0-0 libdbus-1-3 libfontconfig1 libfreetype6
         libxkbcommon0 libxkbcommon-x11-0 libx11-xcb1 libxcb1 libxcb-cursor0
         libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-randr0 libxcb-render-util0
         libxcb-shape0 libxcb-xfixes0 libxcb-xkb1 libxcb-sync1 libxcb-shm0)
# Digitisation: SANE's scanimage (scanners; its `test` device is what the tests scan
# from, through their own SANE_CONFIG_DIR, so /etc/sane.d is left as it is) and
# Tesseract with the Vietnamese model (OCR). The app runs without them (file import
# only, no OCR) and says what installing them adds.
DIGITISATION_DEBS=(sane-utils libsane1 tesseract-ocr tesseract-ocr-vie)
# More Debian packages a caller needs (space-separated).
read -r -a EXTRA_DEBS <<< "${MOTCUA_EXTRA_DEBS:-}"

missing_debs() {
  local p
  for p in "${QT_DEBS[@]}" "${DIGITISATION_DEBS[@]}" ${EXTRA_DEBS[@]+"${EXTRA_DEBS[@]}"}; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

if command -v dpkg-query >/dev/null 2>&1; then
  mapfile -t MISSING < <(missing_debs)
  if [ "${#MISSING[@]}" -gt 0 ]; then
    if [ "$(id -u)" = "0" ]; then
      echo "bootstrap: installing Debian packages: ${MISSING[*]}" >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >/dev/null
      apt-get install -y -qq --no-install-recommends "${MISSING[@]}" >/dev/null
    else
      echo "bootstrap: Qt, scanning and OCR need these Debian packages; install them once with:" >&2
      echo "  sudo apt-get install -y ${MISSING[*]}" >&2
    fi
  fi
fi

pick_python() {
  local c
  for c in python3.13 python3.12 python3.11 python3; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$c"; return 0
    fi
  done
  echo "bootstrap: Python 3.11 or newer is required (apt-get install python3 python3-venv)" >&2
  return 1
}

if [ ! -x "$VENV/bin/python" ]; then
  PY="$(pick_python)"
  echo "bootstrap: creating $VENV with $PY" >&2
  "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
fi

# Reinstall only when the dependency list changed.
STAMP="$VENV/.motcua-deps"
WANT="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ]; then
  echo "bootstrap: installing Python packages into $VENV" >&2
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$ROOT[test]" 2>&1 \
    | grep -v "^WARNING: Location" >&2 || true
  "$VENV/bin/python" -c "import PySide6, sqlalchemy, alembic" >/dev/null
  echo "$WANT" > "$STAMP"
fi
