"""Files of an export: written once, hashed as they are written, named safely."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

_CHUNK = 1 << 20


class HashedFile:
    """A UTF-8 text file written in pieces, its SHA-256 computed on the way (no re-reading).

    Pieces are kept until about a megabyte is pending, then joined, hashed and written at once:
    text (:meth:`write`) or bytes already UTF-8 (:meth:`write_bytes`)."""

    def __init__(self, path: Path):
        self.path = path
        self._handle = open(path, "wb")  # noqa: SIM115 - closed by close(), the writer outlives any with-block
        self._hash = hashlib.sha256()
        self._pending: list[bytes] = []
        self._size = 0

    def write(self, text: str) -> None:
        self.write_bytes(text.encode("utf-8", "surrogatepass"))

    def write_bytes(self, data: bytes) -> None:
        """Write ``data``, UTF-8 already (a writer that makes bytes: nothing decoded and encoded again)."""
        self._pending.append(data)
        self._size += len(data)
        if self._size >= _CHUNK:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            data = b"".join(self._pending)
            self._hash.update(data)
            self._handle.write(data)
            self._pending.clear()
        self._size = 0

    def close(self) -> str:
        """Close the file; return its SHA-256 (hex)."""
        if not self._handle.closed:
            self.flush()
            self._handle.close()
        return self._hash.hexdigest()

    def abort(self) -> None:
        if not self._handle.closed:
            self._handle.close()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def hash_tree(root: Path, under: Path | None = None) -> dict[str, str]:
    """relative path (with /) -> SHA-256 of every file below ``under`` (default: ``root``)."""
    out = {}
    for path in sorted((under or root).rglob("*")):
        if path.is_file():
            out[path.relative_to(root).as_posix()] = sha256_file(path)
    return out


_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def file_stem(doc_id: str, sha256: str, taken: set[str]) -> str:
    """A file name for a document that every system accepts and no other document of the
    folder has (compared without case): the id, made safe, with a piece of the hash if needed."""
    stem = _UNSAFE.sub("_", doc_id).strip(" .") or "document"
    if stem.upper().split(".")[0] in _RESERVED:
        stem = f"_{stem}"
    stem = stem[:150]
    candidate = stem
    for size in (8, 16, 64):
        if candidate.casefold() not in taken:
            break
        candidate = f"{stem}-{sha256[:size]}"
    taken.add(candidate.casefold())
    return candidate
