"""Reading and writing bundle zips defensively (stdlib ``zipfile``, with limits).

A bundle is refused before anything is parsed when it is not a zip, is
truncated or corrupt (CRC), has unknown, unsafe (``..``, absolute paths,
folders) or duplicate member names, too many members, absurd sizes or
compression ratios (zip bombs), or members whose real size differs from the
declared one. Sizes are checked twice: from the zip's directory before anything
is unpacked (a file or declared size over the cap is refused at once), then
while reading (a member is never read past its declared size or the cap), so a
refused bundle costs no memory.

:func:`open_archive` checks the directory and keeps the file open, so that its
members can be streamed (:meth:`Archive.member`: chunks or lines, hashed as they
are read) as often as needed, from the same file handle, and the file itself
copied (:meth:`Archive.raw_chunks`): a large work bundle is checked and merged
without ever being held in memory. :func:`read_members` reads small bundles whole.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import IO

from workbench.core.errors import WorkbenchError

MAX_MEMBERS = 32
# What a bundle may unpack to, all members together (and the most its file may weigh). A real work
# bundle is a few MB (tens of thousands of spans). Work bundles are streamed (memory stays flat
# whatever their size); project bundles are read whole. The cap is what a lead accepts without
# thinking about it; a larger one can be given (--max-mb).
MAX_BUNDLE_MB = 256
MAX_BUNDLE_BYTES = MAX_BUNDLE_MB * 1024**2
_CHUNK = 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed; JSON of Arabic text compresses about 5 to 10 times

# What reading a damaged or hostile zip member can raise.
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError)


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
    """Every member of the zip at ``path`` (names must be in ``allowed``), checked, read whole.

    ``max_bytes`` caps the file and what its members unpack to, together.
    """
    with open_archive(path, allowed, max_bytes) as archive:
        return {name: archive.read(name) for name in archive.names}


@contextlib.contextmanager
def open_archive(path: str | Path, allowed: set[str], max_bytes: int = MAX_BUNDLE_BYTES) -> Iterator[Archive]:
    """The zip at ``path``, its directory checked (names in ``allowed``, sizes within ``max_bytes``,
    the file and its members together), open for streaming its members until the block ends."""
    path = Path(path)
    if not path.is_file():
        raise BundleError(f"{path}: no such bundle file")
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below, after the zip that reads through it
    except OSError as exc:
        raise BundleError(f"{path.name} cannot be read: {exc.strerror}") from None
    with handle:
        try:
            on_disk = os.fstat(handle.fileno()).st_size
        except OSError as exc:
            raise BundleError(f"{path.name} cannot be read: {exc.strerror}") from None
        if on_disk > max_bytes:
            raise _too_big(path.name, f"is {megabytes(on_disk)}", max_bytes)
        try:
            zipped = zipfile.ZipFile(handle)
        except zipfile.BadZipFile:
            raise BundleError(f"{path.name} is not a bundle: not a zip file, or truncated") from None
        except (NotImplementedError, RuntimeError, ValueError, EOFError) as exc:
            # A damaged directory can claim a zip version or features this reader lacks.
            raise BundleError(f"{path.name} is damaged or not a Workbench bundle ({exc})") from None
        except OSError as exc:
            raise BundleError(f"{path.name} cannot be read: {exc.strerror}") from None
        with zipped:
            yield Archive(path, handle, zipped, _checked_directory(path.name, zipped, allowed, max_bytes), on_disk)


def _checked_directory(
    bundle: str, zipped: zipfile.ZipFile, allowed: set[str], max_bytes: int
) -> dict[str, zipfile.ZipInfo]:
    infos = zipped.infolist()
    if len(infos) > MAX_MEMBERS:
        raise BundleError(f"{bundle} has {len(infos)} members; a bundle has at most {MAX_MEMBERS}")
    total = 0
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = info.filename
        if name in members:
            raise BundleError(
                f"{bundle} holds two members named {name!r} (tools disagree on which one counts); refused"
            )
        if (
            name.startswith(("/", "\\"))
            or ".." in name.replace("\\", "/").split("/")
            or "/" in name
            or "\\" in name
            or ":" in name
            or info.is_dir()
        ):
            raise BundleError(f"{bundle} holds an unsafe member name {name!r}; refused")
        if name not in allowed:
            raise BundleError(f"{bundle} holds an unexpected member {name!r}; refused")
        total += info.file_size
        if total > max_bytes:
            raise _too_big(bundle, f"would unpack to {megabytes(total)} or more", max_bytes)
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise BundleError(f"{bundle}: member {name!r} has an absurd compression ratio; refused")
        members[name] = info
    return members


class Archive:
    """An open bundle zip whose directory was checked (see :func:`open_archive`)."""

    def __init__(
        self, path: Path, handle: IO[bytes], zipped: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], size: int
    ):
        self.path = path
        self.name = path.name
        self.size = size  # of the file, when it was opened
        self._handle = handle
        self._zip = zipped
        self._infos = infos

    @property
    def names(self) -> list[str]:
        """The members' names, in the zip's order."""
        return list(self._infos)

    def declared_size(self, name: str) -> int:
        return self._infos[name].file_size

    def read(self, name: str) -> bytes:
        """The member whole (for small members: a manifest, a signature, a schema)."""
        with self.member(name) as stream:
            return b"".join(stream.chunks())

    def member(self, name: str) -> Member:
        """The member ``name``, to be streamed once (``with archive.member(name) as stream``)."""
        return Member(self, self._infos[name])

    def raw_chunks(self) -> Iterator[bytes]:
        """The bundle file as it is on disk, in chunks, from the handle the zip reads through
        (its first :attr:`size` bytes: what was checked when it was opened)."""
        left = self.size
        offset = 0
        while left > 0:
            try:
                self._handle.seek(offset)  # the zip keeps its own position in the shared handle
                chunk = self._handle.read(min(left, _CHUNK))
            except OSError as exc:
                raise BundleError(f"{self.name} cannot be read: {exc.strerror}") from None
            if not chunk:
                raise BundleError(f"{self.name} became shorter while it was being read; refused")
            offset += len(chunk)
            left -= len(chunk)
            yield chunk

    def sha256(self) -> str:
        """The SHA-256 of the file (of :meth:`raw_chunks`)."""
        digest = hashlib.sha256()
        for chunk in self.raw_chunks():
            digest.update(chunk)
        return digest.hexdigest()


class Member:
    """One member being streamed: its chunks or lines, hashed (SHA-256) as they are read.

    Never reads past the declared size (already within the cap) and one byte; a
    member whose data is not its declared size, fails its CRC or cannot be
    inflated raises :class:`BundleError` (and :attr:`damaged` says so).
    """

    def __init__(self, archive: Archive, info: zipfile.ZipInfo):
        self._archive = archive
        self._info = info
        self.name = info.filename
        self.damaged = False
        self._digest = hashlib.sha256()
        self._source = self._read()

    def __enter__(self) -> Member:
        return self

    def __exit__(self, *exc: object) -> None:
        self._source.close()

    def _read(self) -> Generator[bytes, None, None]:
        bundle, info = self._archive.name, self._info
        read = 0
        try:
            with self._archive._zip.open(info) as handle:
                while read <= info.file_size:
                    chunk = handle.read(min(info.file_size + 1 - read, _CHUNK))
                    if not chunk:
                        break
                    read += len(chunk)
                    self._digest.update(chunk)
                    yield chunk
        except _READ_ERRORS as exc:
            self.damaged = True
            raise BundleError(f"{bundle} is damaged ({info.filename}: {exc})") from None
        if read != info.file_size:
            self.damaged = True
            raise BundleError(f"{bundle} is damaged ({info.filename} is not the size it declares)")

    def chunks(self) -> Iterator[bytes]:
        """The member's bytes, in chunks of at most 1 MB."""
        return self._source

    def lines(self) -> Iterator[bytes]:
        """The member's lines (split on ``\\n`` only, which they end with), without it."""
        pending: list[bytes] = []  # the start of a line longer than a chunk
        for chunk in self._source:
            parts = chunk.split(b"\n")
            if len(parts) == 1:
                pending.append(chunk)
                continue
            if pending:
                pending.append(parts[0])
                parts[0] = b"".join(pending)
                pending = []
            last = parts.pop()
            if last:
                pending.append(last)
            yield from parts
        if pending:
            yield b"".join(pending)

    def drain(self) -> None:
        """Read (and hash) what is left of the member."""
        for _ in self._source:
            pass

    def hexdigest(self) -> str:
        """The SHA-256 of what was read so far (of the whole member once it was read to its end)."""
        return self._digest.hexdigest()


