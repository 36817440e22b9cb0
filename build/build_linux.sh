#!/usr/bin/env bash
# Build the one-folder app with PyInstaller and smoke-test it:
#   bash build/build_linux.sh            # → dist/motcua/ (motcua, _internal/)
# After PyInstaller, ICU's data is trimmed to what Qt uses (build/trim_icu.py: 31 MB →
# 3 MB; needs icupkg and gcc, installed with the other Debian packages when run as root).
# The smoke test starts the frozen app offscreen on a copy of the oldest fixture
# database (schema 0001), which it must back up and migrate; it imports every module,
# builds and opens every area of the main window, draws the dashboard's chart, shows a
# PDF in the viewer, checks Vietnamese sorting and holidays, closes it and must exit 0.
# The folder size is printed (budget 180 MB).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export MOTCUA_EXTRA_DEBS="${MOTCUA_EXTRA_DEBS:-} icu-devtools gcc"
source "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
"$ROOT/.venv/bin/python" -m pip install -q --disable-pip-version-check "pyinstaller>=6.10"
"$ROOT/.venv/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath "$ROOT/dist" --workpath "$ROOT/build/.work" build/motcua.spec
app="$ROOT/dist/motcua"
"$ROOT/.venv/bin/python" build/trim_icu.py "$app/_internal/PySide6/Qt/lib"
data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT
cp "$ROOT/tests/fixtures/schemas/schema-0001.db" "$data/motcua.db"
QT_QPA_PLATFORM=offscreen "$app/motcua" --data-dir "$data" smoke
ls "$data/backups/"*before-migration* >/dev/null  # it backed the old database up first
echo "build: largest parts of $app/_internal:"
du -sh "$app/_internal/"* | sort -rh | sed -n '1,12s/^/  /p'  # sed reads it all: no SIGPIPE under pipefail
size_mb="$(du -sm "$app" | cut -f1)"
echo "build: $(du -sh "$app" | cut -f1) in $app (budget 180 MB)"
if [ "$size_mb" -gt 180 ]; then
  echo "build: WARNING — the folder is over the 180 MB budget (${size_mb} MB)" >&2
fi
