"""Reading and writing bundle zips defensively (stdlib ``zipfile``, with limits).

A bundle is refused before anything is parsed when it is not a zip, is
truncated or corrupt (CRC), has unknown or unsafe member names (``..``,
absolute paths, folders), too many members, absurd sizes or compression
ratios (zip bombs), or members whose real size differs from the declared one.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
import zlib
from pathlib import Path

from workbench.core.errors import WorkbenchError

MAX_MEMBERS = 32
MAX_TOTAL_BYTES = 2 * 1024**3
MAX_RATIO = 200  # uncompressed / compressed; JSON of Arabic text compresses about 5 to 10 times


class BundleError(WorkbenchError):
    """A bundle that is refused; nothing was imported from it."""


def read_members(path: str | Path, allowed: set[str]) -> dict[str, bytes]:
    """Every member of the zip at ``path`` (names must be in ``allowed``), checked."""
    path = Path(path)
    if not path.is_file():
        raise BundleError(f"{path}: no such bundle file")
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise BundleError(f"{path.name} is not a bundle: not a zip file, or truncated") from None
    except (NotImplementedError, RuntimeError, ValueError) as exc:
        # A damaged directory can claim a zip version or features this reader lacks.
        raise BundleError(f"{path.name} is damaged or not a Workbench bundle ({exc})") from None
    except OSError as exc:
        raise BundleError(f"{path.name} cannot be read: {exc.strerror}") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise BundleError(f"{path.name} has {len(infos)} members; a bundle has at most {MAX_MEMBERS}")
        total = 0
        for info in infos:
            name = info.filename
            if (
                name.startswith(("/", "\\"))
                or ".." in name.replace("\\", "/").split("/")
                or "/" in name
                or "\\" in name
                or ":" in name
                or info.is_dir()
            ):
                raise BundleError(f"{path.name} holds an unsafe member name {name!r}; refused")
            if name not in allowed:
                raise BundleError(f"{path.name} holds an unexpected member {name!r}; refused")
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise BundleError(f"{path.name} would unpack to more than {MAX_TOTAL_BYTES // 1024**3} GB; refused")
            if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise BundleError(f"{path.name}: member {name!r} has an absurd compression ratio; refused")
        members: dict[str, bytes] = {}
        for info in infos:
            try:
                with archive.open(info) as handle:
                    data = handle.read(info.file_size + 1)
            except (
                zipfile.BadZipFile,
                zlib.error,
                EOFError,
                OSError,
                NotImplementedError,
                RuntimeError,
                ValueError,
            ) as exc:
                raise BundleError(f"{path.name} is damaged ({info.filename}: {exc})") from None
            if len(data) != info.file_size:
                raise BundleError(f"{path.name} is damaged ({info.filename} is not the size it declares)")
            members[info.filename] = data
        return members


def write_members(path: str | Path, members: dict[str, bytes]) -> Path:
    """Write a bundle atomically: a complete file appears at ``path`` or nothing does."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise BundleError(f"cannot write {path}: {exc.strerror or exc}") from None
    os.close(handle)
    try:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            for name, data in members.items():
                archive.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
