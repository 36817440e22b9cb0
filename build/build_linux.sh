#!/usr/bin/env bash
# Build the one-folder app with PyInstaller and smoke-test it:
#   bash build/build_linux.sh            # → dist/motcua/ (motcua, _internal/)
# The smoke test starts the frozen app offscreen on a copy of the oldest fixture
# database (schema 0001), which it must back up and migrate, opens every area of the
# main window, closes it and must exit 0. The folder size is printed (budget 180 MB).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
"$ROOT/.venv/bin/python" -m pip install -q --disable-pip-version-check "pyinstaller>=6.10"
"$ROOT/.venv/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath "$ROOT/dist" --workpath "$ROOT/build/.work" build/motcua.spec
app="$ROOT/dist/motcua"
data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT
cp "$ROOT/tests/fixtures/schemas/schema-0001.db" "$data/motcua.db"
QT_QPA_PLATFORM=offscreen "$app/motcua" --data-dir "$data" smoke
ls "$data/backups/"*before-migration* >/dev/null  # it backed the old database up first
echo "build: $(du -sh "$app" | cut -f1) in $app (budget 180 MB)"
