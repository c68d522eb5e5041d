"""Suggestions: spans with their values, proposed by the value engines, accepted or rejected by
the annotator.

A suggestion is pending and unsaved until the annotator accepts it (an undoable action that
adds the span and logs the suggestion's source and confidence) or rejects it (remembered per
document and layer: not offered there again; undoable too). What is offered on a document:
every engine's proposals (:mod:`workbench.core.values`) for the labels the schema has, with the
attributes those labels hold, minus what the layer already tagged (a span of the same label
overlapping it) and what the annotator rejected. Overlapping proposals of different engines
keep the surer one.

The same engines fill a span's values when the annotator tags one (:func:`fill`): select
"19 يناير 2019" and press the DATE key, and the span gets ``value`` 2019-01-19 and
``precision`` day; "ببنغازي" as a LOCATION becomes the span "بنغازي", canonical "Benghazi".

A project can switch suggestions off (a lead measuring unassisted agreement): nothing is
offered and nothing is filled; the export's data card says whether they were on.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from workbench.core import assistance
from workbench.core.actions import Action, Change, CreateSpan
from workbench.core.errors import InvalidInput, NotFound
from workbench.core.store import changelog, documents
from workbench.core.store import spans as span_store
from workbench.core.store import suggestions as rejections
from workbench.core.store.labels import FLAG, Label, validate_attributes
from workbench.core.store.project import GOLD, Project, is_annotator_copy
from workbench.core.store.spans import Span
from workbench.core.values import GAZETTEER, Engine, Found

RULES, NAMES, ALL = "rules", "gazetteer", "all"
SAME_DOCUMENT, STRINGS, MODEL = "same-document", "strings", "model"  # the engines that learn (issue 14)
ENGINES = (RULES, NAMES, SAME_DOCUMENT, STRINGS, MODEL, ALL)
# A model's suggestions are shown once its own held-out precision reaches this, and only spans
# whose lowest token marginal reaches MODEL_MIN_CONFIDENCE.
MODEL_MIN_PRECISION = 0.8
MODEL_MIN_CONFIDENCE = 0.5
_VALUE_LABELS = ("DATE", "CASUALTY")
_NAME_LABELS = ("ACTOR", "LOCATION")


# --- on or off --------------------------------------------------------------------------------


def enabled(project: Project) -> bool:
    """Whether the project offers suggestions and fills values (on unless the lead switched it off)."""
    return rejections.are_on(project.db)


def can_switch(project: Project) -> bool:
    """Whether this project may switch suggestions: the lead's project, not an annotator's copy
    (its setting comes with the project bundle)."""
    return not is_annotator_copy(project)


def set_enabled(project: Project, on: bool) -> None:
    if not can_switch(project):
        raise InvalidInput(
            "suggestions are switched on or off by the lead for the whole project; "
            "an annotator's copy takes the setting from its project bundle"
        )
    with project.transaction() as db:
        before = enabled(project)
        project.set_setting(rejections.SETTING, bool(on))
        if before != bool(on):
            changelog.record(db, "suggestions.on" if on else "suggestions.off", project.current_annotator or "lead")


# --- the anchor of relative dates ----------------------------------------------------------------


def anchor(project: Project, doc_id: str) -> _dt.date | None:
    """The date relative expressions count from: the document's publication date, else the
    date of its dateline (``الجمعة 5 أبريل 2019 01:04 م``), else ``None`` (never today)."""
    document = documents.get(project.db, doc_id)
    if document is None:
        raise NotFound(f"there is no document {doc_id!r} in this project (see 'docs')")
    return _anchor_of(document)


def _anchor_of(document: documents.Document) -> _dt.date | None:
    if document.published:
        try:
            return _dt.date.fromisoformat(document.published[:10])
        except ValueError:
            pass
    from workbench.core.values import dates

    return dates.dateline(document.text)


class SetPublished(Action):
    """Set (or clear) a document's publication date, the anchor of its relative dates."""

    def __init__(self, doc_id: str, published: str | None, actor: str):
        if published is not None:
            try:
                published = _dt.date.fromisoformat(published.strip()).isoformat()
            except ValueError:
                raise InvalidInput(f"{published!r} is not a date: give it as YYYY-MM-DD (2019-04-05)") from None
        self.doc_id, self.published, self.actor = doc_id, published, actor
        self.previous: str | None = None
        self.text = "Set the publication date"

    def _set(self, project: Project, value: str | None) -> str | None:
        with project.transaction() as db:
            try:
                old = documents.set_published(db, self.doc_id, value)
            except KeyError:
                raise NotFound(f"there is no document {self.doc_id!r} in this project (see 'docs')") from None
            changelog.record(
                db,
                "document.published",
                self.actor,
                doc_id=self.doc_id,
                before={"published": old},
                after={"published": value},
            )
        return old

    def do(self, project: Project) -> Change:
        self.previous = self._set(project, self.published)
        return Change(doc_ids=(self.doc_id,), extra={"published": True})

    def undo(self, project: Project) -> Change:
        self._set(project, self.previous)
        return Change(doc_ids=(self.doc_id,), extra={"published": True})


