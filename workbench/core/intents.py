"""User intents, each turned into the one core action that carries it out.

The window and the command line translate keys, clicks and arguments into the
calls below and run the action they return (``action.do(project)``, through the
undo stack in the window). Every rule about *what* an intent does lives here:
how a selection snaps to word edges, which attributes survive a relabel, which
delete a gold span needs, where an edge moves, what "accept the majority" and
"accept all unanimous" store, who is named as the adjudicator. Front ends keep
only what is theirs: the window maps an arrow on screen to a direction in the
text (that depends on the paragraph's direction as drawn).

A function returns ``None`` when the intent changes nothing (relabelling a span
with its own label, nudging an edge past the text) and raises a
:class:`~workbench.core.errors.WorkbenchError` with a sentence for the user when
it cannot be carried out. Nothing here writes to the project: the returned
action does, in one transaction, when it is run.
"""

from __future__ import annotations

import os
from typing import Any

from workbench.core import adjudication, suggestions
from workbench.core.actions import Action, AddAttribute, Change, CreateSpan, DeleteSpan, EditSpan, SetStatus
from workbench.core.adjudication import AcceptMany, AcceptVersion, Cluster, DeleteGoldSpan
from workbench.core.errors import InvalidInput, NotFound, RefusedInput
from workbench.core.store import documents
from workbench.core.store import labels as label_store
from workbench.core.store import spans as span_store
from workbench.core.store.project import GOLD, MAX_GUIDELINES_BYTES, Project, check_guidelines, is_annotator_copy
from workbench.core.store.spans import Span
from workbench.core.text import boundaries

# How a range given by the user becomes span edges (see tag()).
EXACT = "exact"  # the offsets as given (the command line): refused if they cut a letter
TRIM = "trim"  # whole graphemes, trimmed of spaces and punctuation (window, word snapping off)
WORDS = "words"  # TRIM, then widened to whole words (the window's default)
SNAP_MODES = (EXACT, TRIM, WORDS)

FORWARD, BACKWARD = 1, -1  # directions in the text (code point order), not on screen
START, END = "start", "end"

DEFAULT_ADJUDICATOR = "lead"


def adjudicator(project: Project) -> str:
    """Who is named as the adjudicator of an acceptance: the project's current user
    (the lead working in their project), else ``lead``."""
    return project.current_annotator or DEFAULT_ADJUDICATOR


def actor(project: Project, layer: str) -> str:
    """Who does an action on ``layer``: the current user, else the layer's owner."""
    return project.current_annotator or layer


def document_text(project: Project, doc_id: str) -> str:
    document = documents.get(project.db, doc_id)
    if document is None:
        raise NotFound(f"there is no document {doc_id!r} in this project (see 'docs')")
    return document.text


def export_predictions(project: Project, source: str):
    """For an export with ``--predictions``: a function giving a document's suggestions for the
    exported layer (what it has not tagged or rejected; the annotator's learned engines for
    ``annotator:NAME``, the rules and names for gold and majority)."""
    from workbench.core import suggestions

    layer = source.split(":", 1)[1] if source.startswith("annotator:") else GOLD
    learner = None if layer == GOLD else layer

    def found(doc_id: str) -> list:
        return suggestions.offered(project, doc_id, layer, suggestions.proposals(project, doc_id, layer=learner))

    return found


def span_by_id(project: Project, span_id: str) -> Span:
    """The span with this id, or the one whose id starts with it (at least 4 hex characters, as
    'spans' prints them); :class:`NotFound` or :class:`InvalidInput` (ambiguous, too short) say why."""
    return span_store.resolve(project.db, span_id)


# --- spans ----------------------------------------------------------------------


def snapped(text: str, start: int, end: int, snap: str = WORDS) -> tuple[int, int]:
    """The span edges a selection ``[start, end)`` gives under ``snap``."""
    if snap not in SNAP_MODES:
        raise InvalidInput(f"snap must be one of {', '.join(SNAP_MODES)}, not {snap!r}")
    if snap == EXACT:
        return start, end
    edges = boundaries.snap(text, start, end, to_words=snap == WORDS)
    if edges is None:
        raise InvalidInput("Nothing to tag: the selection holds no letters or digits.")
    return edges


def tag(
    project: Project,
    doc_id: str,
    layer: str,
    start: int,
    end: int,
    label: str,
    *,
    snap: str = EXACT,
    attributes: dict[str, Any] | None = None,
    note: str = "",
    unsure: bool = False,
    values: bool = True,
) -> CreateSpan:
    """Tag ``[start, end)`` of the document in ``layer`` (an annotator's or gold) as ``label``.

    The edges are snapped as ``snap`` says; the action checks the span against the
    text and the schema when it runs (and refuses it with a sentence). With ``values``
    (and suggestions on in the project) the value engines fill the attributes not given
    (a DATE's day, a CASUALTY's count and kind, a name's canonical form) and may move the
    edges to the whole expression or past a proclitic (:func:`suggestions.fill`).

    The same annotator (layer), range and label is one span: when the layer already
    has it, the tag is refused with a :class:`~workbench.core.store.spans.SpanError`
    whose ``problem`` is ``DUPLICATE`` and whose ``existing`` is that span (the window
    selects it; the command line prints the sentence and exits 1).
    """
    text = document_text(project, doc_id)
    first, last = snapped(text, start, end, snap)
    span = Span(doc_id, layer, first, last, label, dict(attributes or {}), note, unsure)
    if values:
        span = suggestions.fill(project, span, text, move_edges=snap != EXACT)
    span_store.refuse_duplicate(project.db, span)
    return CreateSpan(span, actor(project, layer))


