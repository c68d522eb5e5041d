#!/usr/bin/env bash
# Refresh the translation sources from the code, then compile them for the app.
#   bash scripts/translations.sh
# Edit resources/translations/workbench_ar.ts with Qt Linguist (pyside6-linguist) in between.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/.venv/bin"
cd "$ROOT"
# The export registry (core, no Qt) marks the export dialog's texts with its own QT_TRANSLATE_NOOP.
"$BIN/pyside6-lupdate" workbench/ui/*.py workbench/core/export/formats.py -ts resources/translations/workbench_ar.ts
mkdir -p workbench/assets/translations
"$BIN/pyside6-lrelease" resources/translations/workbench_ar.ts -qm workbench/assets/translations/workbench_ar.qm
