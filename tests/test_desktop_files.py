"""Desktop integration files: named after the app id, valid for the desktop and for software centres,
and declaring the file types the app opens (.wbproj, .wbbundle, .wbwork).

The validators (desktop-file-validate, appstreamcli, update-mime-database) are installed by
``bash scripts/bootstrap.sh test``; where one is missing, the rules it would check that can be
written down here are checked in Python instead, so nothing is skipped.
"""

from __future__ import annotations

import configparser
import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from workbench import APP_ID, __version__
from workbench.core.paths import PROJECT_SUFFIX

ROOT = Path(__file__).resolve().parents[1]
LINUX = ROOT / "packaging" / "linux"
[METAINFO] = LINUX.glob("*.metainfo.xml")
DESKTOP_ID = ET.parse(METAINFO).getroot().findtext("id")
DESKTOP = LINUX / f"{DESKTOP_ID}.desktop"
MIME = LINUX / f"{DESKTOP_ID}.mime.xml"
HICOLOR = LINUX / "icons" / "hicolor"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FILE_TYPES = {
    "application/x-workbench-project": PROJECT_SUFFIX,
    "application/x-workbench-bundle": ".wbbundle",
    "application/x-workbench-work": ".wbwork",
}


def desktop_entry() -> configparser.SectionProxy:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(DESKTOP, encoding="utf-8")
    return entry["Desktop Entry"]


def listed(value: str) -> list[str]:
    assert value.endswith(";"), f"a desktop-entry list ends with ';': {value!r}"
    return value[:-1].split(";")


# --- the app id (AppStream component id, .desktop name, icons) --------------------------------


def test_desktop_id_follows_the_appstream_rules():
    """Reverse-DNS, at least three parts, lowercase (appstreamcli --pedantic: cid-contains-uppercase-letter),
    each part starting with a letter, only [a-z0-9_] inside a part (no hyphens)."""
    parts = DESKTOP_ID.split(".")
    assert len(parts) >= 3, DESKTOP_ID
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", part) for part in parts), DESKTOP_ID
    assert DESKTOP.exists() and MIME.exists()


def test_the_app_announces_the_desktop_id():
    # the window calls QGuiApplication.setDesktopFileName(APP_ID): the desktop matches it to the entry
    assert APP_ID == DESKTOP_ID


def test_desktop_file_names_the_app_its_icon_and_file_types():
    group = desktop_entry()
    assert group["Type"] == "Application"
    assert group["Icon"] == DESKTOP_ID
    assert group["Exec"].split()[0] == "workbench"  # the executable of the bundle (install.sh makes it absolute)
    assert group["Exec"].split()[1] in ("%f", "%F")  # the file that was opened is passed to the app
    assert group["StartupWMClass"] == "Workbench"  # Qt's WM_CLASS: the application name
    assert set(listed(group["MimeType"])) == set(FILE_TYPES)


def test_metainfo_matches_the_app():
    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == DESKTOP_ID
    launchable = root.find("launchable")
    assert launchable.get("type") == "desktop-id" and launchable.text == DESKTOP.name
    assert __version__ in [r.get("version") for r in root.iter("release")]
    assert {b.text for b in root.iter("binary")} == {"workbench", "workbench-cli"}
    assert {m.text for m in root.iter("mediatype")} == set(FILE_TYPES)
    assert root.findtext("project_license") == "MIT"


def test_mime_package_declares_the_three_file_types():
    root = ET.parse(MIME).getroot()
    assert root.tag == f"{MIME_NS}mime-info"
    types = {t.get("type"): t for t in root.findall(f"{MIME_NS}mime-type")}
    assert set(types) == set(FILE_TYPES)
    for name, suffix in FILE_TYPES.items():
        kind = types[name]
        assert [g.get("pattern") for g in kind.findall(f"{MIME_NS}glob")] == [f"*{suffix}"]
        comments = {c.get(XML_LANG): c.text for c in kind.findall(f"{MIME_NS}comment")}
        assert comments.get(None) and comments.get("ar"), f"{name}: an English and an Arabic comment"
        assert kind.find(f"{MIME_NS}icon").get("name") == DESKTOP_ID
    # a project is an SQLite file, the bundles are zip files: file managers fall back on those
    assert (
        types["application/x-workbench-project"].find(f"{MIME_NS}sub-class-of").get("type") == "application/vnd.sqlite3"
    )
    for name in ("application/x-workbench-bundle", "application/x-workbench-work"):
        assert types[name].find(f"{MIME_NS}sub-class-of").get("type") == "application/zip"