# --- what is offered ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pinned:
    """What the engines that learn had learned from a layer when a document was opened. The
    window asks for that document's suggestions with it for as long as the document stays open,
    so that a training run finishing meanwhile (or the document itself being marked done and
    learned from) never changes the suggestions under the annotator; the next document opened
    gets a new one (:func:`pin`)."""

    layer: str
    model: Any = None  # the layer's model if it is shown (good enough), else None
    matcher: Any = None  # the layer's project strings, or None
    trained_at: str | None = None  # of the model pinned


def pin(project: Project, layer: str) -> Pinned:
    """What ``layer``'s learning engines know now, to use for the document being opened."""
    from workbench.core.store import models
    from workbench.core.values import training

    model = training.model_of(project, layer)
    shown = model if model is not None and model_ready(project, layer) else None
    stored = models.get(project.db, layer, blob=False) if shown is not None else None
    return Pinned(layer, shown, strings_of(project, layer), stored.trained_at if stored is not None else None)


def _learners(project: Project, which: str, doc_id: str, layer: str, pinned: Pinned | None = None) -> list[Engine]:
    """The engines that learn from ``layer``'s own work, as callables ``(text, anchor) -> list[Found]``:
    propagation in the document, the project strings and the layer's model (once its held-out
    precision is good enough), as they are now or as ``pinned``."""
    if pinned is not None and pinned.layer != layer:
        raise InvalidInput(f"what was learned from {pinned.layer!r} cannot suggest for {layer!r}")
    chosen: list[Engine] = []
    if which in (SAME_DOCUMENT, ALL):
        from workbench.core.values import propagation

        tagged = span_store.for_document(project.db, doc_id, layer)
        if tagged:
            chosen.append(lambda text, _anchor: propagation.same_document(text, tagged))
    if which in (STRINGS, ALL):
        matcher = pinned.matcher if pinned is not None else strings_of(project, layer)
        if matcher is not None and len(matcher):
            chosen.append(lambda text, _anchor: matcher.find(text))
    if which in (MODEL, ALL):
        from workbench.core.values import training

        if pinned is not None:
            model, ready = pinned.model, pinned.model is not None
        else:
            model = training.model_of(project, layer)
            ready = model is not None and model_ready(project, layer)
        if ready:
            chosen.append(
                lambda text, _anchor: [f for f in model.predict(text) if f.confidence >= MODEL_MIN_CONFIDENCE]
            )
    return chosen


_STRINGS: dict[tuple[str, str], tuple[tuple, Any]] = {}


def strings_of(project: Project, layer: str):
    """What ``layer`` tagged in its done documents, as a string matcher (learned again only when
    those documents or their spans change)."""
    from workbench.core.store import status as doc_status
    from workbench.core.values import training
    from workbench.core.values.strings import StringMatcher

    key = (str(project.path), layer)
    signature = doc_status.done_signature(project.db, layer)
    cached = _STRINGS.get(key)
    if cached is not None and cached[0] == signature:
        return cached[1]
    done = training.done_documents(project, layer)
    matcher = StringMatcher.learn((text, spans) for _doc, text, spans in done) if done else None
    _STRINGS[key] = (signature, matcher)
    return matcher


