"""Read input files (plain text, JSON Lines, CSV) into documents ready to store.

Readers raise :class:`RefusedInput` for the whole file at its first problem, so
that a file imports completely or not at all. They stream: a large JSONL file
is never held in memory at once.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as _dt
import io
import json
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.errors import RefusedInput
from workbench.core.store.documents import NewDocument
from workbench.core.text.decoding import decode, looks_utf16_arabic
from workbench.core.text.normalise import normalize_line, prepare

TXT, JSONL, CSV, CONLL, BRAT = "txt", "jsonl", "csv", "conll", "brat"
# Other tools' formats, read with --annotator (issue 15).
LABEL_STUDIO, WEBANNO_TSV, XMI, PRODIGY = "label-studio", "webanno-tsv", "xmi", "prodigy"
FORMATS = (TXT, JSONL, CSV)  # documents without spans
# Formats that bring spans (import --annotator); their readers: annotated_import.pipeline.READERS.
ANNOTATED = (JSONL, CONLL, BRAT, LABEL_STUDIO, WEBANNO_TSV, XMI, PRODIGY)
# Files a folder contributes, by format; with no format named, a file's extension names it.
# Files of a folder that no format reads: reported as passed over, never read.
PASSED_OVER = "passed over"
FOLDER_EXTENSIONS = {
    TXT: (".txt", ".text"),
    JSONL: (".jsonl", ".ndjson"),
    CSV: (".csv", ".tsv"),
    CONLL: (".conll", ".conll03", ".bio", ".iob", ".iob2", ".tsv", ".txt"),
    LABEL_STUDIO: (".json",),
    WEBANNO_TSV: (".tsv",),
    XMI: (".xmi", ".zip"),
    PRODIGY: (".jsonl",),
}
_EXTENSIONS = {extension: fmt for fmt in FORMATS for extension in FOLDER_EXTENSIONS[fmt]}
MB = 1024 * 1024
_JSONL_FIELDS = {"id", "text", "title", "date", "source", "meta"}


@dataclass(frozen=True)
class ReadOptions:
    max_document_bytes: int = 10 * MB
    # A JSONL or CSV file holds many documents; it is streamed (JSONL) or read whole (CSV).
    max_csv_bytes: int = 512 * MB
    text_column: str = "text"
    format: str | None = None  # None: by extension
    # The layer the spans go to (import --annotator): readers of files that hold several
    # annotators' work (Label Studio, Prodigy) take that annotator's.
    annotator: str | None = None


@dataclass(frozen=True)
class InputFile:
    """One thing imported all or nothing: a file, or a brat pair (``path`` is its .ann)."""

    path: str
    format: str
    name: str  # as stored in the document's file_name: relative to the folder given
    text_path: str | None = None  # brat: the .txt
    problem: str | None = None  # refused before reading: why


def discover(paths: list[str | Path] | list[str | os.PathLike[str]], fmt: str | None = None) -> list[InputFile]:
    """Expand the paths given by the user into the files to import, for every format.

    A folder is walked recursively, in name order, hidden files and folders skipped;
    it contributes the files of ``fmt`` (by :data:`FOLDER_EXTENSIONS`), or with no
    ``fmt`` the files whose extension names a format. A file named explicitly is
    read as ``fmt``, else as its extension says, else as plain text. brat standoff
    pairs each ``.ann`` with its ``.txt``. A missing path is kept, and refused when read.
    """
    found: list[InputFile] = []
    for raw in paths:
        path = os.fspath(raw)
        if os.path.isdir(path):
            found.extend(_folder(path, fmt))
        elif fmt == BRAT:
            found.append(_brat_pair(path, os.path.basename(path)))
        else:
            name = os.path.basename(path)
            found.append(InputFile(path, fmt or _EXTENSIONS.get(os.path.splitext(name)[1].lower(), TXT), name))
    return found


def _folder(folder: str, fmt: str | None) -> list[InputFile]:
    base = len(os.path.join(folder, ""))
    found: list[tuple[str, str]] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for file_name in files:
            if not file_name.startswith("."):
                full = os.path.join(root, file_name)
                found.append((full[base:].replace(os.sep, "/"), full))
    found.sort()
    if fmt == BRAT:
        return _brat_folder(found)
    units, passed_over = [], []
    for name, full in found:
        if fmt == XMI and os.path.basename(name) == "TypeSystem.xml":
            continue  # read with the .xmi files beside it, not a file of its own
        extension = os.path.splitext(name)[1].lower()
        kind = _EXTENSIONS.get(extension) if fmt is None else (fmt if extension in FOLDER_EXTENSIONS[fmt] else None)
        if kind:
            units.append(InputFile(full, kind, name, problem=not_regular(full)))
        else:
            passed_over.append(InputFile(full, PASSED_OVER, name, problem=_not_read(extension)))
    if not units:
        # Nothing to import in the folder given: refuse it, saying what it holds.
        extensions = sorted(FOLDER_EXTENSIONS[fmt] if fmt else _EXTENSIONS)
        held = f"{len(passed_over)} file{'s' if len(passed_over) != 1 else ''} of other kinds ({_kinds(passed_over)})"
        reason = f"the folder holds no file that import reads (it looks for {', '.join(extensions)}): " + (
            held if passed_over else "it is empty, or holds only hidden files"
        )
        return [InputFile(folder, TXT, os.path.basename(folder.rstrip(os.sep)) or folder, problem=reason)]
    return units + passed_over


def _not_read(extension: str) -> str:
    return f"a {extension or 'extension-less'} file: not a kind of file import reads"


def _kinds(files: list[InputFile]) -> str:
    counts: dict[str, int] = {}
    for item in files:
        extension = os.path.splitext(item.name)[1].lower() or "no extension"
        counts[extension] = counts.get(extension, 0) + 1
    return ", ".join(f"{extension} ×{count}" for extension, count in sorted(counts.items()))


def not_regular(path: str) -> str | None:
    """Why ``path`` is no regular file to read (a FIFO, a device, a socket), or ``None``.

    A missing or unreadable path is left to the reader, which says so in its own words."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return _not_regular_reason(mode)


