"""Adjudication: turn several annotators' spans of a document into its gold layer.

:func:`clusters` groups the compared annotators' spans of one document into
*disagreement clusters* (spans that overlap, transitively) and types each one;
the adjudicator resolves a cluster by accepting one annotator's version
(:class:`AcceptVersion`), the majority's (:func:`majority`), or by editing or
adding a gold span by hand; unanimous clusters can be accepted in bulk
(:class:`AcceptMany`, :func:`accept_all_unanimous`).

The result is the document's gold layer: ordinary spans of the annotator
:data:`~workbench.core.store.project.GOLD`, written action by action (one transaction
each, logged in the change log, undoable). A gold span accepted here has a
provenance row (table ``gold_provenance``): which annotators agreed, who
adjudicated, when, the cluster and the source span ids; :func:`provenance`
reads it.

Gold spans edited or added by hand go through the ordinary actions
(:class:`~workbench.core.actions.CreateSpan`, :class:`~workbench.core.actions.EditSpan`,
:class:`~workbench.core.actions.DeleteSpan` with annotator ``gold``):

- a span added by hand has no provenance row (:func:`provenance` returns ``None``);
- an edited span keeps the row of its acceptance (it still says which versions it
  came from; the change log shows the manual edit after the row's ``at``);
- deleting a gold span deletes its row (``ON DELETE CASCADE``). ``DeleteSpan``'s
  undo brings the span back without it; :class:`DeleteGoldSpan` is the same
  action but restores the row on undo, so the adjudication view should use it.

No Qt here: the adjudication window and the command line both call this module.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from workbench.core import consensus as vote
from workbench.core.actions import Action, Change
from workbench.core.agreement.clitics import differ_by_proclitic
from workbench.core.errors import InvalidInput, NotFound, WorkbenchError
from workbench.core.store import annotators as layer_owners
from workbench.core.store import changelog, documents, spans
from workbench.core.store import provenance as provenance_store
from workbench.core.store import status as doc_status
from workbench.core.store.project import GOLD, Project, now
from workbench.core.store.spans import Span, SpanError

KINDS = ("unanimous", "label", "boundary", "proclitic", "missing", "nested", "attributes")
UNANIMOUS, LABEL, BOUNDARY, PROCLITIC, MISSING, NESTED, ATTRIBUTES = KINDS


class AdjudicationError(WorkbenchError):
    """A comparison or acceptance that cannot be made as asked; nothing was written."""


@dataclass(frozen=True)
class Version:
    """One annotator's span inside a cluster (``attributes`` is left out of the hash)."""

    annotator: str
    span_id: str
    start: int
    end: int
    label: str
    attributes: dict = field(default_factory=dict, hash=False)

    @property
    def key(self) -> tuple[int, int, str]:
        """What the majority is voted on: the edges and the label."""
        return (self.start, self.end, self.label)

    @property
    def full_key(self) -> tuple[int, int, str, str]:
        """What agreement is judged on: the edges, the label and the attributes."""
        return (self.start, self.end, self.label, json.dumps(self.attributes, sort_keys=True, ensure_ascii=False))

    @classmethod
    def of(cls, span: Span) -> Version:
        return cls(span.annotator, span.id, span.start, span.end, span.label, dict(span.attributes))


@dataclass(frozen=True)
class Cluster:
    """Overlapping spans of the compared annotators (see :func:`clusters`)."""

    id: str  # f"{start}:{end}:{hash of the member span ids}": stable for the same spans
    start: int  # the extent covered: min start, max end of the versions
    end: int
    kind: str  # one of KINDS
    versions: tuple[Version, ...]  # reading order, then annotator order
    missing: tuple[str, ...]  # compared annotators with no span in the cluster
    gold: tuple[str, ...]  # ids of gold spans overlapping [start, end): adjudicated if non-empty

    @property
    def annotators(self) -> tuple[str, ...]:
        """The annotators with a span in the cluster, in the order of their first version."""
        return tuple(dict.fromkeys(v.annotator for v in self.versions))

    @property
    def n_annotators(self) -> int:
        """How many annotators were compared (those with a span here and those missing)."""
        return len({v.annotator for v in self.versions}) + len(self.missing)


# --- honest gold ----------------------------------------------------------------

