"""Which other tool's format a file given to another reader looks like, and the refusal saying so.

:func:`looks_like` takes what a reader has at hand when it meets something it does not
read: the first record of a JSON or JSON Lines file (an object), the whole parsed JSON
value (a list of tasks), or the file's first bytes. It answers with a format name of
:data:`workbench.core.sources.ANNOTATED` or ``None``. The checks are signatures no other
format shares:

- **Label Studio** (``label-studio``): a task with ``annotations`` (``completions`` before
  1.0) or ``predictions`` whose entries hold a ``result`` list; or its JSON_MIN row, a ``text``
  with a list of regions ``{start, end, labels: [...]}``;
- **WebAnno TSV** (``webanno-tsv``): a first line ``#FORMAT=WebAnno TSV``; **UIMA CAS XMI**
  (``xmi``): the ``xmi:XMI`` root or the CAS namespace in the first 4 KB;
- **Prodigy** (``prodigy``): a task with Prodigy's hashes (``_input_hash``, ``_task_hash``),
  an ``answer`` of accept, reject or ignore, tokens as objects ``{text, start, end, id}``, or
  spans with ``token_start``.

:func:`refusal` is the sentence a reader refuses the file with: the format it looks like
and the command that reads it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from typing import Any

from workbench.core.errors import RefusedInput
from workbench.core.sources import open_regular

# the names of workbench.core.sources
LABEL_STUDIO, PRODIGY, WEBANNO_TSV, XMI = "label-studio", "prodigy", "webanno-tsv", "xmi"

# What a file of each format is, in a refusal ("x.json looks like a Label Studio export").
DESCRIPTIONS = {
    LABEL_STUDIO: "a Label Studio export",
    PRODIGY: "Prodigy annotations",
    WEBANNO_TSV: "WebAnno TSV (INCEpTION's export)",
    XMI: "UIMA CAS XMI (INCEpTION's export)",
}
_ANSWERS = {"accept", "reject", "ignore"}
_HEAD = 64 * 1024  # bytes of a file looked at
# Signatures in a file's first bytes (JSON keys as Label Studio and Prodigy write them).
_BYTE_SIGNATURES = (
    (LABEL_STUDIO, re.compile(rb'"(?:annotations|completions|predictions)"\s*:\s*\[\s*\{[^\[]*?"result"\s*:')),
    (LABEL_STUDIO, re.compile(rb'"from_name"\s*:\s*"[^"]*"[^{}]*?"to_name"\s*:')),
    (PRODIGY, re.compile(rb'"_(?:input|task)_hash"\s*:\s*-?\d')),
    (PRODIGY, re.compile(rb'"token_start"\s*:\s*\d+\s*,\s*"token_end"')),
    # a region's offsets and labels, in either order (JSON_MIN too)
    (LABEL_STUDIO, re.compile(rb'"(?:start|end)"\s*:\s*\d+\s*,[^{}]*?"labels"\s*:\s*\[\s*"')),
    (LABEL_STUDIO, re.compile(rb'"labels"\s*:\s*\[\s*"[^\]]*\]\s*,[^{}]*?"(?:start|end)"\s*:\s*\d')),
)


def looks_like(first: Any) -> str | None:
    """The format ``first`` (a record, a parsed JSON value, or a file's first bytes) looks
    like: ``"label-studio"``, ``"prodigy"``, or ``None`` when it looks like neither."""
    if isinstance(first, (bytes, bytearray)):
        return _bytes(bytes(first[:_HEAD]))
    if isinstance(first, str):
        return _bytes(first[:_HEAD].encode("utf-8", "surrogatepass"))
    if isinstance(first, list):
        record = next((item for item in first if isinstance(item, dict)), None)
        return None if record is None else _record(record)
    if isinstance(first, dict):
        return _record(first)
    return None


def file_head(path: str) -> bytes:
    """The first bytes of the file at ``path`` that :func:`looks_like` looks at (none if unreadable)."""
    try:
        with open_regular(path) as handle:
            return handle.read(_HEAD)
    except (RefusedInput, OSError):
        return b""


def refuse(path: str, first: Any, only: Iterable[str] | None = None) -> None:
    """Refuse the file at ``path`` (:class:`RefusedInput`, the sentence of :func:`refusal`) when
    ``first`` (as :func:`looks_like` takes it) looks like another tool's format, or like one of
    ``only`` when given."""
    fmt = looks_like(first)
    if fmt is not None and (only is None or fmt in only):
        raise RefusedInput(refusal(path, fmt))


def first_record(
    path: str, records: Iterator[tuple[int, dict[str, Any], str]], only: Iterable[str] | None = None
) -> tuple[int, dict[str, Any], str]:
    """The first of ``records`` (the JSON Lines of ``path``), the file refused (:func:`refuse`)
    when that record looks like another tool's format, or, when the file is no JSON Lines at
    all, when its first bytes do (a Label Studio JSON array)."""
    try:
        first = next(records)
    except RefusedInput:
        fmt = looks_like(file_head(path))
        if fmt is not None and (only is None or fmt in only):
            raise RefusedInput(refusal(path, fmt)) from None
        raise
    refuse(path, first[1], only)
    return first


def refusal(path: str, fmt: str) -> str:
    """The reason a file of ``fmt`` given to another reader is refused: what it looks like and
    the command that imports it."""
    name = os.path.basename(path) or path
    what = DESCRIPTIONS.get(fmt, f"a {fmt} file")
    quoted = f"'{name}'" if any(c.isspace() for c in name) else name
    return f"{name} looks like {what}: import it with 'workbench-cli import {quoted} --format {fmt} --annotator NAME'"


def _record(record: dict[str, Any]) -> str | None:
    for key in ("annotations", "completions", "predictions"):
        entries = record.get(key)
        if isinstance(entries, list) and any(isinstance(e, dict) and "result" in e for e in entries):
            return LABEL_STUDIO
    if isinstance(record.get("data"), dict) and isinstance(record.get("annotations"), list):
        return LABEL_STUDIO
    if any(key in record for key in ("_input_hash", "_task_hash")) or record.get("answer") in _ANSWERS:
        return PRODIGY
    tokens = record.get("tokens")
    if isinstance(tokens, list) and tokens and all(isinstance(t, dict) and "start" in t for t in tokens[:3]):
        return PRODIGY
    spans = record.get("spans")
    if isinstance(spans, list) and any(isinstance(s, dict) and "token_start" in s for s in spans):
        return PRODIGY
    if isinstance(record.get("text"), str):
        for key, value in record.items():
            if key != "spans" and isinstance(value, list) and value and all(_min_region(v) for v in value):
                return LABEL_STUDIO
    return None


def _min_region(value: Any) -> bool:
    """A region of Label Studio's JSON_MIN export: ``{start, end, labels: [...]}``."""
    return isinstance(value, dict) and "start" in value and isinstance(value.get("labels"), list)


def _bytes(head: bytes) -> str | None:
    start = head[:4096].lstrip(b"\xef\xbb\xbf \t\r\n\xff\xfe\x00")
    if start[:1] not in (b"{", b"[", b"#", b"<"):
        return None  # (an article: none of these formats starts otherwise; import stays quick)
    if start.startswith(b"#FORMAT=WebAnno TSV"):
        return WEBANNO_TSV
    lowered = start.lower()
    if b"xmi:xmi" in lowered or b"http:///uima/cas.ecore" in lowered:
        return XMI
    for fmt, pattern in _BYTE_SIGNATURES:
        if pattern.search(head):
            return fmt
    return None