def _not_regular_reason(mode: int) -> str:
    kind = (
        "a named pipe (FIFO)"
        if stat.S_ISFIFO(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a special file"
    )
    return f"not a regular file: this is {kind}, and only regular files are imported"


def _brat_folder(found: list[tuple[str, str]]) -> list[InputFile]:
    units = []
    annotations = {full[:-4] for _, full in found if full.endswith(".ann")}
    for name, full in found:
        if full.endswith(".ann"):
            pair = _brat_pair(full, name)
            problem = pair.problem or not_regular(full) or (pair.text_path and not_regular(pair.text_path))
            units.append(InputFile(pair.path, pair.format, pair.name, pair.text_path, problem or None))
        elif full.endswith(".txt") and full[:-4] not in annotations:
            units.append(
                InputFile(
                    full,
                    BRAT,
                    name,
                    problem=f"there is no {Path(full).stem}.ann next to it (brat keeps "
                    "the annotations of a .txt file in the .ann file of the same name)",
                )
            )
    return units


_BRAT_HALVES = {".ann": (".txt", "text"), ".txt": (".ann", "annotations")}


def _brat_pair(path: str, name: str) -> InputFile:
    stem, extension = os.path.splitext(path)
    if extension in _BRAT_HALVES:
        other, what = _BRAT_HALVES[extension]
        other_path = stem + other
        if not os.path.exists(path):
            return InputFile(path, BRAT, name, problem="no such file or folder")
        if not os.path.exists(other_path):
            return InputFile(
                path,
                BRAT,
                name,
                problem=f"there is no {os.path.basename(other_path)} next to it "
                f"(brat keeps the {what} of x{extension} in x{other})",
            )
        if extension == ".ann":
            return InputFile(path, BRAT, name, other_path)
        return InputFile(other_path, BRAT, name[:-4] + ".ann", path)
    if not os.path.exists(path):
        return InputFile(path, BRAT, name, problem="no such file or folder")
    return InputFile(
        path, BRAT, name, problem="brat standoff is a .ann file and its .txt: name either, or a folder of them"
    )


@contextlib.contextmanager
def reading() -> Iterator[None]:
    """Turn the operating system's reasons a file cannot be read into :class:`RefusedInput`."""
    try:
        yield
    except FileNotFoundError:
        raise RefusedInput("no such file or folder") from None
    except PermissionError:
        raise RefusedInput("permission denied: the file cannot be read") from None
    except IsADirectoryError:
        raise RefusedInput("this is a folder") from None
    except OSError as exc:
        raise RefusedInput(f"the file cannot be read ({exc.strerror})") from None


def open_regular(path: str) -> io.BufferedReader:
    """Open ``path`` for reading in binary, refusing anything but a regular file.

    The file is opened without blocking, so that a FIFO (which would wait for a
    writer forever) or a device is refused at once instead of read."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    with reading():
        if os.path.isdir(path):
            raise IsADirectoryError(path)
        fd = os.open(path, flags)
        try:
            mode = os.fstat(fd).st_mode
            if not stat.S_ISREG(mode):
                raise RefusedInput(_not_regular_reason(mode))
            if flags & getattr(os, "O_NONBLOCK", 0):
                os.set_blocking(fd, True)
        except BaseException:
            os.close(fd)
            raise
        return open(fd, "rb")


def read_limited(handle: io.BufferedReader, limit: int, too_big: str = "") -> bytes:
    """The rest of ``handle``, at most ``limit`` bytes: never more than ``limit + 1`` are read."""
    with reading():
        data = handle.read(limit + 1)
    if len(data) > limit:
        size = os.fstat(handle.fileno()).st_size
        raise RefusedInput(too_big or _too_big(max(size, len(data)), limit).reason)
    return data


def read_bytes(path: str, limit: int = 512 * MB) -> bytes:
    """A whole regular file's bytes, refused if over ``limit`` (checked while reading)."""
    with open_regular(path) as handle:
        return read_limited(handle, limit)


def read(item: InputFile, options: ReadOptions) -> Iterator[tuple[str, NewDocument]]:
    """Yield ``(origin, document)`` for each document in the file; raise ``RefusedInput``.

    ``origin`` names the place in the input (``file`` or ``file:line``) for the report.
    """
    try:
        with reading():
            size = os.stat(item.path).st_size if item.format == CSV else 0
            if item.format == TXT:
                yield item.path, _read_txt(item, size, options)
            elif item.format == JSONL:
                yield from _read_jsonl(item, options)
            elif item.format == CSV:
                yield from _read_csv(item, size, options)
            else:
                raise RefusedInput(f"unknown format {item.format!r} (one of {', '.join(FORMATS)})")
    except RefusedInput as exc:
        raise RefusedInput(exc.reason, item.path) from None


def _too_big(size: int, limit: int) -> RefusedInput:
    return RefusedInput(
        f"the document is {size / MB:.1f} MB, over the limit of {limit / MB:g} MB per document (raise it with --max-mb)"
    )


def _prepared(text: str, where: str = "") -> str:
    text, reason = prepare(text)
    if reason:
        raise RefusedInput(f"{where}{reason}")
    return text


def _read_txt(item: InputFile, size: int, options: ReadOptions) -> NewDocument:
    with open_regular(item.path) as handle:
        data = read_limited(handle, options.max_document_bytes)
    if not data:
        raise RefusedInput("the file is empty")
    from workbench.core.annotated_import import sniff  # (the plain import rarely needs it)

    sniff.refuse(item.path, data)  # another tool's annotations, not an article
    text, encoding = decode(data)
    markup = markup_reason(text)
    if markup:
        raise RefusedInput(markup)
    return NewDocument(
        text=_prepared(text),
        file_name=item.name,
        encoding=encoding,
        id_hint=os.path.splitext(item.name)[0],
    )


_MARKUP_START = re.compile(r"<(\?xml\b|!doctype\s+(\w+)|(\w[\w.-]*(?::[\w.-]+)?)(?=[\s/>]))", re.IGNORECASE)
_EXPORT_TEXT = 'save the documents\' text as .txt files (or JSON Lines, one {"text": ...} a line) and import those'


def markup_reason(text: str) -> str | None:
    """Why ``text`` is a markup file (XML, XMI, HTML) and not a document to import, or ``None``.

    Only the file's start is looked at: an XML declaration, a doctype, or a root element
    such as ``<xmi:XMI``, ``<html`` or ``<TEI``; a text that merely mentions a tag is text.
    """
    head = text[:4096].lstrip("\ufeff \t\r\n")
    match = _MARKUP_START.match(head)
    if match is None:
        return None
    lowered = head.lower()
    root = (match.group(2) or match.group(3) or "").lower()
    declared = match.group(1).lower().startswith(("?xml", "!doctype"))
    if "xmi:xmi" in lowered or "http:///uima/cas.ecore" in lowered:
        return (
            "this is UIMA CAS XMI (INCEpTION's export): import it with "
            "'workbench-cli import FILE --format xmi --annotator NAME'"
        )
    if root == "html" or (declared and "<html" in lowered[:1024]):
        return f"this is an HTML page, not plain text; Workbench does not read HTML: {_EXPORT_TEXT}"
    if declared or "xmlns" in head[: head.find(">") + 1 if ">" in head else 0]:
        kind = "TEI XML" if "<tei" in lowered[:1024] else "an XML file"
        return f"this is {kind}, not plain text; Workbench does not read XML: {_EXPORT_TEXT}"
    return None


def _read_jsonl(item: InputFile, options: ReadOptions) -> Iterator[tuple[str, NewDocument]]:
    for number, record, encoding in jsonl_records(item.path, options):
        yield f"{item.path}:{number}", record_document(record, item, number, encoding)


def jsonl_records(path: str, options: ReadOptions = ReadOptions()) -> Iterator[tuple[int, dict[str, Any], str]]:
    """The one JSON Lines reader: ``(line number, object, encoding)`` for each non-blank line.

    Streams UTF-8 line by line (a large file is never held whole); a file in UTF-16
    (or with NUL bytes) is decoded whole, or refused as binary. Lines are split on
    ``\\n`` only: a JSON string may hold U+2028 and friends unescaped. Raises
    :class:`RefusedInput` at the first line that is not a JSON object with a ``text`` string.
    """
    line_limit = options.max_document_bytes + 64 * 1024
    with open_regular(path) as handle, reading():
        head = handle.read(4096)
        lines: Iterator[tuple[int, str | bytes]]
        if b"\x00" in head or head.startswith((b"\xff\xfe", b"\xfe\xff")) or looks_utf16_arabic(head):
            # UTF-16, or refused as binary
            content, encoding = decode(head + read_limited(handle, max(options.max_csv_bytes - len(head), 0)))
            lines = enumerate(content.lstrip("\ufeff").split("\n"), start=1)
        else:
            handle.seek(0)
            encoding = "utf-8"
            lines = enumerate(iter(lambda: handle.readline(line_limit + 1), b""), start=1)
        any_record = False
        for number, raw in lines:
            where = f"line {number}: "
            if isinstance(raw, bytes):
                if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                if not raw.strip():
                    continue
                if len(raw) > line_limit:
                    raise RefusedInput(where + _too_big(len(raw), options.max_document_bytes).reason)
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError:
                    raise RefusedInput(where + "not UTF-8 (JSON Lines files must be UTF-8)") from None
            else:
                line = raw
                if not line.strip():
                    continue
            record = parse_json(line, where)
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise RefusedInput(where + 'each line must be a JSON object with a "text" string')
            any_record = True
            yield number, record, encoding
    if not any_record:
        raise RefusedInput("the file is empty (no JSON lines)")


MAX_JSON_DEPTH = 64  # arrays and objects within each other, in one JSON value
_TOO_DEEP = f"the JSON is nested too deeply (more than {MAX_JSON_DEPTH} levels of arrays and objects)"


def parse_json(line: str, where: str = "") -> Any:
    """One JSON value, refused with a reason when it is not valid JSON or nested too deeply."""
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RefusedInput(where + f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise RefusedInput(where + _TOO_DEEP) from None
    if _too_deep(value):
        raise RefusedInput(where + _TOO_DEEP)
    return value


def _too_deep(value: Any) -> bool:
    """Whether ``value`` nests lists and objects more than :data:`MAX_JSON_DEPTH` deep (no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > MAX_JSON_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def _read_csv(item: InputFile, size: int, options: ReadOptions) -> Iterator[tuple[str, NewDocument]]:
    with open_regular(item.path) as handle:
        size = max(size, os.fstat(handle.fileno()).st_size)
        too_big = (
            f"the CSV file is {size / MB:.0f} MB, over the limit of {options.max_csv_bytes / MB:g} MB; "
            "split it or convert it to JSON Lines"
        )
        if size > options.max_csv_bytes:
            raise RefusedInput(too_big)
        data = read_limited(handle, options.max_csv_bytes, too_big)
    if not data.strip():
        raise RefusedInput("the file is empty")
    from workbench.core.annotated_import import sniff

    sniff.refuse(item.path, data[:65536])  # another tool's annotations (WebAnno TSV is tab-separated too)
    content, encoding = decode(data)
    del data
    sample = content[: 64 * 1024]
    delimiter = "\t" if item.path.lower().endswith(".tsv") else ","
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        pass
    csv.field_size_limit(max(options.max_document_bytes * 2, 1 << 20))
    lines = _Lines(content)
    reader = csv.DictReader(lines, delimiter=delimiter)
    columns = [c.strip().lstrip("\ufeff") for c in (reader.fieldnames or [])]
    reader.fieldnames = columns
    if options.text_column not in columns:
        raise RefusedInput(
            f"there is no column {options.text_column!r} "
            f"(columns: {', '.join(columns) or 'none'}); name the text column with --text-column"
        )
    any_row = False
    lines.taken = []
    try:
        last: tuple[list[str], int] = ([], 0)
        for row in reader:
            # Only the last row can hold a quote never closed: it takes in the rest of the file.
            last, lines.taken = (lines.taken, reader.line_num), []
            number = reader.line_num
            where = f"line {number}: "
            text = row.get(options.text_column) or ""
            if len(text.encode("utf-8")) > options.max_document_bytes:
                raise RefusedInput(where + _too_big(len(text.encode("utf-8")), options.max_document_bytes).reason)
            record: dict[str, Any] = {k: v for k, v in row.items() if k is not None}
            record["text"] = text
            if options.text_column != "text":
                record.pop(options.text_column, None)
            any_row = True
            yield f"{item.path}:{number}", record_document(record, item, number, encoding)
        _check_quotes(*last, delimiter)
    except csv.Error as exc:
        raise RefusedInput(f"not a readable CSV file ({exc})") from None
    if not any_row:
        raise RefusedInput("the file has a header but no rows")


class _Lines:
    """The lines of a CSV text for :mod:`csv`, keeping those of the row being read."""

    def __init__(self, content: str):
        self._lines = io.StringIO(content, newline="")
        self.taken: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.taken.append(line)
        return line


def _check_quotes(lines: list[str], last_line: int, delimiter: str) -> None:
    """Refuse a CSV row (its ``lines``, the last numbered ``last_line``) holding a quoted
    field that is never closed: :mod:`csv` would read the rest of the file into it."""
    if not any('"' in line for line in lines):
        return
    quoted = False
    at_start = True
    opened = 0
    first = last_line - len(lines) + 1
    for offset, line in enumerate(lines):
        index = 0
        while index < len(line):
            char = line[index]
            if quoted:
                if char == '"':
                    if line.startswith('"', index + 1):
                        index += 1
                    else:
                        quoted = False
            elif char == '"' and at_start:
                quoted, opened = True, first + offset
            elif char in (delimiter, "\n", "\r"):
                at_start = True
                index += 1
                continue
            at_start = False
            index += 1
    if quoted:
        raise RefusedInput(
            f'line {opened}: a quoted field opens here and is never closed (a missing closing quote "); '
            "the rest of the file would become one field"
        )


def record_document(record: dict[str, Any], item: InputFile, line: int, encoding: str) -> NewDocument:
    """A document from one JSONL line or CSV row (``line`` numbers it in the file)."""
    where = f"line {line}: "
    text = _prepared(record["text"], where)
    meta = record.get("meta") or {}
    if not isinstance(meta, dict):
        raise RefusedInput(where + '"meta" must be a JSON object')
    meta = dict(meta)
    for key, value in record.items():
        if key not in _JSONL_FIELDS and value not in (None, ""):
            meta[key] = value
    published, raw_date = parse_publication_date(record.get("date"))
    if raw_date:
        meta["date"] = raw_date
    doc_id = record.get("id")
    return NewDocument(
        text=text,
        # Titles and sources are cleaned as texts are (an RLO in a title reorders every list showing it).
        title=normalize_line(str(record.get("title") or "")),
        source=normalize_line(str(record["source"])) or None if record.get("source") else None,
        published=published,
        file_name=item.name,
        encoding=encoding,
        meta=meta,
        id=None if doc_id in (None, "") else str(doc_id),
        id_hint=f"{os.path.splitext(item.name)[0]}-{line}",
    )


def parse_publication_date(value: Any) -> tuple[str | None, str | None]:
    """``(iso_date, None)`` for an ISO 8601 date or timestamp, else ``(None, the raw value)``."""
    if value in (None, ""):
        return None, None
    text = str(value).strip()
    for parse in (_dt.date.fromisoformat, _dt.datetime.fromisoformat):
        try:
            return parse(text).strftime("%Y-%m-%d"), None
        except ValueError:
            pass
    return None, text