def model_ready(project: Project, layer: str) -> bool:
    """Whether ``layer``'s model is good enough to be shown: its own held-out precision (relaxed)."""
    from workbench.core.store import models

    stored = models.get(project.db, layer, blob=False)
    if stored is None:
        return False
    relaxed = stored.evaluation.get("overall", {}).get("relaxed", {})
    return float(relaxed.get("precision") or 0.0) >= MODEL_MIN_PRECISION


def _engines(project: Project, which: str) -> list[Engine]:
    """The engines to run, as callables ``(text, anchor) -> list[Found]``."""
    if which not in ENGINES:
        raise InvalidInput(f"engine must be one of {', '.join(ENGINES)}, not {which!r}")
    chosen: list[Engine] = []
    if which in (RULES, ALL):
        from workbench.core.values import casualties, dates

        chosen += [dates.find_dates, casualties.find_casualties]
    if which in (NAMES, ALL):
        names = gazetteer(project)
        chosen.append(lambda text, _anchor: names.find(text))
    return chosen


def gazetteer(project: Project):
    """The project's gazetteer: shipped names, the project's own, and the team's canonical names
    (cached per project until its names change)."""
    from workbench.core.values import project_names

    return project_names.gazetteer_of(project)


def _fitted(found: Found, labels: dict[str, Label]) -> Found | None:
    """``found`` with only the attributes its label has, valid; ``None`` if the schema lacks the label."""
    label = labels.get(found.label)
    if label is None:
        return None
    # Only the attributes the label has; a flag only when it is set (as a span tagged by hand).
    kept = {
        k: v
        for k, v in found.attributes.items()
        if (attribute := label.attribute(k)) is not None and not (attribute.type == FLAG and v is False)
    }
    try:
        clean = validate_attributes(label, kept)
    except (InvalidInput, ValueError, TypeError):
        clean = {}
    return found if clean == found.attributes else replace(found, attributes=clean)


