"""The project's canonical names: its own gazetteer (imported from a CSV), the names its team
already gave, and the shipped gazetteer under both (:func:`gazetteer_of`).

The gazetteer's matching is plain Python (:mod:`.gazetteer`); this module reads and writes the
project (through the store) and checks an imported file the way every import is checked:

- UTF-8 (with or without a byte-order mark) or refused, saying which encoding it looks like;
  a binary file, an empty file, a file over 10 MB, a folder or a pipe refused with a sentence;
- a header line naming the columns ``name, label, canonical`` (``aliases`` optional, separated
  by ``|``), or refused;
- each row checked: a label of the schema that has a ``canonical`` attribute (ACTOR and
  LOCATION by default), a name and a canonical name that are not empty. A bad row is refused
  with its line number and the reason; the good rows are imported in one transaction, so an
  import is complete or leaves the project as it was. Rows that repeat a name are counted.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.core.errors import InvalidInput, RefusedInput
from workbench.core.sources import MB, open_regular, read_limited
from workbench.core.store import changelog
from workbench.core.store import gazetteer as names_store
from workbench.core.store.labels import Label
from workbench.core.store.project import Project
from workbench.core.text.decoding import decode
from workbench.core.text.normalise import normalize_line
from workbench.core.values import PROJECT_NAMES
from workbench.core.values.gazetteer import (
    ALIAS_SEPARATOR,
    CANONICAL,
    PROJECT,
    TEAM,
    Entry,
    Gazetteer,
    name_key,
    shipped_gazetteer,
)

__all__ = [  # shipped_gazetteer too: the project's gazetteer without the project's names
    "GazetteerImport",
    "gazetteer_of",
    "import_gazetteer",
    "name_labels",
    "project_entries",
    "shipped_gazetteer",
    "team_entries",
]

MAX_BYTES = 10 * MB  # a gazetteer file larger than this is refused
MAX_FIELD = 300  # characters of a name, an alias or a canonical name
REQUIRED = ("name", "label", "canonical")
ACTION = "gazetteer.import"  # the change log's action for an import


# --- the labels that carry canonical names ------------------------------------------------------


def name_labels(project: Project) -> list[str]:
    """The schema's labels that have a ``canonical`` attribute (ACTOR and LOCATION by default)."""
    return [label.name for label in project.labels() if label.attribute(CANONICAL) is not None]


# --- reading the project's names ----------------------------------------------------------------


def project_entries(project: Project) -> list[Entry]:
    """The project's own gazetteer as entries (they win over everything else)."""
    return [Entry(row.name, row.label, row.canonical, PROJECT_NAMES, PROJECT) for row in names_store.names(project.db)]


def team_entries(project: Project) -> list[Entry]:
    """The names the team already gave: for each folded span text and label, the canonical name
    given most often (ties: the first in alphabetical order), weighted by its share."""
    return _team(_given(project, name_labels(project)))


def _given(project: Project, labels: list[str]) -> Counter[tuple[str, str, str]]:
    """How many spans gave each ``(span text, label, canonical name)``."""
    return Counter(
        {(text, label, canonical): n for text, label, canonical, n in names_store.given_names(project.db, labels)}
    )


def _team(given_names: Counter[tuple[str, str, str]]) -> list[Entry]:
    given: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    spelling: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for (text, label, canonical), n in given_names.items():
        key = name_key(text)
        if key and n > 0:
            given[key, label][" ".join(canonical.split())] += n
            spelling[key, label][text] += n
    entries = []
    for (key, label), counts in sorted(given.items()):
        canonical, n = min(counts.items(), key=lambda item: (-item[1], item[0]))
        name = min(spelling[key, label].items(), key=lambda item: (-item[1], item[0]))[0]
        entries.append(Entry(name, label, canonical, PROJECT_NAMES, TEAM, n / sum(counts.values())))
    return entries


