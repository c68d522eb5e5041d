"""Reading and writing bundle zips defensively (stdlib ``zipfile``, with limits).

A bundle is refused before anything is parsed when it is not a zip, is
truncated or corrupt (CRC), has unknown, unsafe (``..``, absolute paths,
folders) or duplicate member names, too many members, absurd sizes or
compression ratios (zip bombs), or members whose real size differs from the
declared one. Sizes are checked twice: from the zip's directory before anything
is unpacked (a file or declared size over the cap is refused at once), then
while reading (a member is never read past its declared size or the cap), so a
refused bundle costs no memory.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
import zlib
from pathlib import Path
from typing import IO

from workbench.core.errors import WorkbenchError

MAX_MEMBERS = 32
# What a bundle may unpack to, all members together (and the most its file may weigh). A real work
# bundle is a few MB (tens of thousands of spans); checking and merging holds the members in memory,
# several times over once parsed, so the cap is what keeps a lead's machine usable.
MAX_BUNDLE_MB = 256
MAX_BUNDLE_BYTES = MAX_BUNDLE_MB * 1024**2
_CHUNK = 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed; JSON of Arabic text compresses about 5 to 10 times


class BundleError(WorkbenchError):
    """A bundle that is refused; nothing was imported from it."""


def megabytes(size: float) -> str:
    """``size`` bytes in MB, as a person reads it (``2 MB``, ``0.5 MB``)."""
    return f"{size / 1024**2:.4g} MB"


def _too_big(name: str, what: str, max_bytes: int) -> BundleError:
    return BundleError(
        f"{name} {what}, more than the {megabytes(max_bytes)} a bundle may hold; refused"
        " (a larger limit can be given: --max-mb)"
    )


def read_members(path: str | Path, allowed: set[str], max_bytes: int = MAX_BUNDLE_BYTES) -> dict[str, bytes]:
    """Every member of the zip at ``path`` (names must be in ``allowed``), checked.

    ``max_bytes`` caps the file and what its members unpack to, together.
    """
    path = Path(path)
    if not path.is_file():
        raise BundleError(f"{path}: no such bundle file")
    try:
        on_disk = path.stat().st_size
    except OSError as exc:
        raise BundleError(f"{path.name} cannot be read: {exc.strerror}") from None
    if on_disk > max_bytes:
        raise _too_big(path.name, f"is {megabytes(on_disk)}", max_bytes)
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
        seen: set[str] = set()
        for info in infos:
            name = info.filename
            if name in seen:
                raise BundleError(
                    f"{path.name} holds two members named {name!r} (tools disagree on which one counts); refused"
                )
            seen.add(name)
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
            if total > max_bytes:
                raise _too_big(path.name, f"would unpack to {megabytes(total)} or more", max_bytes)
            if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise BundleError(f"{path.name}: member {name!r} has an absurd compression ratio; refused")
        members: dict[str, bytes] = {}
        for info in infos:
            try:
                with archive.open(info) as handle:
                    # Never more than the declared size (already within the cap) and one byte.
                    data = _read_at_most(handle, info.file_size + 1)
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


def _read_at_most(handle: IO[bytes], limit: int) -> bytes:
    chunks: list[bytes] = []
    left = limit
    while left > 0:
        chunk = handle.read(min(left, _CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


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
