"""Check an annotated file against the project (labels, attributes, offsets) and write it.

A file is checked completely before anything is written, and written in one
transaction: it joins the project whole or not at all.

A document joins the one the project holds with the same text (its SHA-256). A document
rebuilt from tokens (CoNLL) also joins the one whose tokens are its own, whatever the
spacing (:class:`TokenIndex`: a key per stored text, computed once and remembered by the
text's hash); its spans are moved onto the stored text. One whose tokens are those of
several stored documents refuses its file, naming them; one matching none is new.
"""

from __future__ import annotations

import hashlib
import shlex
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import regex

from workbench.core.annotated_import.conll import TokenDocumentRecord
from workbench.core.annotated_import.offsets import OffsetMap, normalize_with_map
from workbench.core.annotated_import.records import AnnotatedFile, DocumentRecord, SpanRecord
from workbench.core.errors import RefusedInput
from workbench.core.store import documents, status
from workbench.core.store import spans as span_store
from workbench.core.store.labels import Label, check_attribute, new_attribute, suggest_attribute
from workbench.core.store.project import GOLD, Project
from workbench.core.store.spans import Span, SpanError
from workbench.core.store.status import DONE
from workbench.core.text.normalise import normalize

_SHOWN = 40  # characters of a covered text quoted in a message
_COMMANDS_SHOWN = 5  # `labels attr add` commands suggested in one refusal


@dataclass
class FileResult:
    imported: list[str] = field(default_factory=list)
    joined: list[dict] = field(default_factory=list)  # {path, doc_id, spans}: documents already held
    spans: int = 0
    skipped: int = 0
    ignored: int = 0
    ignored_kinds: dict[str, int] = field(default_factory=dict)
    annotator_added: bool = False
    dropped_attributes: dict[str, int] = field(default_factory=dict)  # LABEL.attribute -> values dropped
    spans_not_read: int = 0  # plain import: documents whose record carried spans (kept in meta)


def drop_unknown_attributes(labels: list[Label], annotated: AnnotatedFile, label_map: dict[str, str]) -> dict[str, int]:
    """Take out of the file's spans the attributes their label does not have (``--ignore-attributes``)
    and count them: ``{"ACTOR.role": 5}``, one per value dropped. Spans of labels the schema
    lacks are left as they are (:func:`check` refuses them)."""
    by_name = {label.name: label for label in labels}
    dropped: dict[str, int] = {}
    for doc in annotated.documents:
        for record in doc.spans:
            label = by_name.get(label_map.get(record.label, record.label))
            if label is None:
                continue
            for name in [name for name in record.attributes if label.attribute(name) is None]:
                del record.attributes[name]
                key = f"{label.name}.{name}"
                dropped[key] = dropped.get(key, 0) + 1
    return dropped


def check(
    labels: list[Label], annotated: AnnotatedFile, label_map: dict[str, str]
) -> list[tuple[DocumentRecord, list[Span]]]:
    """Each document with its spans at offsets into the normalised text; ``RefusedInput`` if
    any label, attribute or span of the file is wrong."""
    by_name = {label.name: label for label in labels}
    records = [s for doc in annotated.documents for s in doc.spans]
    unknown: dict[str, str] = {}  # label -> where it first occurs
    for record in records:
        name = label_map.get(record.label, record.label)
        if name not in by_name:
            unknown.setdefault(name, record.where)
    if unknown:
        names = sorted(unknown)
        raise RefusedInput(
            f"labels that the project's schema does not have: {', '.join(names)} "
            f"(its labels are {', '.join(by_name)}; the first unknown one is at {unknown[names[0]]}); "
            f"map each to a label of the schema with --map, e.g. --map {names[0]}="
            f"{next(iter(by_name), 'LABEL')}, or add it to the schema"
        )
    missing: dict[str, str] = {}  # LABEL.attribute -> where it first occurs
    values: dict[tuple[str, str], list[Any]] = {}  # (LABEL, attribute) -> the file's values
    for record in records:
        label = by_name[label_map.get(record.label, record.label)]
        for name, value in record.attributes.items():
            if label.attribute(name) is None:
                missing.setdefault(f"{label.name}.{name}", record.where)
                values.setdefault((label.name, name), []).append(value)
    if missing:
        names = sorted(missing)
        raise RefusedInput(
            f"attributes that the project's schema does not have: {', '.join(names)} "
            f"(the first at {missing[names[0]]}); add them to the labels"
            f"{_attr_add_commands(by_name, values)}, or import the spans without them with "
            "--ignore-attributes (their values are dropped and counted in the report)"
        )
    return [(doc, _place(doc, by_name, label_map)) for doc in annotated.documents]