@dataclass
class _Cached:
    signature: tuple[Any, ...]  # names_store.signature: O(1), changes with any logged change
    team_signature: tuple[Any, ...]  # the labels and names_store.given_signature: O(1) (0010)
    project_rows: tuple[Any, ...]  # the project gazetteer's size and newest row
    given: Counter[tuple[str, str, str]]  # the names the team gave, as of team_signature (never changed)
    team: list[Entry]
    gazetteer: Gazetteer


_CACHE: dict[str, _Cached] = {}
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 4


def gazetteer_of(project: Project) -> Gazetteer:
    """The project's gazetteer: the shipped names, the team's names over them, the project's own
    over those. Cached per project file: nothing is read again while nothing was logged or
    committed elsewhere (:func:`~workbench.core.store.gazetteer.signature`); the names the team
    gave are checked in O(1) (:func:`~workbench.core.store.gazetteer.given_signature`, kept by
    SQLite's triggers) and, when they changed, only the changes are read
    (:func:`~workbench.core.store.gazetteer.given_changes`), or all of them when the log no
    longer reaches back. Nothing computed inside an open transaction (it may be rolled back) is
    kept."""
    path = os.path.realpath(project.path)
    db = project.db
    signature = names_store.signature(db)
    with _CACHE_LOCK:
        cached = _CACHE.get(path)
    if cached is not None and cached.signature == signature:
        return cached.gazetteer
    labels = name_labels(project)
    team_signature = (tuple(labels), names_store.given_signature(db, labels))
    project_rows = signature[1:3]
    if cached is not None and cached.team_signature == team_signature and cached.project_rows == project_rows:
        if not db.conn.in_transaction:
            cached.signature = signature
        return cached.gazetteer
    if cached is not None and cached.team_signature == team_signature:
        given, team = cached.given, cached.team
    else:
        given = _caught_up(project, labels, cached, team_signature)
        team = _team(given)
    gazetteer = Gazetteer.merged(project=project_entries(project), team=team)
    if db.conn.in_transaction:
        return gazetteer
    with _CACHE_LOCK:
        _CACHE.pop(path, None)
        while len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[path] = _Cached(signature, team_signature, project_rows, given, team, gazetteer)
    return gazetteer


def _caught_up(
    project: Project, labels: list[str], cached: _Cached | None, team_signature: tuple[Any, ...]
) -> Counter[tuple[str, str, str]]:
    """The names the team gave now: the cached ones with the log's changes since, when the cache
    is of the same labels and file and the log still holds them; else read again whole."""
    now = team_signature[1]
    if cached is not None and now[:1] == ("log",):
        then = cached.team_signature[1]
        if cached.team_signature[0] == team_signature[0] and then[:2] == now[:2] and then[2] <= now[2]:
            changes = names_store.given_changes(project.db, then[2], now[2])
            if changes is not None:
                given = cached.given.copy()  # the cached one may be read by another thread
                kept = set(labels)
                for text, label, canonical, sign in changes:
                    if label in kept:
                        given[text, label, canonical] += sign
                return +given  # without the names no span gives any more
    return _given(project, labels)


# --- importing a gazetteer CSV ------------------------------------------------------------------


@dataclass
class GazetteerImport:
    """What an import did: names added, replaced (another canonical name or spelling), already
    there as given, repeated within the file, and the rows refused (``{"line", "reason"}``)."""

    path: str
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    duplicates: int = 0
    refused: list[dict[str, Any]] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "added": self.added,
            "replaced": self.replaced,
            "unchanged": self.unchanged,
            "duplicates": self.duplicates,
            "refused": list(self.refused),
            "ignored_columns": list(self.ignored_columns),
        }

    def summary(self) -> str:
        parts = [
            f"{self.added} names added",
            f"{self.replaced} replaced",
            f"{self.unchanged} already in the project",
            f"{self.duplicates} repeated in the file",
            f"{len(self.refused)} rows refused",
        ]
        text = ", ".join(parts)
        if self.ignored_columns:
            text += f" (columns not read: {', '.join(self.ignored_columns)})"
        return text