def relabel(project: Project, span: Span, label: str) -> EditSpan | None:
    """Give ``span`` another label, keeping the attributes the new label also has."""
    if span.label == label:
        return None
    target = project.label(label)
    if target is None:
        names = ", ".join(known.name for known in project.labels())
        raise InvalidInput(f"unknown label {label!r}; the project's labels are {names}")
    attributes = {k: v for k, v in span.attributes.items() if target.attribute(k) is not None}
    return EditSpan(span, actor(project, span.annotator), label=label, attributes=attributes)


def edit(project: Project, span: Span, **changes: Any) -> EditSpan | None:
    """Change a span's attributes, note, unsure flag, edges or label (``None`` if nothing changes)."""
    if all(getattr(span, key, object()) == value for key, value in changes.items()):
        return None
    if "label" in changes and set(changes) == {"label"}:
        return relabel(project, span, changes["label"])
    return EditSpan(span, actor(project, span.annotator), **changes)


def toggle_unsure(project: Project, span: Span) -> EditSpan:
    return EditSpan(span, actor(project, span.annotator), unsure=not span.unsure)


def delete(project: Project, span: Span) -> Action:
    """Delete a span; a gold span keeps its provenance through delete and undo."""
    who = actor(project, span.annotator)
    if span.annotator == GOLD:
        return DeleteGoldSpan(span, who)
    return DeleteSpan(span, who)


def nudge(
    project: Project, text: str, span: Span, edge: str, direction: int, *, by_word: bool = False
) -> EditSpan | None:
    """Move one edge of ``span`` one grapheme (or one word) ``FORWARD`` or ``BACKWARD``
    in the text. A word step keeps the edges on letters. ``None`` when the edge cannot
    move (the text ends, or the span would become empty)."""
    if edge not in (START, END):
        raise InvalidInput(f"edge must be {START} or {END}, not {edge!r}")
    if direction not in (FORWARD, BACKWARD):
        raise InvalidInput("direction must be FORWARD (1) or BACKWARD (-1)")
    offset = span.start if edge == START else span.end
    step = boundaries.next_word_edge if by_word else boundaries.next_grapheme_edge
    moved = step(text, offset, direction)
    start, end = (moved, span.end) if edge == START else (span.start, moved)
    if by_word:
        start, end = boundaries.trim(text, start, end)
    if start >= end or (start, end) == (span.start, span.end):
        return None
    return EditSpan(span, actor(project, span.annotator), start=start, end=end)


def strip_proclitic(project: Project, text: str, span: Span) -> EditSpan | None:
    """Drop a leading proclitic (و ف ب ل ك) from the span (``None`` if it has none)."""
    start, _ = boundaries.without_proclitic(text, span.start, span.end)
    if start == span.start:
        return None
    return EditSpan(span, actor(project, span.annotator), text="Remove proclitic", start=start)


def selection_without_proclitic(text: str, start: int, end: int, snap: str = WORDS) -> tuple[int, int]:
    """A selection snapped as ``snap``, without its leading proclitic (for the next tag)."""
    return boundaries.without_proclitic(text, *snapped(text, start, end, snap))


# --- documents --------------------------------------------------------------------


def set_status(project: Project, doc_id: str, annotator: str, status: str) -> SetStatus:
    """Set ``annotator``'s status of the document (not-started, in-progress, done)."""
    document_text(project, doc_id)
    return SetStatus(doc_id, annotator, status, actor(project, annotator))


# --- the label schema -------------------------------------------------------------------


def add_attribute(
    project: Project,
    label: str,
    name: str,
    kind: str | None = None,
    values: str | list[str] | tuple[str, ...] = "",
    description: str = "",
) -> AddAttribute:
    """Add an attribute to ``label``: ``kind`` is one of the attribute types (without it: a
    choice when ``values`` are given, else free text); ``values`` are a choice's values, a list or
    text with commas between them. Refused with a sentence (nothing written) for an unknown
    label, a name the label has or that cannot be one, a wrong type or values; and in an
    annotator's copy, whose labels come from the lead's project bundle."""
    if is_annotator_copy(project):
        raise InvalidInput(
            "this is an annotator's copy: its labels come from the lead's project bundle; "
            "ask your lead to add the attribute"
        )
    target = project.label(label)
    if target is None:
        names = ", ".join(known.name for known in project.labels())
        raise InvalidInput(f"unknown label {label!r}; the project's labels are {names}")
    attribute = label_store.new_attribute(name, kind, values, description)
    label_store.check_attribute(target, attribute)
    return AddAttribute(target.name, attribute, project.current_annotator or DEFAULT_ADJUDICATOR)