def proposals(
    project: Project,
    doc_id: str,
    *,
    engine: str = ALL,
    labels: Iterable[str] | None = None,
    layer: str | None = None,
    pinned: Pinned | None = None,
) -> list[Found]:
    """What the engines propose on the document for the schema's labels (or ``labels``), with
    the attributes those labels hold; before the layer's spans and rejections are taken out.
    ``pinned``: what the learning engines knew when the document was opened (:func:`pin`)."""
    if engine not in ENGINES:
        raise InvalidInput(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    document = documents.get(project.db, doc_id)
    if document is None:
        raise NotFound(f"there is no document {doc_id!r} in this project (see 'docs')")
    text = document.text
    schema = {label.name: label for label in project.labels()}
    wanted = set(labels) if labels is not None else set(schema)
    unknown = wanted - set(schema)
    if unknown:
        raise InvalidInput(f"unknown label {sorted(unknown)[0]!r}; the project's labels are {', '.join(schema)}")
    when = _anchor_of(document)  # (the document is read once)
    found: list[Found] = []
    runs = list(_engines(project, engine)) if engine in (RULES, NAMES, ALL) else []
    if layer is not None:
        runs += _learners(project, engine, doc_id, layer, pinned)
    for run in runs:
        for item in run(text, when):
            if item.label in wanted:
                fitted = _fitted(item, schema)
                if fitted is not None:
                    found.append(fitted)
    return found


def offered(
    project: Project, doc_id: str, layer: str, found: list[Found], *, including_rejected: bool = False
) -> list[Found]:
    """Of ``found`` (:func:`proposals`), what ``layer`` is offered: not what it already tagged (a
    span of the same label overlapping, or any span on the same range), not what it rejected; of
    overlapping proposals the surer one. In reading order."""
    taken = [(s.start, s.end, s.label) for s in span_store.for_document(project.db, doc_id, layer)]
    refused = set() if including_rejected else rejections.rejected(project.db, doc_id, layer)
    kept = [
        f
        for f in found
        if (f.start, f.end, f.label) not in refused
        and not any(f.label == label and f.start < end and start < f.end for start, end, label in taken)
        and not any(f.start == start and f.end == end for start, end, _ in taken)
    ]
    return _without_overlaps(kept)


def suggest(
    project: Project,
    doc_id: str,
    layer: str,
    *,
    engine: str = ALL,
    labels: Iterable[str] | None = None,
    including_rejected: bool = False,
    pinned: Pinned | None = None,
) -> list[Found]:
    """The suggestions for ``layer`` on the document, in reading order; empty when suggestions
    are switched off, where the lead's A/B split keeps them from this document
    (:mod:`workbench.core.assistance`), and for the gold layer (gold is adjudicated from the
    annotators' spans)."""
    if not enabled(project) or layer == GOLD or not assistance.shown(project, doc_id, layer):
        if documents.get(project.db, doc_id) is None:
            raise NotFound(f"there is no document {doc_id!r} in this project (see 'docs')")
        return []
    found = proposals(project, doc_id, engine=engine, labels=labels, layer=layer, pinned=pinned)
    return offered(project, doc_id, layer, found, including_rejected=including_rejected)


def _without_overlaps(found: list[Found]) -> list[Found]:
    """The surer of two overlapping proposals (then the longer, then the earlier), in reading order."""
    kept: list[Found] = []
    for item in sorted(found, key=lambda f: (-f.confidence, -(f.end - f.start), f.start)):
        if not any(item.start < other.end and other.start < item.end for other in kept):
            kept.append(item)
    return sorted(kept, key=lambda f: (f.start, f.end))


def at_least(found: list[Found], confidence: float) -> list[Found]:
    """The suggestions whose confidence is ``confidence`` or more (accept all above a threshold)."""
    if not 0 <= confidence <= 1:
        raise InvalidInput(f"a confidence is between 0 and 1, not {confidence}")
    return [f for f in found if f.confidence >= confidence]


# --- values for a span the annotator tags ---------------------------------------------------------


def fill(project: Project, span: Span, text: str | None = None, *, move_edges: bool = True) -> Span:
    """``span`` with the values the engines read in its text, for the attributes the annotator did
    not give; with ``move_edges`` a name's edges move past a proclitic ("ببنغازي" → "بنغازي") and
    a date's or casualty's take the whole expression. The span as it is when suggestions are off
    or nothing is read, and on a document the lead's A/B split keeps without them."""
    if not enabled(project) or span.label not in _VALUE_LABELS + _NAME_LABELS:
        return span
    if not assistance.shown(project, span.doc_id, span.annotator):
        return span
    label = project.label(span.label)
    if label is None:
        return span
    if text is None:
        document = documents.get(project.db, span.doc_id)
        if document is None:
            return span
        text = document.text
    found = _found_at(project, text, span)
    if found is None:
        return span
    fitted = _fitted(found, {label.name: label})
    if fitted is None:
        return span
    given = {**fitted.attributes, **span.attributes}  # what the annotator gave wins
    attributes = {a.name: given[a.name] for a in label.attributes if a.name in given}  # in the schema's order
    attributes.update({k: v for k, v in span.attributes.items() if k not in attributes})  # refused later, not lost
    start, end = span.start, span.end
    # The engine's extent replaces the selection when one holds the other (a proclitic left out,
    # a modifier or a year taken in); a selection elsewhere keeps its edges and gets no values.
    if not ((fitted.start <= start and end <= fitted.end) or (start <= fitted.start and fitted.end <= end)):
        return span
    if move_edges:
        start, end = fitted.start, fitted.end
    return replace(span, start=start, end=end, attributes=attributes)


def _found_at(project: Project, text: str, span: Span) -> Found | None:
    if span.label == "DATE":
        from workbench.core.values import dates

        return dates.date_at(text, span.start, span.end, anchor(project, span.doc_id))
    if span.label == "CASUALTY":
        from workbench.core.values import casualties

        return casualties.casualty_at(text, span.start, span.end)
    return gazetteer(project).canonical_at(text, span.start, span.end, span.label)


# --- accepting and rejecting ----------------------------------------------------------------------


class AcceptSuggestion(CreateSpan):
    """Add the suggested span to the layer, logged with the suggestion's source and confidence."""

    def __init__(self, span: Span, found: Found, actor: str | None = None):
        super().__init__(span, actor)
        self.found = found
        self.text = f"Accept {span.label} suggestion"

    def do(self, project: Project) -> Change:
        change = super().do(project)
        with project.transaction() as db:
            changelog.record(
                db,
                "suggestion.accept",
                self.actor,
                doc_id=self.span.doc_id,
                span_id=self.span.id,
                after={
                    "source": self.found.source,
                    "confidence": round(self.found.confidence, 3),
                    "suggested": {"start": self.found.start, "end": self.found.end, "label": self.found.label},
                },
            )
        return change


def accept(
    project: Project,
    doc_id: str,
    layer: str,
    found: Found,
    actor: str,
    label: str | None = None,
    *,
    start: int | None = None,
    end: int | None = None,
) -> Action:
    """The action that accepts ``found`` (with another ``label`` if the annotator chose one: the
    attributes the new label also has are kept; with new edges ``start``/``end`` if the annotator
    adjusted it: the log keeps the suggested extent)."""
    attributes: dict[str, Any] = dict(found.attributes)
    if label is not None and label != found.label:
        target = project.label(label)
        if target is None:
            raise InvalidInput(f"unknown label {label!r}")
        attributes = {k: v for k, v in attributes.items() if target.attribute(k) is not None}
    first = found.start if start is None else start
    last = found.end if end is None else end
    span = Span(doc_id, layer, first, last, label or found.label, attributes)
    span_store.refuse_duplicate(project.db, span)
    return AcceptSuggestion(span, found, actor)


class AcceptMany(Action):
    """Accept several suggestions of one document as one undoable step."""

    def __init__(self, steps: list[AcceptSuggestion]):
        self.steps = steps
        self.text = f"Accept {len(steps)} suggestions"

    def do(self, project: Project) -> Change:
        change = Change()
        done: list[AcceptSuggestion] = []
        try:
            for step in self.steps:
                change = change | step.do(project)
                done.append(step)
        except Exception:
            for step in reversed(done):
                step.undo(project)
            raise
        return change

    def undo(self, project: Project) -> Change:
        change = Change()
        for step in reversed(self.steps):
            change = change | step.undo(project)
        return change


def accept_all(
    project: Project, doc_id: str, layer: str, actor: str, confidence: float = 0.0, engine: str = ALL
) -> AcceptMany | None:
    """Accept every suggestion of the document with at least ``confidence``; ``None`` if there is none."""
    found = at_least(suggest(project, doc_id, layer, engine=engine), confidence)
    steps = [
        AcceptSuggestion(Span(doc_id, layer, f.start, f.end, f.label, dict(f.attributes)), f, actor) for f in found
    ]
    return AcceptMany(steps) if steps else None


class RejectSuggestion(Action):
    """Reject a suggestion: it is not offered again on this document in this layer."""

    def __init__(self, doc_id: str, layer: str, found: Found, actor: str):
        self.doc_id, self.layer, self.found, self.actor = doc_id, layer, found, actor
        self.text = f"Reject {found.label} suggestion"

    def do(self, project: Project) -> Change:
        f = self.found
        with project.transaction() as db:
            rejections.reject(db, self.doc_id, self.layer, f.start, f.end, f.label, f.source or GAZETTEER)
            changelog.record(
                db,
                "suggestion.reject",
                self.actor,
                doc_id=self.doc_id,
                after={"start": f.start, "end": f.end, "label": f.label, "source": f.source, "layer": self.layer},
            )
        return Change(doc_ids=(self.doc_id,), extra={"suggestions": True})

    def undo(self, project: Project) -> Change:
        f = self.found
        with project.transaction() as db:
            rejections.unreject(db, self.doc_id, self.layer, f.start, f.end, f.label)
            changelog.record(
                db,
                "suggestion.unreject",
                self.actor,
                doc_id=self.doc_id,
                after={"start": f.start, "end": f.end, "label": f.label, "layer": self.layer},
            )
        return Change(doc_ids=(self.doc_id,), extra={"suggestions": True})