def import_gazetteer(project: Project, path: str | Path, actor: str | None = None) -> GazetteerImport:
    """Import a gazetteer CSV (``name, label, canonical, aliases``) into the project's own
    gazetteer: see the module's docstring for the checks. A file that cannot be read as one
    raises :class:`RefusedInput` (nothing written); refused rows are in the report, and the
    rest is written in one transaction, logged as one change."""
    path = str(path)
    project.check_writable()
    content = _read_text(path)
    labels = {name.upper(): name for name in name_labels(project)}
    report = GazetteerImport(path)
    rows = _rows(content, path, report)
    chosen: dict[tuple[str, str], tuple[str, str, int]] = {}  # (folded, label) -> (name, canonical, line)
    any_row = False
    for line, row in rows:
        any_row = True
        problem, entries = _check_row(row, labels)
        if problem is None:
            problem = _conflict(entries, chosen, line)
        if problem is not None:
            report.refused.append({"line": line, "reason": problem})
            continue
        for folded, label, name, canonical in entries:
            if (folded, label) in chosen:
                report.duplicates += 1
            else:
                chosen[folded, label] = (name, canonical, line)
    if not any_row:
        raise RefusedInput("the file has a header but no rows", path)
    if chosen:
        rows = [(folded, label, name, canonical) for (folded, label), (name, canonical, _) in chosen.items()]
        with project.transaction() as db:
            done = names_store.put(db, rows, source=os.path.basename(path))
            if done.added or done.replaced:
                # One change for the import, with what it replaced: the audit trail of the names.
                changelog.record(
                    db,
                    ACTION,
                    actor or project.current_annotator or "lead",
                    before={"replaced": [list(row[1:]) for row in done.previous]},
                    after={
                        "file": os.path.basename(path),
                        "added": done.added,
                        "replaced": done.replaced,
                        "names": [list(row[1:]) for row in rows],
                    },
                )
        report.added, report.replaced, report.unchanged = done.added, done.replaced, done.unchanged
    return report


def _read_text(path: str) -> str:
    """The file's text: UTF-8 (a byte-order mark is dropped) or :class:`RefusedInput`."""
    try:
        with open_regular(path) as handle:
            data = read_limited(
                handle,
                MAX_BYTES,
                f"the file is over the limit of {MAX_BYTES // MB} MB for a gazetteer; split it into smaller files",
            )
    except RefusedInput as exc:
        raise RefusedInput(exc.reason, path) from None
    if not data.strip():
        raise RefusedInput("the file is empty", path)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise RefusedInput(
            'the file is UTF-16; a gazetteer is read as UTF-8: save it as "CSV UTF-8" and import it again', path
        )
    if b"\x00" in data:
        raise RefusedInput("this looks like a binary file, not a CSV text (it contains NUL bytes)", path)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        looks = ""
        try:
            looks = f" (it looks like {decode(data)[1]})"
        except RefusedInput:
            pass
        raise RefusedInput(
            f"the file is not UTF-8{looks}: byte {exc.start} cannot be read. A gazetteer is read as UTF-8: "
            'save it as "CSV UTF-8" and import it again',
            path,
        ) from None


