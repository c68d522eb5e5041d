"""The wheel carries what the app needs at run time: sample corpus, icons, entry points."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [path] = out.glob("workbench-*.whl")
    with zipfile.ZipFile(path) as archive:
        yield archive


def test_wheel_contains_resources(wheel):
    names = set(wheel.namelist())
    corpus = sorted(n for n in names if n.startswith("workbench/corpus/") and n.endswith(".txt"))
    assert len(corpus) == 5
    assert "workbench/assets/icons/workbench.svg" in names
    assert not any(n.startswith("tests/") for n in names)


def test_wheel_declares_both_entry_points(wheel):
    [entry_points] = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    text = wheel.read(entry_points).decode()
    assert "[console_scripts]\nworkbench-cli = workbench.cli:main" in text
    assert "[gui_scripts]\nworkbench = workbench.ui.app:main" in text


def test_wheel_pins_pyside_below_6_12(wheel):
    [metadata] = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    text = wheel.read(metadata).decode()
    assert "Requires-Dist: PySide6-Essentials<6.12,>=6.8" in text


def test_every_package_of_the_source_tree_is_in_the_wheel(wheel):
    names = set(wheel.namelist())
    packages = sorted(init.parent.relative_to(ROOT).as_posix() for init in (ROOT / "workbench").rglob("__init__.py"))
    assert packages
    missing = [p for p in packages if f"{p}/__init__.py" not in names]
    assert missing == [], f"add these to [tool.setuptools] packages: {missing}"