GoldState = doc_status.GoldState


def gold_states(project: Project, doc_ids: Iterable[str] | None = None) -> dict[str, GoldState]:
    """The documents with gold (gold spans or gold status done), each with its
    :class:`GoldState` (bulk, a few queries; see :func:`gold_complete`)."""
    return doc_status.gold_states(project.db, doc_ids)


def gold_complete(project: Project, doc_id: str) -> bool:
    """Whether the document's gold is *complete*: every disagreement cluster of it
    (:func:`clusters`) has gold (:attr:`Cluster.gold` non-empty), or the lead marked it
    adjudicated on purpose (the gold layer's status ``done``). A document without gold
    spans and not marked done has no gold: not complete. The rule itself lives in
    :func:`workbench.core.store.status.gold_states`, which the export reads too."""
    state = doc_status.gold_states(project.db, [doc_id]).get(doc_id)
    return state is not None and state.complete


def adjudication_progress(project: Project) -> dict[str, Any]:
    """How far adjudication is: documents with ``complete`` gold, with ``incomplete`` gold
    (``open_clusters`` in all; ``incomplete_documents``: doc id -> open clusters), and
    ``without_gold``, of ``total`` documents."""
    return doc_status.adjudication_progress(project.db)


# --- clusters -----------------------------------------------------------------


def _document_text(project: Project, doc_id: str) -> str:
    doc = documents.get(project.db, doc_id)
    if doc is None:
        raise AdjudicationError(f"there is no document {doc_id!r} in this project")
    return doc.text


def default_annotators(project: Project, doc_id: str) -> list[str]:
    """The human annotators who have spans in, or are assigned to, the document (in joining order)."""
    return layer_owners.of_document(project.db, doc_id, layer_owners.ASSIGNED_OR_ANNOTATED)


def _check_annotators(project: Project, annotators: Sequence[str]) -> list[str]:
    names = list(annotators)
    if GOLD in names:
        raise AdjudicationError(
            "the gold layer is what adjudication makes; it cannot be one of the compared annotators"
        )
    if len(set(names)) != len(names):
        raise AdjudicationError("an annotator is named twice in the comparison")
    unknown = layer_owners.unknown(project.db, names)
    if unknown:
        raise AdjudicationError(f"not annotators of this project: {', '.join(unknown)}")
    return names


def clusters(project: Project, doc_id: str, annotators: list[str] | None = None) -> list[Cluster]:
    """The document's disagreement clusters, in reading order.

    ``annotators`` are the annotators compared (default: :func:`default_annotators`).
    A cluster is a maximal set of their spans that overlap transitively (``[0, 5)``
    and ``[4, 9)`` overlap; ``[0, 5)`` and ``[5, 9)`` do not), so every span is in
    exactly one cluster and clusters do not overlap. Spans of other annotators are
    ignored; gold spans only fill :attr:`Cluster.gold`. Its ``kind`` is the first
    that applies, in this order:

    1. ``"unanimous"``: each of the n compared annotators has exactly one span in the
       cluster, all with the same start, end, label and attributes;
       ``"attributes"``: the same, but the attributes differ (an attribute disagreement:
       not accepted by "accept all unanimous"; the majority or one version is);
    2. ``"nested"``: some annotator has two spans in the cluster, one inside the other
       (equal extents count as inside);
    3. ``"missing"``: k of the n annotators have no span in it (``missing`` names them);
    4. ``"label"``: all spans have the same extent but the labels differ;
    5. ``"proclitic"``: the labels are equal, the spans end together and their starts
       differ only by leading proclitics (و, ف, ب, ل, ك, ال; the agreement rule
       :func:`~workbench.core.agreement.clitics.differ_by_proclitic`, for every pair);
    6. ``"boundary"``: anything else: the edges differ (the labels may differ too).
    """
    names = _check_annotators(project, default_annotators(project, doc_id) if annotators is None else annotators)
    text = _document_text(project, doc_id)
    every = spans.for_document(project.db, doc_id)
    compared = set(names)
    return cluster_spans(
        text,
        [s for s in every if s.annotator in compared],
        names,
        gold=[s for s in every if s.annotator == GOLD],
    )


