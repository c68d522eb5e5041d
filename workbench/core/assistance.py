"""Time saved by suggestions, measured honestly: an A/B split of documents, active time from the
change log, and the report that compares both halves.

**The split.** The lead starts it (``workbench-cli suggestions split on [--seed N]``). Every
annotator's documents (those assigned to them; with no assignments in the project, every
document) are given an *arm*: suggestions shown or not. Arms are seeded and balanced per
annotator: documents are taken in an order drawn from the seed, and each goes to the arm that
has fewer so far (a seeded coin when both are even), so each annotator has as many documents
with suggestions as without, give or take one. Documents assigned later get theirs when they
are assigned, by the same rule; a pair with no stored arm (a document imported after the split
and never assigned) falls back to the seeded coin, so it is still decided by the seed and never
by the annotator. Arms travel to the annotator's copy in the project bundle. Where the arm says
no, nothing is offered and nothing is filled, exactly as when the project switch is off, and the
window says why.

**Active time.** From the annotator's change log: the changes they made (kept with every work
bundle they sent, and the lead's own log for work done in the lead's project), in time order.
The gap before each change is time spent on that change's document, unless it is longer than
:data:`PAUSE` (two minutes): then it is a pause and does not count. A document's active time is
the sum of its gaps; it is divided by its length, per 1,000 characters. (Reading a document
before its first change after a pause is not seen by the log: both halves lose it alike.)

**The report** (``workbench-cli report assistance``) takes the annotators' done documents that
were worked on after the split began, and prints, for each half: the median active time per
1,000 characters with its bootstrap interval (documents resampled within each half), the ratio
of the two medians with its interval, the acceptance rate of suggestions (accepted over
accepted and rejected), and agreement with gold (strict and relaxed F1 pooled over the
documents that have gold), so that annotators who anchor on suggestions show as a gap between
the halves. What is not counted is named: documents without a logged change (imported ones),
those begun before the split, those not done.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from statistics import median
from typing import TYPE_CHECKING, Any

from workbench.core.agreement.scores import Interval
from workbench.core.errors import InvalidInput
from workbench.core.store import annotators as annotator_store
from workbench.core.store import assignments, changelog, documents
from workbench.core.store import assistance as arms_store
from workbench.core.store import bundles as bundle_store
from workbench.core.store import spans as span_store
from workbench.core.store import status as status_store
from workbench.core.store.project import GOLD, Project, is_annotator_copy, now

if TYPE_CHECKING:  # numpy is imported by the report only: the window opens without it
    import numpy as np

PAUSE = 120.0  # seconds: a longer gap between two changes is a pause, not work
REPLICATES = 2000
LEVEL = 0.95
CHANGES_MEMBER = "changes.jsonl"  # the work bundle's copy of the annotator's change log
# Changes that are not the annotator's own work on a document: made by the lead's machine when
# it merged or imported, or bookkeeping.
_NOT_WORK = {"span.merge", "bundle.merge", "assign.balanced", "assign.by_hand"}


# --- the split ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Split:
    seed: int
    since: str  # when it began (ISO, UTC)


def split_of(project: Project) -> Split | None:
    """The A/B split that goes on in the project, or ``None``."""
    found = arms_store.split(project.db)
    return None if found is None else Split(found["seed"], found["since"])


def _lead_only(project: Project, what: str) -> None:
    if is_annotator_copy(project):
        raise InvalidInput(
            f"{what} is decided by the lead for the whole team; an annotator's copy takes it from its project bundle"
        )


def start(project: Project, seed: int | None = None, actor: str = "lead") -> dict[str, tuple[int, int]]:
    """Start the split (or extend it to documents that have no arm yet): ``{annotator: (with,
    without)}``. The seed is drawn when not given, and recorded."""
    _lead_only(project, "the A/B split of suggestions")
    if seed is not None and (type(seed) is not int or not 0 <= seed < 2**63):
        raise InvalidInput(f"--seed must be a whole number from 0, not {seed!r}")
    current = split_of(project)
    if current is not None and seed is not None and seed != current.seed:
        raise InvalidInput(
            f"an A/B split with seed {current.seed} goes on since {current.since[:10]}; stop it first "
            "('suggestions split off') to start another"
        )
    chosen = current.seed if current is not None else (seed if seed is not None else _fresh_seed())
    since = current.since if current is not None else now()
    db = project.db
    with project.transaction():
        project.set_setting(arms_store.SETTING, {"seed": chosen, "since": since})
        given = {name: _assign(project, chosen, name, _documents_of(project, name), since) for name in _people(db)}
        changelog.record(
            db,
            "assistance.split.on",
            actor,
            after={"seed": chosen, "arms": {name: list(arms_store.counts(db, name)) for name in given}},
        )
    return {name: arms_store.counts(db, name) for name in given}


def stop(project: Project, actor: str = "lead") -> bool:
    """Stop the split: suggestions follow the project switch again. The arms are kept (the report
    still reads which half each document was in). Whether a split was going on."""
    _lead_only(project, "the A/B split of suggestions")
    current = split_of(project)
    if current is None:
        return False
    with project.transaction() as db:
        project.set_setting(arms_store.SETTING, None)
        changelog.record(db, "assistance.split.off", actor, before={"seed": current.seed, "since": current.since})
    return True


def on_assigned(project: Project, pairs: Iterable[tuple[str, str]]) -> None:
    """Give newly assigned ``(doc_id, annotator)`` pairs their arms (inside the caller's
    transaction), when a split goes on."""
    current = split_of(project)
    if current is None:
        return
    by_annotator: dict[str, list[str]] = defaultdict(list)
    for doc_id, annotator in pairs:
        by_annotator[annotator].append(doc_id)
    for annotator, doc_ids in by_annotator.items():
        _assign(project, current.seed, annotator, doc_ids, now())


def shown(project: Project, doc_id: str, layer: str) -> bool:
    """Whether the split lets ``layer`` see suggestions on the document (always, with no split)."""
    current = split_of(project)
    if current is None or layer == GOLD:
        return True
    stored = arms_store.arm(project.db, layer, doc_id)
    return stored if stored is not None else coin(current.seed, layer, doc_id)


def quiet_reason(project: Project, doc_id: str, layer: str) -> str | None:
    """Why the split shows no suggestions on this document, or ``None``."""
    if shown(project, doc_id, layer):
        return None
    return (
        "No suggestions on this document: it is in the half of your documents annotated without them, "
        "to measure the time they save (the lead's A/B split)"
    )


def arms_for(project: Project, annotator: str, doc_ids: Iterable[str]) -> dict[str, bool] | None:
    """For a project bundle: the annotator's arms of ``doc_ids`` (``None`` with no split)."""
    current = split_of(project)
    if current is None:
        return None
    stored = arms_store.arms(project.db, annotator)
    return {doc_id: stored.get(doc_id, coin(current.seed, annotator, doc_id)) for doc_id in doc_ids}


