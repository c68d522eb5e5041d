#!/usr/bin/env bash
# Set up everything the app needs on Debian/Ubuntu (system libraries for Qt,
# a virtual environment with the package), then run the app or the tests.
#
#   bash scripts/bootstrap.sh app  [ARGS...]   open the app (default project: the sample corpus)
#   bash scripts/bootstrap.sh test [PYTEST ARGS...]   run the whole test suite (also installs
#                                                    what the tests use: Chromium, the desktop
#                                                    file validators)
#   bash scripts/bootstrap.sh cli  [ARGS...]   run workbench-cli
#
# Re-running is fast: packages are installed only when missing or when
# pyproject.toml changed. PYTHON=/path/to/python3.11 picks the interpreter.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
STAMP="$VENV/.bootstrap-stamp"

# Libraries Qt's xcb and offscreen platforms load, and fontconfig. (The app
# ships its own Arabic fonts, Amiri and Noto Sans Arabic, as Python packages.)
QT_DEBS=(
  libgl1 libegl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3
  libxkbcommon0 libxkbcommon-x11-0 libx11-xcb1 libxcb1 libxcb-cursor0
  libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render0
  libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-xfixes0
  libxcb-xkb1 libxcb-util1 fontconfig
)
# What the tests use besides: Chromium for the agreement report's screenshot
# (tests/test_agreement_html.py), the validators of the desktop entry, the
# AppStream metainfo and the shared-mime-info file (tests/test_desktop_files.py), and
# patchelf for the bundle check on a crafted library (tests/test_packaging.py).
TEST_DEBS=(chromium desktop-file-utils appstream shared-mime-info patchelf)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else echo "Need root to install system packages: $*" >&2; exit 1
  fi
}

install_debs() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if ! command -v apt-get >/dev/null; then
      echo "Please install these system packages: ${missing[*]}" >&2
      return 0
    fi
    say "Installing system packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

pick_python() {
  if [ -n "${PYTHON:-}" ]; then echo "$PYTHON"; return; fi
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      command -v "$candidate"; return
    fi
  done
  echo "Python 3.11 or newer is needed (apt-get install python3)" >&2; exit 1
}

setup() {
  command -v dpkg-query >/dev/null && install_debs "${QT_DEBS[@]}"
  local python; python="$(pick_python)"
  if [ ! -x "$VENV/bin/python" ]; then
    say "Creating the virtual environment in .venv"
    if ! "$python" -m venv "$VENV" 2>/dev/null; then
      rm -rf "$VENV"
      install_debs python3-venv
      "$python" -m venv "$VENV"
    fi
  fi
  local want; want="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
  if [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
    say "Installing workbench and its dependencies"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
    # The distribution was called "workbench" before (on PyPI that is an unrelated project):
    # remove that old install of this checkout so the two do not share the commands.
    # (grep reads all of it: with -q it would stop early, pip would get SIGPIPE, and pipefail would say no)
    if "$VENV/bin/python" -m pip show workbench 2>/dev/null | grep -xF "Editable project location: $ROOT" >/dev/null; then
      "$VENV/bin/python" -m pip uninstall -q -y --disable-pip-version-check workbench
    fi
    # Every optional extra too: the export formats (spacy, hf, xmi) and the test tools.
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$ROOT[spacy,hf,xmi,test]"
    echo "$want" > "$STAMP"
  fi
}

cmd="${1:-app}"; shift || true
case "$cmd" in
  app)
    setup
    if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ] && [ "$(uname)" = Linux ]; then
      echo "No display found (DISPLAY is not set): run this from a desktop session." >&2
      exit 1
    fi
    exec "$VENV/bin/workbench" "$@" ;;
  test)
    setup
    # Not fatal: without them the tests check what they can in Python (see the tests' docstrings).
    if command -v dpkg-query >/dev/null; then
      ( install_debs "${TEST_DEBS[@]}" ) || say "Could not install ${TEST_DEBS[*]}; the tests that use them will check less or skip"
    fi
    cd "$ROOT"
    # The whole suite runs on every core, a file's tests on one worker (their fixtures and
    # windows stay together); with arguments (-k, a file), pytest runs as asked.
    if [ $# -eq 0 ]; then set -- -n auto --dist loadfile; fi
    exec "$VENV/bin/python" -m pytest "$@" ;;
  cli)
    setup
    exec "$VENV/bin/workbench-cli" "$@" ;;
  *)
    echo "usage: bash scripts/bootstrap.sh app|test|cli [ARGS...]" >&2; exit 2 ;;
esac