def cluster_spans(
    text: str, members: Iterable[Span], annotators: Sequence[str], gold: Iterable[Span] = ()
) -> list[Cluster]:
    """:func:`clusters` on plain data: ``members`` are the compared annotators' spans of ``text``."""
    order = {name: i for i, name in enumerate(annotators)}
    versions = sorted(
        (Version.of(s) for s in members if s.annotator in order),
        key=lambda v: (v.start, -v.end, order[v.annotator], v.span_id),
    )
    gold_spans = sorted(gold, key=lambda s: (s.start, -s.end, s.id))
    groups: list[list[Version]] = []
    reach = -1
    for version in versions:
        if groups and version.start < reach:
            groups[-1].append(version)
            reach = max(reach, version.end)
        else:
            groups.append([version])
            reach = version.end
    out = []
    for group in groups:
        start, end = group[0].start, max(v.end for v in group)
        present = {v.annotator for v in group}
        digest = hashlib.sha1("\n".join(sorted(v.span_id for v in group)).encode()).hexdigest()[:12]
        out.append(
            Cluster(
                id=f"{start}:{end}:{digest}",
                start=start,
                end=end,
                kind=_kind(text, group, annotators),
                versions=tuple(group),
                missing=tuple(a for a in annotators if a not in present),
                gold=tuple(g.id for g in gold_spans if g.start < end and start < g.end),
            )
        )
    return out


def _inside(a: Version, b: Version) -> bool:
    return b.start <= a.start and a.end <= b.end


def _kind(text: str, group: list[Version], annotators: Sequence[str]) -> str:
    by_annotator: dict[str, list[Version]] = {}
    for v in group:
        by_annotator.setdefault(v.annotator, []).append(v)
    everyone = all(a in by_annotator for a in annotators)
    if everyone and all(len(vs) == 1 for vs in by_annotator.values()) and len({v.key for v in group}) == 1:
        return UNANIMOUS if len({v.full_key for v in group}) == 1 else ATTRIBUTES
    for vs in by_annotator.values():
        for i, a in enumerate(vs):
            for b in vs[i + 1 :]:
                if _inside(a, b) or _inside(b, a):
                    return NESTED
    if not everyone:
        return MISSING
    if len({(v.start, v.end) for v in group}) == 1:
        return LABEL
    ends = {v.end for v in group}
    starts = sorted({v.start for v in group})
    if len({v.label for v in group}) == 1 and len(ends) == 1:
        end = ends.pop()
        if all(differ_by_proclitic(text, a, end, b, end) for i, a in enumerate(starts) for b in starts[i + 1 :]):
            return PROCLITIC
    return BOUNDARY


def unanimous(found: Iterable[Cluster]) -> list[Cluster]:
    """The unanimous clusters of ``found``, in their order."""
    return [c for c in found if c.kind == UNANIMOUS]


def majority(cluster: Cluster, n_annotators: int | None = None) -> Version | None:
    """The version to accept as the majority's, or ``None``: the (start, end, label) more
    than half of the ``n_annotators`` compared annotators chose
    (:func:`workbench.core.consensus.majority_key`, the export's majority too), and among
    those versions the first whose attributes most of them gave
    (:func:`workbench.core.consensus.consensus_index`). ``n_annotators`` defaults to
    :attr:`Cluster.n_annotators` (those with a span in the cluster plus those missing:
    every compared annotator). Who agrees with it is :func:`agreeing`."""
    n = cluster.n_annotators if n_annotators is None else n_annotators
    key = vote.majority_key(((v.annotator, v.key) for v in cluster.versions), n)
    if key is None:
        return None
    chosen = [v for v in cluster.versions if v.key == key]
    return chosen[vote.consensus_index([v.attributes for v in chosen])]


def agreeing(cluster: Cluster, version: Version) -> list[str]:
    """The annotators of ``cluster`` whose span has the version's start, end, label and
    attributes (an annotator who gave other attributes disagrees)."""
    return list(dict.fromkeys(v.annotator for v in cluster.versions if v.full_key == version.full_key))


def consensus(cluster: Cluster) -> Version:
    """The first of the versions whose attributes most annotators share (for a unanimous
    cluster they are all equal: its first version)."""
    return cluster.versions[vote.consensus_index([v.attributes for v in cluster.versions])]