def _attr_add_commands(labels: dict[str, Label], values: dict[tuple[str, str], list[Any]]) -> str:
    """The ways to add the missing attributes, for the refusal: a ``labels attr add`` command for
    each one whose name can be an attribute's, its type read from the file's values."""
    commands = []
    for (label, name), given in sorted(values.items()):
        try:
            check_attribute(labels[label], new_attribute(name))
        except ValueError:
            continue  # not a name an attribute can have: only --ignore-attributes helps
        suggested = suggest_attribute(name, given)
        command = f"workbench-cli labels attr add {label} {name} --type {suggested.type}"
        if suggested.choices:
            command += f" --values {shlex.quote(','.join(suggested.choices))}"
        commands.append(command)
    if not commands:
        return ""
    shown = "; ".join(commands[:_COMMANDS_SHOWN])
    more = f"; and {len(commands) - _COMMANDS_SHOWN} more" if len(commands) > _COMMANDS_SHOWN else ""
    return f" ({shown}{more})"


def _place(doc: DocumentRecord, labels: dict[str, Label], label_map: dict[str, str]) -> list[Span]:
    readings = doc.raw_texts
    # Another reading of the text is tried only when the file states each span's text,
    # which tells the right reading from a wrong one.
    if not doc.spans or any(s.text is None for s in doc.spans):
        readings = readings[:1]
    failure: RefusedInput | None = None
    for raw in readings:
        text, offset = normalize_with_map(raw)
        if text != doc.document.text:  # pragma: no cover - readers give readings of one text
            raise RefusedInput("the text and its readings differ")
        try:
            edges = [_edges(record, raw, text, offset) for record in doc.spans]
        except RefusedInput as exc:
            failure = failure or exc
            continue
        placed = []
        for record, (start, end) in zip(doc.spans, edges):
            name = label_map.get(record.label, record.label)
            span = Span("", "", start, end, name, dict(record.attributes), record.note, record.unsure)
            try:
                placed.append(span_store.check(text, labels, span))
            except SpanError as exc:
                raise RefusedInput(f"{record.where}: {exc}") from None
        return placed
    assert failure is not None
    if len(readings) > 1:
        raise RefusedInput(
            failure.reason
            + " (also tried counting each CRLF as one character"
            + (" and counting the BOM" if any(r.startswith("\ufeff") for r in readings) else "")
            + ": no reading fits every span)"
        )
    raise failure


