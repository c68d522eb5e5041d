"""The input of the agreement measures: documents, their text and each annotator's spans.

Plain values, no database: the caller chooses the documents (for instance only the
ones every annotator marked done) and hands them over as :class:`Document` objects.

Offsets are Python ``str`` indices (code points), half-open ``[start, end)``, into
``Document.text``. An annotator missing from a document's ``annotations`` mapping
counts as having marked nothing in that document. The same span (start, end,
label) given twice by one annotator counts once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from workbench.core.errors import WorkbenchError


class AgreementInputError(WorkbenchError, ValueError):
    """The documents or spans handed to the agreement measures cannot be used as given."""


@dataclass(frozen=True, slots=True)
class Annotation:
    """One labelled span ``[start, end)`` in code points, end exclusive."""

    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class Document:
    """One document: its identity, its stored text and each annotator's spans in it."""

    doc_id: str
    text: str
    annotations: Mapping[str, Sequence[Annotation]] = field(default_factory=dict)


def documents_from_dicts(items: Iterable[Mapping[str, Any]]) -> list[Document]:
    """Documents from plain data such as JSON.

    Each item is ``{"doc_id": ..., "text": ..., "annotations": {annotator: [{"start": ..,
    "end": .., "label": ..}, ...]}}``; extra keys (such as a span's ``"text"``) are ignored.
    """
    docs = []
    for item in items:
        anns = {
            str(name): tuple(Annotation(int(s["start"]), int(s["end"]), str(s["label"])) for s in spans)
            for name, spans in (item.get("annotations") or {}).items()
        }
        docs.append(Document(str(item["doc_id"]), str(item["text"]), anns))
    return docs