def receive(project: Project, annotator: str, split: dict[str, Any] | None, given: dict[str, bool]) -> None:
    """An annotator's copy takes the split and its arms from the project bundle (in the caller's
    transaction)."""
    project.set_setting(arms_store.SETTING, split)
    if given:
        arms_store.put(project.db, annotator, given.items(), now())


def coin(seed: int, annotator: str, doc_id: str) -> bool:
    """The seeded coin of a pair: the same for the same seed, annotator and document."""
    return _draw(seed, annotator, doc_id) & 1 == 1


def _draw(seed: int, annotator: str, doc_id: str) -> int:
    digest = hashlib.sha256(f"{seed}\x1f{annotator}\x1f{doc_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _fresh_seed() -> int:
    return int.from_bytes(hashlib.sha256(now().encode()).digest()[:4], "big")


def _people(db) -> list[str]:
    return [name for name in annotator_store.humans(db) if name != GOLD]


def _documents_of(project: Project, annotator: str) -> list[str]:
    given = assignments.assigned(project.db, annotator).get(annotator)
    if given:
        return given
    if assignments.any_assigned(project.db):
        return []  # the project assigns documents, and none to this annotator yet
    return documents.ids(project.db)


def _assign(project: Project, seed: int, annotator: str, doc_ids: Sequence[str], at: str) -> int:
    """Arms for those of ``doc_ids`` that have none: in the seed's order, each to the half that
    has fewer (the pair's coin when even)."""
    db = project.db
    have = arms_store.arms(db, annotator)
    with_, without = arms_store.counts(db, annotator)
    chosen: list[tuple[str, bool]] = []
    for doc_id in sorted({d for d in doc_ids if d not in have}, key=lambda d: _draw(seed, annotator, d)):
        on = with_ < without or (with_ == without and coin(seed, annotator, doc_id))
        chosen.append((doc_id, on))
        with_, without = (with_ + 1, without) if on else (with_, without + 1)
    return arms_store.put(db, annotator, chosen, at)


# --- active time ---------------------------------------------------------------------------------


def active_seconds(events: Iterable[tuple[_dt.datetime, str]], pause: float = PAUSE) -> dict[str, float]:
    """``{doc_id: seconds}`` from ``(when, doc_id)`` changes: each gap of at most ``pause`` seconds
    counts for the document of the change that ends it; longer gaps are pauses."""
    out: dict[str, float] = {}
    previous: _dt.datetime | None = None
    for when, doc_id in sorted(events):
        out.setdefault(doc_id, 0.0)
        if previous is not None and 0 < (gap := (when - previous).total_seconds()) <= pause:
            out[doc_id] += gap
        previous = when
    return out


@dataclass
class _Log:
    events: list[tuple[_dt.datetime, str]] = field(default_factory=list)
    accepted: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    rejected: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    unreadable: int = 0  # lines of a received change log that could not be read


def _log_of(project: Project, annotator: str) -> _Log:
    """The annotator's own changes: the newest work bundle's copy of their log if they sent one
    (what this project logged under their name is then the merges, timed when merged), else this
    project's log."""
    seen: set[tuple[str, str, str]] = set()
    log = _Log()

    def add(at: Any, action: Any, doc_id: Any) -> None:
        if not (isinstance(at, str) and isinstance(action, str) and isinstance(doc_id, str)):
            log.unreadable += 1
            return
        if action in _NOT_WORK or (at, action, doc_id) in seen:
            return
        try:
            when = _dt.datetime.fromisoformat(at)
        except ValueError:
            log.unreadable += 1
            return
        if when.tzinfo is None:
            when = when.replace(tzinfo=_dt.UTC)
        seen.add((at, action, doc_id))
        log.events.append((when, doc_id))
        if action == "suggestion.accept":
            log.accepted[doc_id] += 1
        elif action == "suggestion.reject":
            log.rejected[doc_id] += 1
        elif action == "suggestion.unreject":
            log.rejected[doc_id] -= 1

    db = project.db
    row = bundle_store.newest_received(db, annotator)
    if row is None:  # they work in this project: its log is theirs
        for at, action, doc_id in changelog.of_actor(db, annotator):
            add(at, action, doc_id)
    else:  # they work in their copy: under their name here are only merges, timed when merged
        with bundle_store.received_content(db, row) as content:
            try:
                with zipfile.ZipFile(content) as archive, archive.open(CHANGES_MEMBER) as lines:
                    for line in lines:
                        try:
                            item = json.loads(line)
                        except ValueError:
                            log.unreadable += 1
                            continue
                        if isinstance(item, dict) and item.get("actor") == annotator and item.get("doc_id"):
                            add(item.get("at"), item.get("action"), item.get("doc_id"))
            except (zipfile.BadZipFile, KeyError):
                log.unreadable += 1
    return log


# --- the report ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timed:
    """One done document of one annotator, timed."""

    annotator: str
    doc_id: str
    shown: bool  # the half: suggestions shown
    seconds: float
    characters: int
    accepted: int
    rejected: int

    @property
    def per_1000(self) -> float:
        return self.seconds * 1000.0 / max(1, self.characters)


NO_INTERVAL = Interval(None, None, LEVEL, 0, "fewer than two documents in the half")


def _bounds(interval: Interval) -> list[float | None]:
    return [interval.low, interval.high]


@dataclass(frozen=True)
class Half:
    """The figures of one half of the split."""

    documents: int
    median: float | None  # active seconds per 1,000 characters
    median_interval: Interval
    accepted: int
    rejected: int
    gold_documents: int
    strict_f1: float | None
    strict_interval: Interval
    relaxed_f1: float | None
    relaxed_interval: Interval

    @property
    def acceptance(self) -> float | None:
        decided = self.accepted + self.rejected
        return self.accepted / decided if decided else None

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "median_seconds_per_1000_characters": _round(self.median),
            "median_interval": _bounds(self.median_interval),
            "suggestions_accepted": self.accepted,
            "suggestions_rejected": self.rejected,
            "acceptance_rate": _round(self.acceptance),
            "gold_documents": self.gold_documents,
            "strict_f1_with_gold": _round(self.strict_f1),
            "strict_f1_interval": _bounds(self.strict_interval),
            "relaxed_f1_with_gold": _round(self.relaxed_f1),
            "relaxed_f1_interval": _bounds(self.relaxed_interval),
        }


