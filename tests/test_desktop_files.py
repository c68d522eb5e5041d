"""Desktop integration files: named after the app id, valid for the desktop and for software centres."""

from __future__ import annotations

import configparser
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from workbench import APP_ID, __version__

ROOT = Path(__file__).resolve().parents[1]
LINUX = ROOT / "packaging" / "linux"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
HICOLOR = LINUX / "icons" / "hicolor"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def run_validator(*args: str) -> subprocess.CompletedProcess:
    if shutil.which(args[0]) is None:
        pytest.skip(f"{args[0]} is not installed (apt-get install desktop-file-utils appstream)")
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


def test_desktop_file_passes_desktop_file_validate():
    result = run_validator("desktop-file-validate", str(DESKTOP))
    output = result.stdout + result.stderr
    assert result.returncode == 0 and "error:" not in output and "warning:" not in output, output


def test_metainfo_passes_appstreamcli_validate():
    result = run_validator("appstreamcli", "validate", "--no-net", str(METAINFO))
    assert result.returncode == 0, result.stdout + result.stderr


def test_desktop_file_names_the_app_and_its_icon():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(DESKTOP, encoding="utf-8")
    group = entry["Desktop Entry"]
    assert group["Icon"] == APP_ID
    assert group["Exec"].split()[0] == "workbench"  # the executable of the bundle (install.sh makes it absolute)
    assert group["StartupWMClass"] == "Workbench"  # Qt's WM_CLASS: the application name


def test_metainfo_matches_the_app():
    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP.name
    assert __version__ in [r.get("version") for r in root.iter("release")]
    assert {b.text for b in root.iter("binary")} == {"workbench", "workbench-cli"}


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_icons_every_size_and_the_svg():
    for size in SIZES:
        path = HICOLOR / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert path.exists(), f"{path} is missing: run packaging/make_icons.py"
        assert png_size(path) == (size, size)
    svg = HICOLOR / "scalable" / "apps" / f"{APP_ID}.svg"
    master = ROOT / "resources" / "icons" / "workbench.svg"
    assert svg.read_bytes() == master.read_bytes(), "the icons are stale: run packaging/make_icons.py"