def write_members(path: str | Path, members: dict[str, bytes]) -> Path:
    """Write a bundle atomically: a complete file appears at ``path`` or nothing does."""
    with BundleWriter(path) as out:
        for name, data in members.items():
            out.add(name, data)
    return Path(path)


_DATE = (2020, 1, 1, 0, 0, 0)  # every member's time: a bundle's bytes depend on its content only


class BundleWriter:
    """A bundle written member by member (``with BundleWriter(path) as out``), atomically: into a
    hidden file next to ``path``, renamed to it when the block ends without an error (removed
    otherwise), so a complete file appears at ``path`` or nothing does.

    A large member is streamed (:meth:`member`): its bytes go to the zip as they come and are
    hashed on the way (:attr:`digests`, the SHA-256 of each member written, for the manifest), so
    a bundle is never held in memory whole. The file is the one :func:`write_members` wrote before
    streaming, byte for byte (the same zip entries, deflated at the same level).
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.digests: dict[str, str] = {}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        except OSError as exc:
            raise BundleError(f"cannot write {self.path}: {exc.strerror or exc}") from None
        os.close(handle)
        self._temporary = Path(temporary)
        try:
            self._zip = zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6)
        except BaseException:
            self._temporary.unlink(missing_ok=True)
            raise

    def __enter__(self) -> BundleWriter:
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        try:
            self._zip.close()
            if kind is None:
                os.replace(self._temporary, self.path)
        finally:
            self._temporary.unlink(missing_ok=True)

    def add(self, name: str, data: bytes) -> None:
        """A member written whole (a manifest, a signature, a change log)."""
        with self.member(name, size=len(data)) as write:
            write(data)

    @contextlib.contextmanager
    def member(self, name: str, *, size: int = 0, large: bool = False) -> Iterator[Callable[[bytes], None]]:
        """``write``: give it the member's bytes, in as many pieces as you like.

        A member past 2 GiB needs ZIP64 headers, chosen before its first byte: from ``size``
        when it is known (a member written whole), or ``large`` for one that may grow past it
        (an annotator's spans or a project's documents at a hundred thousand documents). Members
        under the limit are written as before, byte for byte."""
        digest = hashlib.sha256()
        info = zipfile.ZipInfo(name, date_time=_DATE)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.file_size = size  # (zipfile picks ZIP64 from it; the header is rewritten on close)
        with self._writing(name):
            stream = self._zip.open(info, "w", force_zip64=large)

        def write(data: bytes) -> None:
            digest.update(data)
            with self._writing(name):
                stream.write(data)

        try:
            yield write
        except BaseException:
            with contextlib.suppress(Exception):  # the file is removed anyway
                stream.close()
            raise
        with self._writing(name):
            stream.close()
        self.digests[name] = digest.hexdigest()

    @contextlib.contextmanager
    def _writing(self, name: str) -> Iterator[None]:
        """What writing the zip can raise, as a sentence."""
        try:
            yield
        except RuntimeError as exc:  # zipfile: a member past 2 GiB not declared large
            raise BundleError(f"cannot write {self.path.name}: {name} is too large ({exc})") from None
        except OSError as exc:
            raise BundleError(f"cannot write {self.path}: {exc.strerror or exc}") from None