@dataclass
class AssistanceReport:
    split: Split | None
    annotators: list[str]
    with_suggestions: Half
    without: Half
    ratio: float | None  # median with / median without: below 1, suggestions save time
    ratio_interval: Interval
    per_annotator: dict[str, dict[str, Any]]
    not_counted: dict[str, int]  # why documents are not in the comparison -> how many
    unreadable: int
    pause: float = PAUSE
    level: float = LEVEL
    replicates: int = REPLICATES

    def to_json(self) -> dict[str, Any]:
        return {
            "split": None if self.split is None else {"seed": self.split.seed, "since": self.split.since},
            "annotators": self.annotators,
            "pause_seconds": self.pause,
            "interval_level": self.level,
            "replicates": self.replicates,
            "with_suggestions": self.with_suggestions.to_json(),
            "without_suggestions": self.without.to_json(),
            "time_ratio": _round(self.ratio),
            "time_ratio_interval": _bounds(self.ratio_interval),
            "per_annotator": self.per_annotator,
            "not_counted": self.not_counted,
            "unreadable_log_lines": self.unreadable,
        }


def report(
    project: Project,
    annotators: Sequence[str] | None = None,
    *,
    seed: int = 0,
    replicates: int = REPLICATES,
    pause: float = PAUSE,
) -> AssistanceReport:
    """The comparison of the two halves (see the module doc). :class:`InvalidInput` for an
    unknown annotator."""
    import numpy as np

    db = project.db
    people = _people(db)
    names = list(annotators) if annotators else people
    unknown = [name for name in names if name not in people]
    if unknown:
        raise InvalidInput(
            f"no annotator {unknown[0]!r} in this project; its annotators: {', '.join(people) or 'none'}"
        )
    current = split_of(project)
    since = _parse(current.since) if current is not None else None
    labels = [label.name for label in project.labels()]
    timed: list[Timed] = []
    not_counted: dict[str, int] = defaultdict(int)
    unreadable = 0
    for name in names:
        log = _log_of(project, name)
        unreadable += log.unreadable
        first: dict[str, _dt.datetime] = {}
        for when, doc_id in log.events:
            first[doc_id] = min(first.get(doc_id, when), when)
        seconds = active_seconds(log.events, pause)
        arms = arms_store.arms(db, name)
        for doc_id in sorted(status_store.documents_in(db, name, [status_store.DONE])):
            if doc_id not in first:
                not_counted["done without a logged change (imported or merged without a log)"] += 1
                continue
            if since is not None and first[doc_id] < since:
                not_counted["begun before the split"] += 1
                continue
            arm = arms.get(doc_id)
            if arm is None:
                if current is None:
                    not_counted["not in an A/B split"] += 1
                    continue
                arm = coin(current.seed, name, doc_id)
            document = documents.get(db, doc_id)
            if document is None:
                continue
            timed.append(
                Timed(
                    name,
                    doc_id,
                    arm,
                    seconds.get(doc_id, 0.0),
                    len(document.text),
                    log.accepted.get(doc_id, 0),
                    max(0, log.rejected.get(doc_id, 0)),
                )
            )
    rng = np.random.default_rng(seed)
    gold = {t.doc_id: _gold(db, t.doc_id) for t in timed}
    counts = {(t.annotator, t.doc_id): _agreement(db, t, gold[t.doc_id], labels) for t in timed}
    on = [t for t in timed if t.shown]
    off = [t for t in timed if not t.shown]
    half_on, draws_on = _half(on, counts, rng, replicates)
    half_off, draws_off = _half(off, counts, rng, replicates)
    ratio = half_on.median / half_off.median if half_on.median is not None and half_off.median else None
    ratio_interval = NO_INTERVAL
    if draws_on is not None and draws_off is not None:
        with np.errstate(divide="ignore", invalid="ignore"):
            ratios = draws_on / draws_off
        ratio_interval = _interval(ratios)
    per_annotator = {}
    for name in names:
        mine_on = [t.per_1000 for t in on if t.annotator == name]
        mine_off = [t.per_1000 for t in off if t.annotator == name]
        m_on = median(mine_on) if mine_on else None
        m_off = median(mine_off) if mine_off else None
        per_annotator[name] = {
            "with_suggestions": len(mine_on),
            "without_suggestions": len(mine_off),
            "median_with": _round(m_on),
            "median_without": _round(m_off),
            "time_ratio": _round(m_on / m_off) if m_on is not None and m_off else None,
        }
    return AssistanceReport(
        current,
        names,
        half_on,
        half_off,
        ratio,
        ratio_interval,
        per_annotator,
        dict(not_counted),
        unreadable,
        pause,
        LEVEL,
        replicates,
    )


