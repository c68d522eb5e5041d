"""Write THIRD_PARTY_NOTICES.md: what the app ships or installs from others, under which licence.

    .venv/bin/python scripts/third_party_notices.py           write THIRD_PARTY_NOTICES.md
    .venv/bin/python scripts/third_party_notices.py --check   exit 1 if it names other distributions

The runtime distributions are the ``[project] dependencies`` of pyproject.toml (and those of the
optional extras the desktop bundle carries, ``BUNDLED_EXTRAS``) and, recursively, what they require (no extras, markers evaluated for this Python), read from the installed
distributions' metadata (``importlib.metadata``): name, version, licence expression (or the
licence classifiers), home page, and the text of every licence file each one ships in its
``.dist-info/licenses/`` (or as ``LICENSE*``, ``COPYING*``, ``NOTICE*``). Python itself is added
(the desktop bundle carries it), and the texts of the LGPL and GPL version 3 for Qt and PySide6,
whose wheels ship none (``packaging/licenses/``). Run it after changing the dependencies or
upgrading them; ``tests/test_packaging.py`` checks that the file names the distributions that
pyproject.toml asks for.
"""

from __future__ import annotations

import argparse
import re
import sys
import sysconfig
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "THIRD_PARTY_NOTICES.md"
LICENSES = ROOT / "packaging" / "licenses"  # texts the distributions refer to but do not ship

LICENCE_FILE = re.compile(r"^(LICEN[CS]E|COPYING|NOTICE|AUTHORS)([.\-_].*)?$", re.IGNORECASE)
# Extras the desktop bundle carries (packaging/workbench.spec leaves out spacy and hf, not these):
# bootstrap.sh installs them in the build environment and PyInstaller follows their imports.
BUNDLED_EXTRAS = ("xmi",)
# Distributions whose wheels ship no licence text: the texts their licence names.
REFERENCED_TEXTS = {
    "pyside6-essentials": ["LGPL-3.0.txt", "GPL-3.0.txt"],
    "shiboken6": ["LGPL-3.0.txt", "GPL-3.0.txt"],
}
QT_NOTE = """\
PySide6 and the Qt libraries it carries (`PySide6/Qt/lib/libQt6*.so.6` and its plugins) are used
under the **GNU Lesser General Public License version 3** (LGPL-3.0-only); the texts of the LGPL
and of the GPL version 3 it builds on are below. The source code of this version is at
<https://code.qt.io/cgit/pyside/pyside-setup.git/> (tag `v{version}`) and
<https://code.qt.io/cgit/qt/qt5.git/> (tag `v{version}`, with its submodules qtbase, qtsvg,
qtwayland, qtdeclarative …), also as archives under <https://download.qt.io/official_releases/>.
Workbench does not modify them. In the desktop bundle they stay separate shared libraries in
`_internal/PySide6/` (and `_internal/shiboken6/`): you may replace them with a compatible build of
your own, modified or not, and the app will load yours. Qt's own third-party components are
listed at <https://doc.qt.io/qt-6/licenses-used-in-qt.html>.
"""


def normalise(name: str) -> str:
    """PEP 503: ``PySide6_Essentials`` and ``pyside6-essentials`` are the same distribution."""
    return re.sub(r"[-_.]+", "-", name).lower()


