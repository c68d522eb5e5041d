"""Which documents and spans an export takes: the gold layer, one annotator's, or the majority's.

- ``gold`` (the default): the documents with *complete* gold, with their gold spans.
  A document has gold when it has gold spans or its gold status is *done* (a document
  adjudicated to "no spans at all" counts); its gold is complete when every disagreement
  cluster of it has a gold span, or when the lead marked it done in the gold layer
  (:func:`workbench.core.store.status.gold_states`, the rule of
  :func:`workbench.core.adjudication.gold_complete`). Documents with incomplete gold are
  left out and counted (their disputed entities would otherwise be written as ``O``).
- ``annotator:NAME``: the documents NAME has spans in or marked *done*, with NAME's spans.
- ``majority``: every document with complete gold with its gold spans, and, for the
  other documents (no gold, or incomplete gold), the spans (same start, end and label) that more than half of the
  document's annotators marked. A document's annotators are the human annotators who have
  spans in it or marked it done; a document with fewer than two of them has no majority
  and is left out (counted). The attributes of a majority span are those most of the
  agreeing annotators gave (the first annotator's on a tie). Each document's ``layer``
  (``gold`` or ``majority``) is written with it and counted in the data card.

Documents come in the order of their ids; spans in reading order
(:data:`workbench.core.store.spans.READING_ORDER`), each document's layer read with a query
of its own (:func:`workbench.core.store.spans.layer_of_document`: no sort in SQLite). The
majority vote is :mod:`workbench.core.consensus`'s; a document's annotators are
:func:`workbench.core.store.annotators.of_documents` on the basis ``ANNOTATED_OR_DONE``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from workbench.core.consensus import consensus_index, is_majority
from workbench.core.export.options import ExportError
from workbench.core.store import annotators as layer_owners
from workbench.core.store import documents
from workbench.core.store import spans as span_store
from workbench.core.store import status as doc_status
from workbench.core.store.project import GOLD, Project
from workbench.core.store.spans import SpanTuple

GOLD_KIND, ANNOTATOR_KIND, MAJORITY_KIND = "gold", "annotator", "majority"


def attributes_of(span: SpanTuple) -> dict:
    """The span's attributes as a dict."""
    return {} if span[3] is None else json.loads(span[3])


@dataclass(frozen=True)
class Source:
    """A parsed ``--source``: ``kind`` is gold, annotator or majority."""

    kind: str
    annotator: str | None = None

    def __str__(self) -> str:
        return f"annotator:{self.annotator}" if self.kind == ANNOTATOR_KIND else self.kind

    def describe(self) -> str:
        if self.kind == GOLD_KIND:
            return (
                "the adjudicated gold layer (documents with complete gold: every disagreement has gold, "
                "or the gold status is done)"
            )
        if self.kind == ANNOTATOR_KIND:
            return f"annotator {self.annotator}'s spans (documents they annotated or marked done)"
        return (
            "gold where a document's gold is complete; elsewhere the majority vote: spans (same start, "
            "end and label) marked by more than half of the document's annotators"
        )


def parse_source(project: Project, text: str) -> Source:
    """``gold``, ``annotator:NAME`` or ``majority``; :class:`ExportError` says what is wrong."""
    raw = (text or "").strip()
    lowered = raw.lower()
    if lowered in (GOLD_KIND, MAJORITY_KIND):
        return Source(lowered)
    if lowered.startswith("annotator:"):
        name = raw.split(":", 1)[1].strip()
        if not name:
            raise ExportError("give the annotator's name after 'annotator:', e.g. annotator:Salma")
        if name.lower() == GOLD:
            raise ExportError("the gold layer is the source 'gold', not 'annotator:gold'")
        names = project.annotators()
        if name not in names:
            known = ", ".join(names) or "none yet"
            raise ExportError(f"there is no annotator {name!r} in this project (its annotators: {known})")
        return Source(ANNOTATOR_KIND, name)
    raise ExportError(f"unknown source {raw!r}: use gold, annotator:NAME or majority")


@dataclass
class SourceDocument:
    id: str
    text: str
    sha256: str
    meta: dict[str, Any]
    layer: str  # "gold", "annotator:NAME" or "majority"
    spans: list[SpanTuple]


@dataclass
class Selection:
    """The documents an export takes, before any is read in full."""

    source: Source
    documents: list[tuple[str, str]]  # (id, sha256), by id
    layers: dict[str, int] = field(default_factory=dict)  # layer -> documents
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> documents left out
    _majority: dict[str, tuple[list[SpanTuple], list[str]]] = field(default_factory=dict, repr=False)
    _gold: set[str] = field(default_factory=set, repr=False)
    incomplete_gold: dict[str, int] = field(default_factory=dict)  # doc id -> open clusters

    def labels_by_document(self, project: Project) -> dict[str, set[str]]:
        """The labels each document's exported spans carry (for stratified splits)."""
        out: dict[str, set[str]] = {doc_id: set() for doc_id, _ in self.documents}
        if self.source.kind == MAJORITY_KIND:
            for doc_id, (found, _) in self._majority.items():
                out[doc_id].update(s[2] for s in found)
            layer_docs, annotator = self._gold, GOLD
        else:
            layer_docs, annotator = set(out), _annotator(self.source)
        for doc_id, label in span_store.labels_by_document(project.db, annotator):
            if doc_id in layer_docs and doc_id in out:
                out[doc_id].add(label)
        return out


def _annotator(source: Source) -> str:
    if source.kind == ANNOTATOR_KIND and source.annotator:
        return source.annotator
    return GOLD