def provenance(project: Project, span_id: str) -> dict[str, Any] | None:
    """``{"agreed_by", "adjudicator", "at", "cluster", "sources"}`` of an accepted gold span,
    or ``None`` (not a gold span, added by hand, or deleted)."""
    return provenance_store.read(project.db, span_id)


# --- actions --------------------------------------------------------------------


class AcceptVersion(Action):
    """Make ``version`` a gold span of the document, with its provenance.

    ``do`` (one transaction): if ``replace_gold``, delete the gold spans that overlap
    the version (superseded; logged, their provenance kept for undo); add the gold
    span (same start, end, label and attributes; logged as ``span.create`` by the
    adjudicator); write its provenance and log it (``gold.accept``). ``undo`` deletes
    the gold span and restores the superseded ones exactly, provenance included
    (logged as ``gold.unaccept``). Redo recreates the same span id and provenance.

    ``agreed_by``: the annotators whose span has the version's start, end, label and
    attributes (:func:`agreeing`); the provenance's ``sources`` are the version's span id
    and the ids of those annotators' spans with the same start, end and label.
    """

    def __init__(
        self,
        doc_id: str,
        version: Version,
        adjudicator: str,
        agreed_by: list[str],
        cluster_id: str | None = None,
        replace_gold: bool = True,
    ):
        if not adjudicator or not adjudicator.strip():
            raise InvalidInput("an acceptance needs the adjudicator's name")
        self.doc_id = doc_id
        self.version = version
        self.adjudicator = adjudicator.strip()
        self.agreed_by = list(dict.fromkeys(agreed_by))
        self.cluster_id = cluster_id
        self.replace_gold = replace_gold
        self.text = f"Accept {version.label}" + (f" of {version.annotator}" if version.annotator else "")
        self.span: Span | None = None  # the gold span, once accepted
        self.record: dict[str, Any] | None = None  # its provenance
        self.superseded: list[tuple[Span, dict[str, Any] | None]] = []

    def do(self, project: Project) -> Change:
        with project.transaction():
            return self._apply(project)

    def undo(self, project: Project) -> Change:
        with project.transaction():
            return self._revert(project)

    def _sources(self, project: Project) -> list[str]:
        out = [self.version.span_id] if self.version.span_id else []
        v = self.version
        out += provenance_store.source_span_ids(project.db, self.doc_id, v.start, v.end, v.label, self.agreed_by)
        return list(dict.fromkeys(out))

    def _apply(self, project: Project) -> Change:
        db = project.db
        text = _document_text(project, self.doc_id)
        v = self.version
        span = self.span or Span(self.doc_id, GOLD, v.start, v.end, v.label, dict(v.attributes), id=uuid.uuid4().hex)
        span = spans.check(text, project.labels(), span)
        self.superseded = []
        if self.replace_gold:
            for old in spans.for_document(db, self.doc_id, GOLD):
                if old.start < v.end and v.start < old.end:
                    record = provenance_store.read(db, old.id)
                    self.superseded.append((spans.delete(db, old.id, self.adjudicator), record))
        self.span = spans.insert(db, span, self.adjudicator)
        if self.record is None:
            self.record = {
                "agreed_by": self.agreed_by,
                "adjudicator": self.adjudicator,
                "at": now(),
                "cluster": self.cluster_id,
                "sources": self._sources(project),
            }
        provenance_store.write(db, self.span.id, self.record)
        changelog.record(
            db,
            "gold.accept",
            self.adjudicator,
            doc_id=self.doc_id,
            span_id=self.span.id,
            after={**self.record, "superseded": [old.id for old, _ in self.superseded]},
        )
        return Change.of_spans(added=(self.span,), removed=tuple(old for old, _ in self.superseded))

    def _revert(self, project: Project) -> Change:
        db = project.db
        if self.span is None:
            raise SpanError("this acceptance was never done, so it cannot be undone")
        removed = spans.delete(db, self.span.id, self.adjudicator)  # its provenance goes with it (cascade)
        restored = [
            provenance_store.restore(db, old, self.adjudicator, record) for old, record in reversed(self.superseded)
        ]
        changelog.record(
            db,
            "gold.unaccept",
            self.adjudicator,
            doc_id=self.doc_id,
            span_id=self.span.id,
            before=self.record,
            after={"restored": [old.id for old, _ in self.superseded]},
        )
        return Change.of_spans(added=tuple(restored), removed=(removed,))