def project_requirements(pyproject: Path = ROOT / "pyproject.toml") -> tuple[str, list[str]]:
    """The distribution's name, and its dependencies with those of the extras the bundle carries."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    extras = project.get("optional-dependencies", {})
    return project["name"], list(project["dependencies"]) + [r for e in BUNDLED_EXTRAS for r in extras[e]]


def runtime_distributions(pyproject: Path = ROOT / "pyproject.toml") -> dict[str, metadata.Distribution]:
    """Normalised name -> installed distribution, for every runtime dependency, recursively."""
    env = {**default_environment(), "extra": ""}
    _, todo = project_requirements(pyproject)
    found: dict[str, metadata.Distribution] = {}
    while todo:
        req = Requirement(todo.pop())
        if req.marker is not None and not req.marker.evaluate(env):
            continue
        key = normalise(req.name)
        if key in found:
            continue
        try:
            dist = metadata.distribution(req.name)
        except metadata.PackageNotFoundError:
            raise SystemExit(f"{req.name} is not installed: run bash scripts/bootstrap.sh first") from None
        found[key] = dist
        todo.extend(dist.requires or [])
    return dict(sorted(found.items()))


def licence_of(meta) -> str:
    expression = meta.get("License-Expression")
    if expression:
        return expression
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    if classifiers:
        return "; ".join(classifiers)
    text = (meta.get("License") or "").strip()
    return text.splitlines()[0] if text and len(text) < 200 else "see the licence text below"


def homepage_of(meta) -> str:
    if meta.get("Home-page"):
        return meta["Home-page"]
    urls = {}
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        urls[label.strip().lower()] = url.strip()
    for label in ("homepage", "home", "source", "repository", "source code", "documentation"):
        if label in urls:
            return urls[label]
    return next(iter(urls.values()), "")


def licence_files(dist: metadata.Distribution) -> list[tuple[str, str]]:
    """(path inside the distribution, text) of each licence file it ships."""
    files = []
    for path in dist.files or []:
        parts = path.parts
        if not parts[0].endswith(".dist-info"):
            continue
        in_licenses = len(parts) > 2 and parts[1] == "licenses"
        if in_licenses or (len(parts) == 2 and LICENCE_FILE.match(parts[-1])):
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            files.append((path.as_posix(), text))
    return sorted(files)


def fence(text: str) -> str:
    ticks = "```"
    while ticks in text:
        ticks += "`"
    return f"{ticks}text\n{text.rstrip()}\n{ticks}"


def section(name: str, version: str, licence: str, homepage: str, texts: list[tuple[str, str]], note: str = "") -> str:
    lines = [f"## {name} {version}", "", f"- Licence: {licence}"]
    if homepage:
        lines.append(f"- Home page: <{homepage}>")
    if not texts:
        lines.append("- The distribution ships no licence file.")
    lines.append("")
    if note:
        lines += [note, ""]
    for path, text in texts:
        lines += [f"### {path}", "", fence(text), ""]
    return "\n".join(lines)


def render(pyproject: Path = ROOT / "pyproject.toml") -> str:
    own, _ = project_requirements(pyproject)
    dists = runtime_distributions(pyproject)
    head = [
        "# Third-party notices",
        "",
        f"{own} (MIT, see `LICENSE`) uses the software below at run time. The desktop bundle carries",
        "all of it, and Python; a pip installation installs the distributions (this file is generated",
        "by `scripts/third_party_notices.py` from the installed distributions' metadata on Linux,",
        f"CPython {sys.version_info.major}.{sys.version_info.minor}; do not edit it by hand). The distributions of the",
        f"optional extras the bundle carries ({', '.join(BUNDLED_EXTRAS)}) are listed too: pip installs them only",
        "with the extra.",
        "",
        "The bundle also carries a few system libraries of the machine it was built on (the X11/xcb",
        "extension libraries, libxkbcommon, OpenSSL, libffi, expat, zlib, and others PyInstaller",
        "collects), each under its own free licence (MIT/X11, Apache-2.0, zlib, BSD); see",
        "`packaging/README.md`.",
        "",
        "| distribution | version | licence |",
        "| --- | --- | --- |",
    ]
    for dist in dists.values():
        head.append(f"| {dist.metadata['Name']} | {dist.version} | {licence_of(dist.metadata)} |")
    head += ["| Python | " + ".".join(map(str, sys.version_info[:3])) + " | PSF-2.0 |", ""]
    body = []
    for key, dist in dists.items():
        meta = dist.metadata
        texts = licence_files(dist)
        note = ""
        if key in REFERENCED_TEXTS:
            note = QT_NOTE.format(version=dist.version) if key == "pyside6-essentials" else "See PySide6-Essentials."
            if key == "pyside6-essentials":
                texts += [
                    (f"packaging/licenses/{n}", (LICENSES / n).read_text(encoding="utf-8"))
                    for n in REFERENCED_TEXTS[key]
                ]
        body.append(section(meta["Name"], dist.version, licence_of(meta), homepage_of(meta), texts, note))
    python_licence = Path(sysconfig.get_paths()["stdlib"], "LICENSE.txt")
    python_texts = (
        [("Python's LICENSE.txt", python_licence.read_text(encoding="utf-8"))] if python_licence.exists() else []
    )
    version = ".".join(map(str, sys.version_info[:3]))
    body.append(
        section(
            "Python",
            version,
            "PSF-2.0",
            "https://www.python.org/",
            python_texts,
            "The desktop bundle carries the Python runtime (`_internal/libpython3.*.so`) and its standard library.",
        )
    )
    return "\n".join(head) + "\n" + "\n".join(body).rstrip() + "\n"


NAME_LINE = re.compile(r"^\| ([A-Za-z0-9][A-Za-z0-9._-]*) \| \S+ \| .* \|$")


def listed_names(notices: str) -> set[str]:
    """The normalised distribution names in a notices file's table (Python excluded)."""
    names = {normalise(m.group(1)) for m in map(NAME_LINE.match, notices.splitlines()) if m}
    return names - {"distribution", "python"}  # the header row, and Python itself


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the file names the runtime distributions")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if args.check:
        want = set(runtime_distributions())
        have = listed_names(args.out.read_text(encoding="utf-8")) if args.out.exists() else set()
        if want != have:
            print(
                f"{args.out.name} is out of date (missing: {sorted(want - have)}, no longer needed: {sorted(have - want)}); "
                "regenerate it with: .venv/bin/python scripts/third_party_notices.py",
                file=sys.stderr,
            )
            return 1
        return 0
    args.out.write_text(render(), encoding="utf-8")
    print(f"wrote {args.out} ({len(runtime_distributions())} distributions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
