#!/usr/bin/env bash
# Build VIG Studio as a one-folder app in dist/vigstudio/ with PyInstaller, then check that it starts.
# Needs the project .venv (./scripts/setup). Takes a few minutes; safe to run again (--clean).
#   packaging/build.sh            build + checks
#   packaging/build.sh --check    only run the checks against an existing dist/vigstudio/
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
[ -x "$PY" ] || { echo "build.sh: no .venv; run ./scripts/setup first" >&2; exit 1; }
APP=dist/vigstudio/vigstudio
CHECK=dist/vigstudio/vigstudio-bundle-check

if [ "${1:-}" != "--check" ]; then
  "$PY" -m pip install -q 'pyinstaller>=6.6'
  # The PNG app icons are committed; render them only if one is missing.
  for size in 16 24 32 48 64 128 256 512; do
    [ -f "resources/icons/vigstudio-$size.png" ] || { "$PY" packaging/render_icons.py >/dev/null; break; }
  done
  "$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/vigstudio.spec
fi

# Checks run headless, with a throwaway HOME so nothing touches the builder's own settings.
export QT_QPA_PLATFORM=offscreen
check_home=$(mktemp -d)
trap 'rm -rf "$check_home"' EXIT
export HOME="$check_home" XDG_CONFIG_HOME="$check_home/config" XDG_STATE_HOME="$check_home/state" \
  XDG_DATA_HOME="$check_home/data" XDG_CACHE_HOME="$check_home/cache"

fail() {  # the throwaway HOME is removed on exit, so show the app's log now
  echo "FAILED: $*" >&2
  find "$check_home" -name '*.log' -path '*vigstudio*' -exec tail -n 8 {} + >&2 2>/dev/null || true
  exit 1
}

want=$("$PY" -c 'import vigstudio; print(vigstudio.__version__)')
if ! got=$("$APP" --version 2>&1); then
  echo "FAILED: $APP --version exited non-zero: $got" >&2; exit 1
fi
case "$got" in
  *"$want"*) echo "ok   $APP --version: $got" ;;
  *) echo "FAILED: $APP --version printed '$got', expected version $want" >&2; exit 1 ;;
esac

# The CLI's own self-check, when it offers one.
if "$APP" --help 2>&1 | grep -q -- '--self-check'; then
  "$APP" --self-check || fail "$APP --self-check"
  echo "ok   $APP --self-check"
fi

# A real round trip through the frozen CLI: create a throwaway library and check every page of it.
if "$APP" --help 2>&1 | grep -q -E '^ +init '; then
  lib="$check_home/check-library"
  VIGSTUDIO_PASSPHRASE="bundle check passphrase" VIGSTUDIO_KDF_PROFILE=fast "$APP" init "$lib" >/dev/null \
    || fail "$APP init"
  VIGSTUDIO_PASSPHRASE="bundle check passphrase" "$APP" info "$lib" --check >/dev/null \
    || fail "$APP info --check"
  echo "ok   $APP init + info --check on a throwaway library"
fi

# The GUI starts (first-start screen, no library) and is still running after 10 s (timeout's 124).
rc=0; timeout 10 "$APP" >"$check_home/gui.log" 2>&1 || rc=$?
if [ "$rc" -eq 124 ]; then
  echo "ok   $APP (GUI) started and stayed up for 10 s"
else
  grep -v '^qt\.multimedia' "$check_home/gui.log" | tail -5 >&2
  fail "$APP (GUI) exited with $rc"
fi

# Every frozen part the app loads at run time: Qt + SVG icons, SQLCipher, migrations, PyAV, QtMultimedia.
"$CHECK" 2>/dev/null || { echo "FAILED: $CHECK (rerun it to see which part)" >&2; exit 1; }

echo "bundle: dist/vigstudio/ ($(du -sh dist/vigstudio | cut -f1))"
