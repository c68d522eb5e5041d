#!/bin/sh
# Add Workbench to your desktop: menu entry, icon, file types, `workbench` and `workbench-cli` commands.
#
#   ./install.sh              for you (into ~/.local)
#   sudo ./install.sh         for everyone (PREFIX=/usr/local)
#   ./install.sh --uninstall  remove what it added
#
# The app stays where you unpacked it (this folder); move the folder first if
# you want it elsewhere, then run this again. Your projects are not here: they
# are in your data directory (~/.local/share/Workbench), and uninstalling leaves
# them alone.
set -eu

APP_ID=org.arabicnlp.workbench
HERE=$(cd "$(dirname "$0")" && pwd -P)
if [ -z "${PREFIX:-}" ]; then
  if [ "$(id -u)" -eq 0 ]; then PREFIX=/usr/local; else PREFIX="$HOME/.local"; fi
fi
SHARE="$PREFIX/share"

refresh() {
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$SHARE/applications" || true
  command -v update-mime-database >/dev/null 2>&1 && update-mime-database "$SHARE/mime" >/dev/null 2>&1 || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$SHARE/icons/hicolor" || true
}

if [ "${1:-}" = "--uninstall" ]; then
  rm -f "$PREFIX/bin/workbench" "$PREFIX/bin/workbench-cli" \
        "$SHARE/applications/$APP_ID.desktop" "$SHARE/metainfo/$APP_ID.metainfo.xml" \
        "$SHARE/mime/packages/$APP_ID.xml"
  find "$SHARE/icons/hicolor" -name "$APP_ID.*" -delete 2>/dev/null || true
  refresh
  echo "Removed Workbench from $PREFIX (the app folder $HERE and your projects are untouched)."
  exit 0
fi

mkdir -p "$PREFIX/bin" "$SHARE/applications" "$SHARE/metainfo" "$SHARE/mime/packages"
ln -sf "$HERE/workbench" "$PREFIX/bin/workbench"
ln -sf "$HERE/workbench-cli" "$PREFIX/bin/workbench-cli"
# The menu entry runs this folder's app, whether or not $PREFIX/bin is on PATH.
sed "s|^Exec=workbench |Exec=\"$HERE/workbench\" |" "$HERE/share/applications/$APP_ID.desktop" \
  > "$SHARE/applications/$APP_ID.desktop"
cp "$HERE/share/metainfo/$APP_ID.metainfo.xml" "$SHARE/metainfo/"
# .wbproj, .wbbundle and .wbwork files open in Workbench (the .desktop file's MimeType=).
cp "$HERE/share/mime/packages/$APP_ID.xml" "$SHARE/mime/packages/"
(cd "$HERE/share" && find icons -type f) | while read -r icon; do
  mkdir -p "$SHARE/$(dirname "$icon")"
  cp "$HERE/share/$icon" "$SHARE/$icon"
done
refresh
echo "Installed: Workbench is in your applications menu and opens .wbproj, .wbbundle and .wbwork files; 'workbench' and 'workbench-cli' are in $PREFIX/bin."