def _gold(db, doc_id: str) -> list[tuple[int, int, str]] | None:
    spans = span_store.for_document(db, doc_id, GOLD)
    return [(s.start, s.end, s.label) for s in spans] if spans else None


def _agreement(db, timed: Timed, gold: list[tuple[int, int, str]] | None, labels: list[str]):
    """``(matched strict, matched relaxed predicted, matched relaxed gold, predicted, gold)`` or None."""
    import numpy as np

    if gold is None:
        return None
    from workbench.core.values.training import compare

    mine = [(s.start, s.end, s.label) for s in span_store.for_document(db, timed.doc_id, timed.annotator)]
    totals = np.zeros(5)
    for c in compare(mine, gold, labels).values():
        totals += (c.strict, c.relaxed_p, c.relaxed_g, c.predicted, c.gold)
    return totals


def _half(
    items: list[Timed], counts: dict, rng: np.random.Generator, replicates: int
) -> tuple[Half, np.ndarray | None]:
    import numpy as np

    values = np.array([t.per_1000 for t in items], dtype=float)
    rows = [counts[(t.annotator, t.doc_id)] for t in items]
    has_gold = np.array([row is not None for row in rows], dtype=bool)
    table = np.array([row if row is not None else np.zeros(5) for row in rows], dtype=float).reshape(-1, 5)
    strict, relaxed = _f1(table[has_gold].sum(axis=0)) if has_gold.any() else (None, None)
    med_draws = None
    med_interval = strict_interval = relaxed_interval = NO_INTERVAL
    if len(items) >= 2:
        picks = rng.integers(0, len(items), size=(replicates, len(items)))
        med_draws = np.median(values[picks], axis=1)
        med_interval = _interval(med_draws)
        if has_gold.sum() >= 2:
            weights = np.zeros((replicates, len(items)))
            np.add.at(weights, (np.repeat(np.arange(replicates), len(items)), picks.ravel()), 1.0)
            sums = weights @ (table * has_gold[:, None])
            s_draws, r_draws = _f1_many(sums)
            strict_interval, relaxed_interval = _interval(s_draws), _interval(r_draws)
    half = Half(
        len(items),
        float(np.median(values)) if len(items) else None,
        med_interval,
        sum(t.accepted for t in items),
        sum(t.rejected for t in items),
        int(has_gold.sum()),
        strict,
        strict_interval,
        relaxed,
        relaxed_interval,
    )
    return half, med_draws