def _edges(record: SpanRecord, raw: str, text: str, offset: OffsetMap) -> tuple[int, int]:
    """The span's edges in the normalised text, or ``RefusedInput`` saying why it does not fit."""
    start, end, where = record.start, record.end, record.where
    if not (0 <= start <= len(raw) and 0 <= end <= len(raw)):
        raise RefusedInput(f"{where}: the span [{start}, {end}) is outside the document's text (0 to {len(raw)})")
    if start >= end:
        raise RefusedInput(f"{where}: the span [{start}, {end}) is empty: it must end after it starts")
    new_start, new_end = offset(start), offset(end)
    for name, value, edge in (("starts", new_start, start), ("ends", new_end, end)):
        if value is None:
            raise RefusedInput(
                f"{where}: the span [{start}, {end}) {name} inside a line end (between CR and LF) "
                f"or inside a character that Unicode normalisation changes (at {edge})"
            )
    assert new_start is not None and new_end is not None
    problem = span_store.edge_problem(text, new_start, new_end)
    if problem:
        if (new_start, new_end) != (start, end):
            problem += f" (at [{new_start}, {new_end}) in the normalised text)"
        raise RefusedInput(f"{where}: {problem}")
    for (_, gap_start), (gap_end, _) in zip(record.fragments, record.fragments[1:]):
        left, right = offset(gap_start), offset(gap_end)
        if not (start <= gap_start <= gap_end <= end) or left is None or right is None or text[left:right].strip():
            raise RefusedInput(
                f"{where}: a discontinuous span ({'; '.join(f'{s} {e}' for s, e in record.fragments)}) with text "
                "between its fragments; the workbench holds only continuous spans: join its fragments "
                "or make them separate entities"
            )
    covered = text[new_start:new_end]
    if record.text is not None and not _same(record.text, covered):
        raise RefusedInput(
            f"{where}: the file says the span [{start}, {end}) covers «{_short(record.text)}», "
            f"but the text there is «{_short(covered)}»"
        )
    return new_start, new_end


def _same(stated: str, covered: str) -> bool:
    stated = normalize(stated)
    return stated == covered or stated.split() == covered.split()


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def write(project: Project, layer: str | None, checked: Iterable[tuple[DocumentRecord, list[Span]]]) -> FileResult:
    """Store the file's documents (unless the project holds their text) and, unless ``layer``
    is ``None`` (a plain import), add their spans to ``layer`` and mark them done for an
    annotator. A span the layer already has is skipped. Call inside a transaction (the
    import's, a savepoint for the file): ``checked`` may be read lazily, and a
    :class:`RefusedInput` from it or from here undoes the whole file."""
    result = FileResult()
    db = project.db
    if layer is not None and layer != GOLD and layer not in project.annotators():
        project.add_annotator(layer)
        result.annotator_added = True
    tokens: TokenIndex | None = None
    for doc, placed in checked:
        joined_by = None
        if isinstance(doc, TokenDocumentRecord):
            tokens = tokens or TokenIndex(db)
            found = tokens.match(doc)
            if found is not None:
                joined_by = "tokens"
                doc_id, placed = found[0], _moved(doc, placed, found[1])
        if joined_by is None:
            try:
                added, doc_id = documents.insert(db, doc.document)
            except RefusedInput as exc:
                raise RefusedInput(exc.reason, doc.origin) from None
            if added and tokens is not None:
                tokens.added(doc_id, doc.document)
        else:
            added = False
        fresh = []
        if layer is not None:
            present = {(s.start, s.end, s.label) for s in span_store.for_document(db, doc_id, layer)}
            for span in placed:
                key = (span.start, span.end, span.label)
                if key in present:
                    result.skipped += 1
                    continue
                present.add(key)
                fresh.append(replace(span, doc_id=doc_id, annotator=layer))
            if fresh:
                span_store.insert_many(db, fresh, layer)
            if layer != GOLD:
                status.set_status(db, doc_id, layer, DONE, layer)
        result.spans += len(fresh)
        if added:
            result.imported.append(doc_id)
        else:
            joined = {"path": doc.origin, "doc_id": doc_id, "spans": len(fresh)}
            if joined_by:
                joined["matched_by"] = joined_by
            result.joined.append(joined)
    return result


# --- documents rebuilt from tokens (CoNLL) ------------------------------------------------

_WHITESPACE = regex.compile(r"\s+")  # the export tokenizer's whitespace (no token holds any)
_NOT_SPACE = regex.compile(r"\S")
_KEYS: dict[str, bytes] = {}  # text SHA-256 -> token key: a pure function of the text, kept across runs
_KEYS_KEPT = 200_000
_READ_ALL = 64  # more texts than this to key: read them in one pass rather than one query each


