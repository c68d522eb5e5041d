"""Which files an annotated import reads, and reading their bytes with errors a user understands."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from workbench.core.errors import RefusedInput
from workbench.core.text.decoding import decode

# Files taken from a folder, by format (a file named on the command line is always read).
FOLDER_EXTENSIONS = {
    "jsonl": (".jsonl", ".ndjson"),
    "conll": (".conll", ".conll03", ".bio", ".iob", ".iob2", ".tsv", ".txt"),
}


@dataclass(frozen=True)
class Unit:
    """One thing imported all or nothing: a file, or a brat pair (``path`` is its .ann)."""

    path: str
    name: str  # relative to the folder given, for the documents' file_name
    text_path: str | None = None  # brat: the .txt
    problem: str | None = None  # refused before reading: why


def discover(paths: list[str | os.PathLike], fmt: str) -> list[Unit]:
    units: list[Unit] = []
    for raw in paths:
        path = os.fspath(raw)
        if os.path.isdir(path):
            units.extend(_folder(path, fmt))
        elif fmt == "brat":
            units.append(_brat_pair(path, os.path.basename(path)))
        else:
            units.append(Unit(path, os.path.basename(path)))
    return units


def _folder(folder: str, fmt: str) -> list[Unit]:
    base = len(os.path.join(folder, ""))
    found: list[tuple[str, str]] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for file_name in files:
            if not file_name.startswith("."):
                full = os.path.join(root, file_name)
                found.append((full[base:].replace(os.sep, "/"), full))
    found.sort()
    if fmt != "brat":
        extensions = FOLDER_EXTENSIONS[fmt]
        return [Unit(full, name) for name, full in found if name.lower().endswith(extensions)]
    units = []
    annotations = {full[:-4] for _, full in found if full.endswith(".ann")}
    for name, full in found:
        if full.endswith(".ann"):
            units.append(_brat_pair(full, name))
        elif full.endswith(".txt") and full[:-4] not in annotations:
            units.append(
                Unit(
                    full,
                    name,
                    problem=f"there is no {Path(full).stem}.ann next to it (brat keeps "
                    "the annotations of a .txt file in the .ann file of the same name)",
                )
            )
    return units


def _brat_pair(path: str, name: str) -> Unit:
    stem, extension = os.path.splitext(path)
    if extension == ".ann":
        text_path = stem + ".txt"
        if not os.path.exists(path):
            return Unit(path, name, problem="no such file or folder")
        if not os.path.exists(text_path):
            return Unit(
                path,
                name,
                problem=f"there is no {os.path.basename(text_path)} next to it (brat keeps the text of x.ann in x.txt)",
            )
        return Unit(path, name, text_path)
    if extension == ".txt":
        ann_path = stem + ".ann"
        if not os.path.exists(path):
            return Unit(path, name, problem="no such file or folder")
        if not os.path.exists(ann_path):
            return Unit(
                path,
                name,
                problem=f"there is no {os.path.basename(ann_path)} next to it "
                "(brat keeps the annotations of x.txt in x.ann)",
            )
        return Unit(ann_path, name[:-4] + ".ann", path)
    if not os.path.exists(path):
        return Unit(path, name, problem="no such file or folder")
    return Unit(path, name, problem="brat standoff is a .ann file and its .txt: name either, or a folder of them")


def read_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise RefusedInput("no such file or folder") from None
    except PermissionError:
        raise RefusedInput("permission denied: the file cannot be read") from None
    except IsADirectoryError:
        raise RefusedInput("this is a folder") from None
    except OSError as exc:
        raise RefusedInput(f"the file cannot be read ({exc.strerror})") from None


def read_text(path: str, what: str = "the file") -> tuple[str, str, bool]:
    """``(text, encoding, had_bom)`` of a text file; empty and binary files are refused."""
    data = read_bytes(path)
    if not data.strip():
        raise RefusedInput(f"{what} is empty" if not data else f"{what} contains only whitespace")
    text, encoding = decode(data)
    had_bom = encoding in ("utf-8-sig", "utf-16-le", "utf-16-be") and data[:2] in (
        b"\xef\xbb",
        b"\xff\xfe",
        b"\xfe\xff",
    )
    return text, encoding, had_bom