def test_install_script_installs_the_file_types():
    script = (LINUX / "install.sh").read_text(encoding="utf-8")
    assert f"APP_ID={DESKTOP_ID}\n" in script
    assert 'cp "$HERE/share/mime/packages/$APP_ID.xml" "$SHARE/mime/packages/"' in script
    assert "update-mime-database" in script
    build = (ROOT / "packaging" / "build.sh").read_text(encoding="utf-8")
    assert 'cp "packaging/linux/$APP_ID.mime.xml" "$BUNDLE/share/mime/packages/$APP_ID.xml"' in build


# --- the validators, or their rules in Python where one is missing ------------------------------

DESKTOP_KEYS = {
    "Type", "Version", "Name", "GenericName", "NoDisplay", "Comment", "Icon", "Hidden", "OnlyShowIn",
    "NotShowIn", "DBusActivatable", "TryExec", "Exec", "Path", "Terminal", "Actions", "MimeType",
    "Categories", "Implements", "Keywords", "StartupNotify", "StartupWMClass", "URL", "PrefersNonDefaultGPU",
    "SingleMainWindow",
}  # fmt: skip
MAIN_CATEGORIES = {
    "AudioVideo", "Audio", "Video", "Development", "Education", "Game", "Graphics", "Network", "Office",
    "Science", "Settings", "System", "Utility",
}  # fmt: skip


def desktop_rules() -> list[str]:
    """What desktop-file-validate would say, for the rules of the Desktop Entry spec this file uses."""
    errors = []
    group = desktop_entry()
    for key in group:
        base = key.split("[")[0]
        if base not in DESKTOP_KEYS and not base.startswith("X-"):
            errors.append(f"unknown key {key}")
    for key in ("Type", "Name", "Exec"):
        if key not in group:
            errors.append(f"required key {key} missing")
    for key in ("Categories", "MimeType", "Keywords"):
        if key in group and not group[key].endswith(";"):
            errors.append(f"{key} does not end with ';'")
    if not MAIN_CATEGORIES & set(listed(group["Categories"])):
        errors.append("no main category")
    for key in ("Terminal", "StartupNotify"):
        if group.get(key) not in (None, "true", "false"):
            errors.append(f"{key} is not a boolean")
    for mime in listed(group.get("MimeType", ";")) if group.get("MimeType") else []:
        if not re.fullmatch(r"[a-z]+/[a-z0-9.+-]+", mime):
            errors.append(f"bad MIME type {mime}")
    return errors


def test_desktop_file_is_valid():
    assert desktop_rules() == []
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True, timeout=60)
        output = result.stdout + result.stderr
        assert result.returncode == 0 and "error:" not in output and "warning:" not in output, output


def test_metainfo_is_valid_even_pedantically():
    root = ET.parse(METAINFO).getroot()
    for tag in ("id", "name", "summary", "metadata_license", "project_license", "description", "launchable"):
        assert root.find(tag) is not None, f"<{tag}> is required"
    assert root.findtext("metadata_license") in ("CC0-1.0", "FSFAP", "MIT", "CC-BY-3.0", "CC-BY-4.0")
    assert not root.findtext("summary").endswith("."), "a summary does not end with a full stop"
    if shutil.which("appstreamcli"):
        result = subprocess.run(
            ["appstreamcli", "validate", "--pedantic", "--no-net", str(METAINFO)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        output = result.stdout + result.stderr
        assert result.returncode == 0, output
        assert not re.search(r"^[EWIP]: ", output, re.MULTILINE), output  # not even a pedantic hint


def test_mime_package_is_read_by_update_mime_database(tmp_path):
    if shutil.which("update-mime-database") is None:
        return  # the XML checks above are what it would need; bootstrap.sh test installs it
    (tmp_path / "packages").mkdir()
    shutil.copy(MIME, tmp_path / "packages" / f"{DESKTOP_ID}.xml")
    subprocess.run(["update-mime-database", str(tmp_path)], check=True, capture_output=True, timeout=60)
    globs = (tmp_path / "globs2").read_text(encoding="utf-8")
    for name, suffix in FILE_TYPES.items():
        assert f":{name}:*{suffix}" in globs


# --- icons ---------------------------------------------------------------------------------------


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_icons_every_size_and_the_svg():
    for size in SIZES:
        path = HICOLOR / f"{size}x{size}" / "apps" / f"{DESKTOP_ID}.png"
        assert path.exists(), f"{path} is missing: run packaging/make_icons.py"
        assert png_size(path) == (size, size)
    svg = HICOLOR / "scalable" / "apps" / f"{DESKTOP_ID}.svg"
    master = ROOT / "resources" / "icons" / "workbench.svg"
    assert svg.read_bytes() == master.read_bytes(), "the icons are stale: run packaging/make_icons.py"