class AcceptMany(Action):
    """Several acceptances as one transaction and one undo step ("accept all unanimous")."""

    def __init__(self, accepts: list[AcceptVersion], text: str = ""):
        self.accepts = list(accepts)
        self.text = text or f"Accept {len(self.accepts)} span{'s' if len(self.accepts) != 1 else ''}"

    def document(self) -> str | None:
        return self.accepts[0].document() if self.accepts else None

    def do(self, project: Project) -> Change:
        change = Change()
        with project.transaction():
            for accept in self.accepts:
                change = change | accept._apply(project)
        return change

    def undo(self, project: Project) -> Change:
        change = Change()
        with project.transaction():
            for accept in reversed(self.accepts):
                change = change | accept._revert(project)
        return change


class DeleteGoldSpan(Action):
    """Delete a gold span by hand; unlike ``DeleteSpan``, undo also restores its provenance."""

    def __init__(self, span: Span, actor: str):
        if span.annotator != GOLD:
            raise InvalidInput("DeleteGoldSpan deletes gold spans only; use DeleteSpan for an annotator's span")
        self.span = span
        self.actor = actor
        self.record: dict[str, Any] | None = None
        self.text = f"Delete gold {span.label}"

    def do(self, project: Project) -> Change:
        with project.transaction() as db:
            self.record = provenance_store.read(db, self.span.id)
            self.span = spans.delete(db, self.span.id, self.actor)
        return Change.of_spans(removed=(self.span,))

    def undo(self, project: Project) -> Change:
        with project.transaction() as db:
            restored = provenance_store.restore(db, self.span, self.actor, self.record)
        return Change.of_spans(added=(restored,))


# --- accepting every unanimous cluster --------------------------------------------


def unanimous_acceptance(
    project: Project, doc_id: str, adjudicator: str, annotators: list[str] | None = None
) -> AcceptMany | None:
    """One action accepting every unanimous cluster of the document that has no gold yet
    (each with its :func:`consensus` attributes, agreed by all its annotators), or ``None``
    when there is none or fewer than two annotators are compared (one annotator's spans
    are not a consensus). ``annotators``: the compared ones (default: :func:`default_annotators`).
    """
    names = default_annotators(project, doc_id) if annotators is None else _check_annotators(project, annotators)
    if len(names) < 2:
        return None
    todo = [c for c in unanimous(clusters(project, doc_id, names)) if not c.gold]
    if not todo:
        return None
    return AcceptMany(
        [AcceptVersion(doc_id, consensus(c), adjudicator, list(c.annotators), c.id) for c in todo],
        text="Accept all unanimous",
    )


def _documents_to_adjudicate(project: Project, annotators: list[str] | None) -> list[str]:
    """Documents (in list order) with spans or done marks of at least two compared annotators."""
    compared = None if annotators is None else set(annotators)
    involved = layer_owners.of_documents(project.db, layer_owners.ANNOTATED_OR_DONE)
    wanted = {
        doc_id
        for doc_id, names in involved.items()
        if len([n for n in names if compared is None or n in compared]) >= 2
    }
    return [row.id for row in documents.summaries(project.db) if row.id in wanted]


def accept_all_unanimous(
    project: Project, doc_ids: list[str] | None, adjudicator: str, annotators: list[str] | None = None
) -> int:
    """Accept every unanimous cluster that has no gold yet; return how many spans were accepted.

    ``doc_ids`` default: every document with spans of at least two compared annotators.
    Each document is one :func:`unanimous_acceptance` (one transaction); running it
    again accepts nothing and writes nothing.
    """
    if annotators is not None:
        annotators = _check_annotators(project, annotators)
    if doc_ids is None:
        doc_ids = _documents_to_adjudicate(project, annotators)
    missing = [doc_id for doc_id in doc_ids if not documents.exists(project.db, doc_id)]
    if missing:
        raise NotFound(f"there is no document {', '.join(map(repr, missing))} in this project (see 'docs')")
    total = 0
    for doc_id in doc_ids:
        action = unanimous_acceptance(project, doc_id, adjudicator, annotators)
        if action is not None:
            action.do(project)
            total += len(action.accepts)
    return total