def _rows(content: str, path: str, report: GazetteerImport):
    """``(line, row)`` for each non-blank data row; the header checked first."""
    lines = io.StringIO(content, newline="")
    first = content.split("\n", 1)[0]
    delimiter = ","
    if first.count(";") > first.count(",") and first.count(";") >= first.count("\t"):
        delimiter = ";"
    elif first.count("\t") > first.count(","):
        delimiter = "\t"
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = next(reader, [])
    except csv.Error as exc:
        raise RefusedInput(f"not a readable CSV file ({exc})", path) from None
    columns = [c.strip().lower() for c in header]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        shown = ", ".join(repr(c) for c in header[:6]) or "nothing"
        raise RefusedInput(
            "the file has no header line naming its columns: its first line must be "
            f"'name,label,canonical,aliases' (aliases optional); it holds {shown} "
            f"(no column {', '.join(missing)})",
            path,
        )
    report.ignored_columns = [header[i].strip() for i, c in enumerate(columns) if c not in (*REQUIRED, "aliases")]
    position = {c: columns.index(c) for c in (*REQUIRED, "aliases") if c in columns}
    line = reader.line_num
    try:
        for cells in reader:
            start, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if any("\n" in cell or "\r" in cell for cell in cells):
                raise RefusedInput(
                    f'line {start}: a field runs over a line break (a quote " opened and never closed?); '
                    "names are one line each",
                    path,
                )
            yield start, {c: cells[i] if i < len(cells) else "" for c, i in position.items()}
    except csv.Error as exc:
        raise RefusedInput(f"line {line + 1}: not a readable CSV row ({exc})", path) from None


def checked_names(rows: Any, labels: Iterable[Label]) -> list[tuple[str, str, str, str]]:
    """A project bundle's gazetteer (``[{"name", "label", "canonical"}]``) checked as an imported
    CSV's rows are, against ``labels`` (the bundle's schema): ``(folded, label, name, canonical)``
    each, or :class:`InvalidInput` saying which row is refused and why."""
    if not isinstance(rows, list):
        raise InvalidInput("its gazetteer is not a list of names")
    known = {label.name.upper(): label.name for label in labels if label.attribute(CANONICAL) is not None}
    entries: list[tuple[str, str, str, str]] = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or not all(isinstance(row.get(k), str) for k in ("name", "label", "canonical")):
            raise InvalidInput(f"name {number} of its gazetteer is malformed")
        problem, found = _check_row({k: row[k] for k in ("name", "label", "canonical")}, known)
        if problem is not None:
            raise InvalidInput(f"name {number} of its gazetteer is refused: {problem}")
        entries += found
    return entries


def _check_row(row: dict[str, str], labels: dict[str, str]) -> tuple[str | None, list[tuple[str, str, str, str]]]:
    """``(why the row is refused, None)`` or ``(None, its (folded, label, name, canonical) entries)``."""
    name = normalize_line(row.get("name", ""))
    label = row.get("label", "").strip()
    canonical = " ".join(normalize_line(row.get("canonical", "")).split())
    aliases = [normalize_line(a) for a in row.get("aliases", "").split(ALIAS_SEPARATOR)]
    known = ", ".join(labels.values()) or "none"
    if not name:
        return "the name is empty", []
    if not canonical:
        return f"the canonical name of {name!r} is empty", []
    if not label:
        return f"the label of {name!r} is empty (one of {known})", []
    if label.upper() not in labels:
        return f"{label!r} is not a label with a canonical name in this project (one of {known})", []
    label = labels[label.upper()]
    names = [name, *(a for a in aliases if a)]
    too_long = next((n for n in [*names, canonical] if len(n) > MAX_FIELD), None)
    if too_long is not None:
        return f"{too_long[:40]!r}… is longer than {MAX_FIELD} characters", []
    entries = []
    for written in names:
        folded = name_key(written)
        if not folded:
            return f"{written!r} has no letters or digits to match", []
        entries.append((folded, label, written, canonical))
    return None, entries


def _conflict(
    entries: list[tuple[str, str, str, str]], chosen: dict[tuple[str, str], tuple[str, str, int]], line: int
) -> str | None:
    """Why the row contradicts an earlier one (a name given another canonical name), or ``None``."""
    for folded, label, name, canonical in entries:
        earlier = chosen.get((folded, label))
        if earlier is not None and earlier[1] != canonical:
            return (
                f"{name!r} ({label}) is given the canonical name {canonical!r}, but line {earlier[2]} "
                f"gives it {earlier[1]!r}"
            )
    return None