def token_key(text: str) -> bytes:
    """A digest of the token sequence of ``text`` as the export tokenizer cuts it
    (:func:`workbench.core.export.tokens.tokenize`), whatever the spacing between tokens
    and however the tokens were cut (``--boundary split`` cuts ``ببنغازي`` in two): the
    tokens cover every character but whitespace, so their concatenation is the text
    without its whitespace."""
    return hashlib.blake2b(_WHITESPACE.sub("", text).encode("utf-8", "surrogatepass"), digest_size=16).digest()


class TokenIndex:
    """The token key of every document the project holds, for one file of an import: keys
    are computed once per text (and remembered by its SHA-256), not per pair of documents."""

    def __init__(self, db) -> None:
        self.db = db
        held = documents.hashes(db)  # id -> sha256
        self.by_sha = {sha: doc_id for doc_id, sha in held.items()}
        missing = [(doc_id, sha) for doc_id, sha in held.items() if sha not in _KEYS]
        if len(_KEYS) + len(missing) > _KEYS_KEPT:
            _KEYS.clear()
            missing = list(held.items())
        if len(missing) > _READ_ALL:
            wanted = {doc_id for doc_id, _ in missing}
            for doc_id, *_, sha, text in documents.export_rows(db):
                if doc_id in wanted:
                    _KEYS[sha] = token_key(text)
        else:
            for doc_id, sha in missing:
                _KEYS[sha] = token_key(documents.text(db, doc_id) or "")
        self.by_key: dict[bytes, list[str]] = {}
        for doc_id, sha in held.items():
            self.by_key.setdefault(_KEYS[sha], []).append(doc_id)

    def added(self, doc_id: str, document) -> None:
        _KEYS[document.sha256] = key = token_key(document.text)
        self.by_sha[document.sha256] = doc_id
        self.by_key.setdefault(key, []).append(doc_id)

    def match(self, doc: DocumentRecord) -> tuple[str, str] | None:
        """``(id, stored text)`` of the document the project holds with ``doc``'s tokens, or
        ``None`` (none, or the project holds ``doc``'s very text: the usual join does it).
        Several documents with those tokens refuse the file, naming them."""
        if doc.document.sha256 in self.by_sha:
            return None
        candidates = self.by_key.get(token_key(doc.document.text), [])
        if not candidates:
            return None
        if len(candidates) > 1:
            shown = ", ".join(candidates[:5]) + (" ..." if len(candidates) > 5 else "")
            raise RefusedInput(
                f"the document at {doc.origin} has the tokens of {len(candidates)} documents the project "
                f"holds ({shown}), which differ only in their spacing; it cannot tell which to join: "
                "import its spans from this project's JSONL or brat export instead"
            )
        stored = documents.text(self.db, candidates[0]) or ""
        if _WHITESPACE.sub("", stored) != _WHITESPACE.sub("", doc.document.text):  # pragma: no cover - 128-bit digest
            return None
        return candidates[0], stored


def _moved(doc: DocumentRecord, placed: list[Span], stored: str) -> list[Span]:
    """The spans placed on ``doc``'s rebuilt text, moved onto ``stored`` (the same characters
    but whitespace): each edge keeps the character it is at, counted without whitespace."""
    if not placed:
        return placed
    rebuilt = doc.document.text
    rank = {m.start(): i for i, m in enumerate(_NOT_SPACE.finditer(rebuilt))}
    where = [m.start() for m in _NOT_SPACE.finditer(stored)]
    moved = []
    for span in placed:
        first, last = rank.get(span.start), rank.get(span.end - 1)
        if first is None or last is None:  # pragma: no cover - spans start and end on tokens
            raise RefusedInput(f"a span [{span.start}, {span.end}) begins or ends with a space", doc.origin)
        start, end = where[first], where[last] + 1
        problem = span_store.edge_problem(stored, start, end)
        if problem:
            raise RefusedInput(f"the span [{span.start}, {span.end}) on the stored text: {problem}", doc.origin)
        moved.append(replace(span, start=start, end=end))
    return moved
