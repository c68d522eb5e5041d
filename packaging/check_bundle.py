"""Checks of a frozen bundle that PyInstaller does not make: run by packaging/build.sh.

    python packaging/check_bundle.py dist/workbench            report, exit 1 on a problem
    python packaging/check_bundle.py --fix dist/workbench      first remove dangling symlinks and
                                                               foreign run paths (needs patchelf)

- **Dangling symbolic links**: PyInstaller links shared libraries into ``_internal/`` next to the
  package that carries them; when the spec leaves the library out (a Qt module the app does not
  use), the link stays and points at nothing. ``--fix`` removes them.
- **Run paths of the build machine**: an ELF file whose ``RPATH``/``RUNPATH`` names an absolute
  folder (a Python built by pyenv carries ``/root/.pyenv/versions/3.11.7/lib`` in ``libpython``
  and every ``lib-dynload`` module) makes the loader look there first on the user's machine.
  ``build.sh`` removes them with ``patchelf --remove-rpath``; run paths relative to ``$ORIGIN``
  stay (PySide6 finds Qt that way).
- **Licences**: ``LICENSE`` and ``THIRD_PARTY_NOTICES.md`` at the top of the bundle.
"""

from __future__ import annotations

import argparse
import shutil
import struct
import subprocess
import sys
from pathlib import Path

DT_NULL, DT_STRTAB, DT_RPATH, DT_RUNPATH = 0, 5, 15, 29
PT_LOAD, PT_DYNAMIC = 1, 2
LICENCE_FILES = ("LICENSE", "THIRD_PARTY_NOTICES.md")


def dangling_symlinks(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_symlink() and not p.exists())


def run_paths(path: Path) -> list[str]:
    """The RPATH and RUNPATH entries of a 64- or 32-bit little-endian ELF file ([] for anything else)."""
    try:
        data = path.read_bytes()
    except OSError:
        return []
    if data[:4] != b"\x7fELF" or data[5] != 1:  # little-endian only (x86_64, aarch64)
        return []
    wide = data[4] == 2
    try:
        if wide:
            (phoff,) = struct.unpack_from("<Q", data, 0x20)
            phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
        else:
            (phoff,) = struct.unpack_from("<I", data, 0x1C)
            phentsize, phnum = struct.unpack_from("<HH", data, 0x2A)
        loads, dynamic = [], None
        for i in range(phnum):
            at = phoff + i * phentsize
            if wide:
                kind, _, offset, vaddr, _, filesz = struct.unpack_from("<IIQQQQ", data, at)
            else:
                kind, offset, vaddr, _, filesz = struct.unpack_from("<IIIII", data, at)
            if kind == PT_LOAD:
                loads.append((vaddr, offset, filesz))
            elif kind == PT_DYNAMIC:
                dynamic = (offset, filesz)
        if dynamic is None:
            return []
        entry, fmt = (16, "<qQ") if wide else (8, "<iI")
        strtab, wanted = None, []
        for at in range(dynamic[0], dynamic[0] + dynamic[1], entry):
            tag, value = struct.unpack_from(fmt, data, at)
            if tag == DT_NULL:
                break
            if tag == DT_STRTAB:
                strtab = value
            elif tag in (DT_RPATH, DT_RUNPATH):
                wanted.append(value)
        if strtab is None or not wanted:
            return []
        # DT_STRTAB is an address: find the file offset of the segment that holds it.
        base = next(off + strtab - va for va, off, size in loads if va <= strtab < va + size)
        paths = []
        for value in wanted:
            start = base + value
            paths += data[start : data.index(b"\0", start)].decode("utf-8", "replace").split(":")
        return paths
    except (struct.error, ValueError, StopIteration, IndexError):
        return []


def foreign_run_paths(root: Path) -> dict[Path, list[str]]:
    """ELF files of the bundle whose run paths point outside it (anything not relative to $ORIGIN)."""
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            foreign = [p for p in run_paths(path) if p and not p.startswith(("$ORIGIN", "${ORIGIN}"))]
            if foreign:
                found[path] = foreign
    return found


def remove_foreign_run_paths(root: Path, patchelf: str) -> list[Path]:
    """``patchelf --remove-rpath`` (or keep only the ``$ORIGIN`` entries) where a run path points outside."""
    fixed = []
    for path, foreign in foreign_run_paths(root).items():
        keep = [p for p in run_paths(path) if p and p not in foreign]
        args = ["--set-rpath", ":".join(keep)] if keep else ["--remove-rpath"]
        subprocess.run([patchelf, *args, str(path)], check=True)
        fixed.append(path)
    return fixed


def problems(root: Path) -> list[str]:
    out = [f"dangling symbolic link: {p.relative_to(root)} -> {p.readlink()}" for p in dangling_symlinks(root)]
    for path, paths in foreign_run_paths(root).items():
        out.append(f"run path of the build machine in {path.relative_to(root)}: {':'.join(paths)}")
    out += [f"missing licence file: {name}" for name in LICENCE_FILES if not (root / name).is_file()]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--fix", action="store_true", help="remove dangling symbolic links and foreign run paths first")
    parser.add_argument("--patchelf", default=shutil.which("patchelf"), help="the patchelf to use (default: on PATH)")
    args = parser.parse_args(argv)
    if args.fix:
        for link in dangling_symlinks(args.bundle):
            print(f"removed dangling symbolic link {link.relative_to(args.bundle)} -> {link.readlink()}")
            link.unlink()
        if args.patchelf and foreign_run_paths(args.bundle):
            fixed = remove_foreign_run_paths(args.bundle, args.patchelf)
            print(f"removed the build machine's run paths from {len(fixed)} files")
    found = problems(args.bundle)
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