def _f1(row: np.ndarray) -> tuple[float | None, float | None]:
    """Strict and relaxed F1 of one row of summed counts (``None`` where undefined)."""
    strict, relaxed = (float(values[0]) for values in _f1_many(row[None, :]))
    return (None, None) if strict != strict else (strict, relaxed)  # (NaN: no span on either side)


def _f1_many(sums: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Strict and relaxed F1 of each row of summed counts ``(exact, relaxed predicted, relaxed
    gold, predicted, gold)``; NaN where a row has no span on either side."""
    import numpy as np

    exact, rel_pred, rel_gold, predicted, gold = sums.T
    with np.errstate(divide="ignore", invalid="ignore"):
        strict = np.where(predicted + gold > 0, 2 * exact / (predicted + gold), np.nan)
        p = np.where(predicted > 0, rel_pred / predicted, 0.0)
        r = np.where(gold > 0, rel_gold / gold, 0.0)
        relaxed = np.where(predicted + gold > 0, np.where(p + r > 0, 2 * p * r / (p + r), 0.0), np.nan)
    return strict, relaxed


def _interval(values: np.ndarray) -> Interval:
    from workbench.core.agreement.bootstrap import percentile_interval

    return percentile_interval(values, LEVEL)


def _parse(at: str) -> _dt.datetime:
    when = _dt.datetime.fromisoformat(at)
    return when if when.tzinfo is not None else when.replace(tzinfo=_dt.UTC)


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)