# --- the guidelines ----------------------------------------------------------------------


class SetGuidelines(Action):
    """Replace the project's guidelines (logged); undo puts the earlier text back. The
    window refreshes what shows them on a :class:`Change` whose ``extra`` has ``guidelines``."""

    def __init__(self, before: str, after: str, actor: str):
        self.before, self.after, self.actor = before, after, actor
        self.text = "Edit guidelines"

    def do(self, project: Project) -> Change:
        project.set_guidelines(self.after, self.actor)
        return Change(extra={"guidelines": True})

    def undo(self, project: Project) -> Change:
        project.set_guidelines(self.before, self.actor, check=False)
        return Change(extra={"guidelines": True})


def set_guidelines(
    project: Project, text: str | bytes | os.PathLike[str], source: str | None = None
) -> SetGuidelines | None:
    """Set the project's guidelines (Markdown, stored as given: not checked as Markdown) to
    ``text``, to the bytes read from a file named ``source``, or to a file's content (a path),
    decoded like an imported article (UTF-8, UTF-16, Windows-1256 or ISO-8859-6) and
    normalised like one. Refused with a sentence naming the file, nothing written, for an
    annotator's copy (their guidelines come with the lead's project bundle), a binary, empty
    or too large file or text. ``None`` when the guidelines already are this text."""
    if is_annotator_copy(project):
        raise InvalidInput(
            "this is an annotator's copy: its guidelines come from the lead's project bundle; "
            "ask your lead to change them"
        )
    project.check_writable()
    if isinstance(text, os.PathLike):
        from workbench.core.sources import open_regular, read_limited

        source = source or os.fspath(text)
        too_big = f"the file is larger than the {MAX_GUIDELINES_BYTES // 1024**2} MB guidelines a project keeps"
        try:
            with open_regular(os.fspath(text)) as handle:
                text = read_limited(handle, MAX_GUIDELINES_BYTES, too_big)
        except RefusedInput as exc:
            raise RefusedInput(f"{exc.reason}; nothing was changed", source) from None
    if isinstance(text, bytes):
        name = source or "the file"
        if len(text) > MAX_GUIDELINES_BYTES:
            raise RefusedInput(
                f"the file is {len(text) / 1024**2:.1f} MB, more than the {MAX_GUIDELINES_BYTES // 1024**2} MB "
                "guidelines a project keeps; nothing was changed",
                name,
            )
        if not text:
            raise RefusedInput("the file is empty; nothing was changed", name)
        from workbench.core.text import decoding  # (charset_normalizer: only when a file is read)

        try:
            text = decoding.decode(text)[0]
        except RefusedInput as exc:
            raise RefusedInput(f"{exc.reason}; nothing was changed", name) from None
    try:
        checked = check_guidelines(text)
    except InvalidInput as exc:
        if source is None:
            raise
        raise RefusedInput(str(exc), source) from None
    if checked == project.guidelines:
        return None
    return SetGuidelines(project.guidelines, checked, adjudicator(project))


# --- adjudication -------------------------------------------------------------------


def accept_version(project: Project, doc_id: str, cluster: Cluster, index: int) -> AcceptVersion | None:
    """Accept the ``index``-th version (0-based, reading order) of the cluster into gold."""
    if not 0 <= index < len(cluster.versions):
        return None
    version = cluster.versions[index]
    return AcceptVersion(doc_id, version, adjudicator(project), adjudication.agreeing(cluster, version), cluster.id)


def accept_majority(project: Project, doc_id: str, cluster: Cluster) -> AcceptVersion | None:
    """Accept the version more than half of the compared annotators chose, or ``None``
    when there is no majority (the adjudicator then picks a version or tags by hand)."""
    version = adjudication.majority(cluster)
    if version is None:
        return None
    return AcceptVersion(doc_id, version, adjudicator(project), adjudication.agreeing(cluster, version), cluster.id)


def accept_unanimous(project: Project, doc_id: str, annotators: list[str] | None = None) -> AcceptMany | None:
    """Accept every unanimous cluster of the document without gold (one undo step), or ``None``.

    Each accepted span has the attributes most of its annotators gave
    (:func:`workbench.core.adjudication.consensus`), in the window and on the
    command line alike.
    """
    return adjudication.unanimous_acceptance(project, doc_id, adjudicator(project), annotators)


def accept_all_unanimous(
    project: Project, doc_ids: list[str] | None = None, annotators: list[str] | None = None
) -> int:
    """:func:`accept_unanimous` for each document (default: every document with at least two
    annotators' work); returns how many spans were accepted. Runs the actions itself."""
    return adjudication.accept_all_unanimous(project, doc_ids, adjudicator(project), annotators)