def _layer_documents(project: Project, annotator: str) -> set[str]:
    """Documents with spans of ``annotator`` or marked done by them."""
    return span_store.layer_documents(project.db, annotator)


INCOMPLETE_HINT = (
    "mark a document adjudicated with `workbench-cli status DOC done --annotator gold` to export it as it is"
)


def incomplete_gold_note(incomplete: dict[str, int]) -> str:
    """The sentence on documents with incomplete gold (report, data card, manifest)."""
    return (
        f"{len(incomplete)} documents with incomplete gold left out: {sum(incomplete.values())} open clusters; "
        + INCOMPLETE_HINT
    )


def _complete_gold(project: Project, shas: dict[str, str]) -> tuple[set[str], dict[str, int]]:
    """Documents with complete gold, and those with incomplete gold -> their open clusters."""
    complete, incomplete = set(), {}
    for doc_id, state in doc_status.gold_states(project.db).items():
        if doc_id not in shas:
            continue
        if state.complete:
            complete.add(doc_id)
        else:
            incomplete[doc_id] = state.open_clusters
    return complete, incomplete


def select(project: Project, source: Source) -> Selection:
    """The documents of ``source`` (see the module docstring), without their texts."""
    shas = documents.hashes(project.db)
    if source.kind == ANNOTATOR_KIND:
        chosen = _layer_documents(project, _annotator(source))
        docs = sorted((doc_id, shas[doc_id]) for doc_id in chosen if doc_id in shas)
        return Selection(source, docs, layers={str(source): len(docs)})
    gold, incomplete = _complete_gold(project, shas)
    if source.kind == GOLD_KIND:
        docs = sorted((doc_id, shas[doc_id]) for doc_id in gold)
        skipped = {"incomplete gold (open clusters)": len(incomplete)} if incomplete else {}
        return Selection(source, docs, layers={str(source): len(docs)}, skipped=skipped, incomplete_gold=incomplete)
    majority, skipped = _majority_spans(project, exclude=gold)
    docs = sorted((doc_id, shas[doc_id]) for doc_id in gold | set(majority) if doc_id in shas)
    return Selection(
        source,
        docs,
        layers={GOLD_KIND: len(gold), MAJORITY_KIND: len(majority)},
        skipped=skipped,
        _majority=majority,
        _gold=gold,
        incomplete_gold=incomplete,
    )


def _majority_spans(
    project: Project, exclude: set[str]
) -> tuple[dict[str, tuple[list[SpanTuple], list[str]]], dict[str, int]]:
    db = project.db
    order = {name: i for i, name in enumerate(layer_owners.humans(db))}
    involved = {
        doc_id: names
        for doc_id, names in layer_owners.of_documents(db, layer_owners.ANNOTATED_OR_DONE).items()
        if doc_id not in exclude
    }
    eligible = {doc_id: set(names) for doc_id, names in involved.items() if len(names) >= 2}
    skipped = {}
    single = len(involved) - len(eligible)
    if single:
        skipped["one annotator only, no majority"] = single
    # key -> annotator -> attributes (the first span of an annotator with that key)
    votes: dict[str, dict[tuple[int, int, str], dict[str, str]]] = {doc_id: {} for doc_id in eligible}
    for doc_id, annotator, start, end, label, attributes in span_store.other_layers_rows(db, GOLD):
        doc_votes = votes.get(doc_id)
        if doc_votes is None or annotator not in eligible[doc_id]:
            continue
        doc_votes.setdefault((start, end, label), {}).setdefault(annotator, attributes)
    out: dict[str, tuple[list[SpanTuple], list[str]]] = {}
    for doc_id, doc_votes in votes.items():
        n = len(eligible[doc_id])
        found: list[SpanTuple] = []
        for (start, end, label), by in doc_votes.items():
            if not is_majority(len(by), n):
                continue
            ranked = [a for _, a in sorted(by.items(), key=lambda item: order[item[0]])]
            chosen = ranked[consensus_index([_attributes(a) for a in ranked])]
            found.append((start, end, label, None if chosen in (None, "{}") else chosen))
        out[doc_id] = (found, involved[doc_id])
    return out, skipped


def _attributes(raw: str | None) -> dict:
    return {} if raw in (None, "{}") else json.loads(raw)


def iter_documents(project: Project, selection: Selection) -> Iterator[SourceDocument]:
    """Every selected document with its spans, in id order (the texts from one query, each
    document's layer from one query of its own: :func:`workbench.core.store.spans.layer_of_document`)."""
    wanted = {doc_id for doc_id, _ in selection.documents}
    source = selection.source
    layer_name = str(source)
    span_annotator = _annotator(source)
    majority = source.kind == MAJORITY_KIND
    for doc_id, title, origin, published, file_name, meta, sha256, text in documents.export_rows(project.db):
        if doc_id not in wanted:
            continue
        layer, names = layer_name, None
        if majority and doc_id not in selection._gold:
            found, names = selection._majority[doc_id]
        else:
            found = span_store.layer_of_document(project.db, doc_id, span_annotator)
            if majority:
                layer = GOLD_KIND
        info: dict[str, Any] = {
            "title": title,
            "source": origin,
            "published": published,
            "file_name": file_name,
            "sha256": sha256,
        }
        extra = {} if meta in ("{}", None) else json.loads(meta)
        if names is not None:
            info["annotators"] = names
        info["layer"] = layer
        for key, value in extra.items():
            info.setdefault(key, value)
        yield SourceDocument(doc_id, text, sha256, info, layer, found)
