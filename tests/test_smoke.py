"""``workbench --smoke-test``: from the source tree, and from the frozen bundle once built."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.ui.smoke import needs_offscreen

ROOT = Path(__file__).resolve().parents[1]
FROZEN = ROOT / "dist" / "workbench" / "workbench"


def smoke(command: list[str], target: Path, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WORKBENCH_HOME": str(home)}
    return subprocess.run([*command, "--smoke-test", str(target)], capture_output=True, text=True, env=env, timeout=180)


def assert_passed(result: subprocess.CompletedProcess, target: Path, home: Path) -> None:
    assert result.returncode == 0, result.stderr
    assert "smoke test passed" in result.stdout
    assert "as ACTOR" in result.stdout  # the span was made by the label key and read back
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not home.exists(), "the smoke test must not touch the user's data directory"


def test_smoke_test_from_source(tmp_path):
    target, home = tmp_path / "shots" / "window.png", tmp_path / "user-data"
    result = smoke([sys.executable, "-m", "workbench"], target, home)
    assert_passed(result, target, home)


def test_smoke_test_failure_exits_non_zero_with_the_reason(tmp_path):
    result = smoke([sys.executable, "-m", "workbench"], tmp_path, tmp_path / "user-data")  # a folder: cannot save
    assert result.returncode == 1
    assert "smoke test FAILED" in result.stderr and "cannot save the screenshot" in result.stderr


@pytest.mark.skipif(not FROZEN.exists(), reason="no frozen bundle: run bash packaging/build.sh")
def test_smoke_test_of_the_frozen_bundle(tmp_path):
    target, home = tmp_path / "frozen.png", tmp_path / "user-data"
    result = smoke([str(FROZEN)], target, home)
    assert_passed(result, target, home)
    cli = subprocess.run(
        [str(FROZEN.with_name("workbench-cli")), "--db", str(tmp_path / "cli.wbproj"), "init", "--with-sample"],
        capture_output=True,
        text=True,
        env={**os.environ, "WORKBENCH_HOME": str(home)},
        timeout=120,
    )
    assert cli.returncode == 0 and "5 sample documents" in cli.stdout, cli.stderr
    assert not list(FROZEN.parent.rglob("*.wbproj")), "the app wrote a project inside the bundle"


def test_offscreen_only_without_a_display():
    assert needs_offscreen({}, "linux")
    assert not needs_offscreen({"DISPLAY": ":0"}, "linux")
    assert not needs_offscreen({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert not needs_offscreen({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert not needs_offscreen({}, "win32") and not needs_offscreen({}, "darwin")
