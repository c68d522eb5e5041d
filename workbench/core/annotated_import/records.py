"""What a reader makes of an annotated file: documents with spans, before they are checked.

Offsets here are the input's own: into the raw text, before normalisation. The
checks and the writing are in :mod:`.merge`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workbench.core.store.documents import NewDocument


@dataclass
class SpanRecord:
    start: int
    end: int
    label: str  # as written in the file (the label map applies later)
    where: str  # names the span in messages: "line 4, span 2", "T3", "line 17"
    attributes: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    unsure: bool = False
    text: str | None = None  # the covered text the file states, checked against the text
    # brat fragments (start, end), raw offsets, when a span was written in pieces: the
    # span is accepted as one [start, end) only if nothing but whitespace is between them.
    fragments: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class DocumentRecord:
    origin: str  # the file, or file:line, for the report
    document: NewDocument  # normalised and checked text, metadata
    # The text as the offsets count it. More than one reading when the file cannot say
    # whether a tool counted CRLF as one or two characters or counted a BOM; they are
    # tried in order (only when every span states its text, so the right one is known).
    raw_texts: list[str]
    spans: list[SpanRecord] = field(default_factory=list)


@dataclass
class AnnotatedFile:
    path: str  # as reported
    documents: list[DocumentRecord] = field(default_factory=list)
    ignored: int = 0  # annotations of kinds the workbench does not hold (relations, events)
    ignored_kinds: dict[str, int] = field(default_factory=dict)  # the same, per kind: {"relations": 2}

    def ignore(self, kind: str, count: int = 1) -> None:
        """Count ``count`` annotations of ``kind`` (plural: "relations", "events") as ignored."""
        self.ignored += count
        self.ignored_kinds[kind] = self.ignored_kinds.get(kind, 0) + count
