"""One export, start to finish: check, select, split, write, describe, then swap in atomically.

Everything is written into a new folder beside the output folder
(``.NAME.export-XXXXXXXX``) and renamed into place only when complete, so a failure or a
cancel leaves the output folder as it was (and no half export anywhere). An existing
output folder is replaced only if it is empty or holds exactly what an earlier export
wrote (its ``manifest.json`` lists every file); anything else is refused.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np

from workbench import __version__
from workbench.core.export import alignment, datacard, layers, splits
from workbench.core.export.alignment import COLLATERAL, CONFLICT, CROSSING, DROPPED, EMPTY, ENTITY, NESTED
from workbench.core.export.base import Context
from workbench.core.export.formats import BOUNDARIES, FORMATS
from workbench.core.export.options import ExportCancelled, ExportError, ExportOptions, ExportReport
from workbench.core.store import spans as span_store
from workbench.core.store import suggestions as suggestion_store
from workbench.core.store.project import GOLD, Project

CHUNK_DOCUMENTS = 256
MANIFEST = "manifest.json"
README = "README.md"
GENERATOR = "workbench export"


def export(
    project: Project,
    options: ExportOptions,
    out_dir: Path,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    predictions: Callable[[str], list] | None = None,
) -> ExportReport:
    """Export ``options.source`` of ``project`` as ``options.format`` into ``out_dir``.

    ``progress(done, total)`` is called with documents written; ``cancelled()`` is asked
    between chunks of documents, and a true answer raises :class:`ExportCancelled` with
    nothing written. Bad options, a missing optional package, a refused folder or an empty
    source raise :class:`ExportError` before anything is written. ``predictions(doc_id)``: the
    document's suggestions, written as pre-annotations by a format that takes them (label-studio).
    """
    fmt, policy, shares = _check_options(options)
    source = layers.parse_source(project, options.source)
    writer_class = FORMATS[fmt].load()  # MissingExtra here, before anything is written
    if predictions is not None and not writer_class.takes_predictions:
        takers = [name for name, info in FORMATS.items() if info.predictions]
        raise ExportError(f"--predictions: the {fmt} format has no place for suggestions (only {', '.join(takers)})")
    out_dir = Path(out_dir)
    recover(out_dir)
    _check_out_dir(project, out_dir)

    selection = layers.select(project, source)
    if not selection.documents:
        raise ExportError(_nothing_to_export(source, selection))
    by_label = selection.labels_by_document(project) if options.stratify else None
    renamed = getattr(writer_class, "split_names", None)  # the format's names (hf: validation)
    assignment = splits.assign(selection.documents, shares, int(options.seed), by_label, renamed)
    names = splits.split_names(shares, renamed)
    schema = tuple(project.labels())
    label_names = tuple(label.name for label in schema)
    context = Context(label_names, tuple(alignment.tag_names(list(label_names))), schema, policy)

    tmp = _make_temp_dir(out_dir)
    writer = None
    try:
        writer = writer_class(tmp, names, context)
        if predictions is not None:
            writer.predictions = predictions
        stats = _Stats(names, label_names, FORMATS[fmt].tokens)
        total = len(selection.documents)
        done = 0
        if progress is not None:
            progress(0, total)
        chunk: list[layers.SourceDocument] = []
        documents = with_marks(layers.iter_documents(project, selection), _layer_marks(project, source))
        while True:
            doc = next(documents, None)
            if doc is not None:
                chunk.append(doc)
                if len(chunk) < CHUNK_DOCUMENTS:
                    continue
            if chunk:
                if cancelled is not None and cancelled():
                    raise ExportCancelled("the export was cancelled; nothing was written")
                _write_chunk(chunk, writer, assignment, names, label_names, policy, stats)
                done += len(chunk)
                chunk = []
                if progress is not None:
                    progress(done, total)
            if doc is None:
                break
        files = writer.close()
        # spans a format could not place (hf: across a sentence end), counted, never silent
        stats.unplaced = int(getattr(writer, "unplaced", 0))
        writer = None
        if cancelled is not None and cancelled():
            raise ExportCancelled("the export was cancelled; nothing was written")
        facts = _facts(project, options, fmt, policy, shares, names, source, selection, assignment, stats, context)
        facts["agreement"] = _agreement(project)
        readme = datacard.render(facts, files)
        files[README] = datacard.write_text(tmp / README, readme)
        manifest = dict(facts)
        manifest["files"] = dict(sorted(files.items()))
        datacard.write_text(tmp / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
        if cancelled is not None and cancelled():
            raise ExportCancelled("the export was cancelled; nothing was written")
        _install(tmp, out_dir)
    except BaseException:
        if writer is not None:
            writer.abort()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return ExportReport(
        out_dir=out_dir,
        documents={name: stats.documents[i] for i, name in enumerate(names)},
        spans={name: stats.spans[i] for i, name in enumerate(names)},
        files=dict(sorted(files.items())),
        counts=stats.counts(policy),
        notes=_notes(source, selection) + _unplaced_note(fmt, stats.unplaced),
        agreement=dict(facts["agreement"].get("as_of") or {}),
    )


def _unplaced_note(fmt: str, unplaced: int) -> list[str]:
    if not unplaced:
        return []
    return [
        f"{unplaced} spans cross a sentence end (each partly overlaps another span) and are in no row of the "
        f"{fmt} export; the JSONL and brat exports keep them"
    ]


# --- span notes and unsure flags ----------------------------------------------------------


@dataclass
class MarkedDocument(layers.SourceDocument):
    """A document with each span's note and unsure flag (``marks[i]`` is ``spans[i]``'s)."""

    marks: list[tuple[str, bool]] = field(default_factory=list)


def marks_of(doc: layers.SourceDocument) -> list[tuple[str, bool]]:
    """``(note, unsure)`` of each span of ``doc``, in the order of ``doc.spans``
    (``("", False)`` for a span without either, and for every majority span)."""
    marks = getattr(doc, "marks", None)
    return marks if marks and len(marks) == len(doc.spans) else [("", False)] * len(doc.spans)


def _layer_marks(project: Project, source: layers.Source) -> dict[str, dict[tuple[int, int, str], tuple[str, bool]]]:
    """doc id -> (start, end, label) -> (note, unsure): the noted or flagged spans of the layer
    the export reads (gold for ``gold`` and ``majority``; majority spans have none)."""
    annotator = source.annotator if source.kind == layers.ANNOTATOR_KIND and source.annotator else GOLD
    out: dict[str, dict[tuple[int, int, str], tuple[str, bool]]] = {}
    for doc_id, start, end, label, note, unsure in span_store.layer_marks(project.db, annotator):
        out.setdefault(doc_id, {})[(start, end, label)] = (note, unsure)
    return out


def with_marks(
    documents: Iterator[layers.SourceDocument], marks: dict[str, dict[tuple[int, int, str], tuple[str, bool]]]
) -> Iterator[layers.SourceDocument]:
    """The documents, each with its spans' notes and unsure flags (:func:`marks_of`)."""
    for doc in documents:
        found = marks.get(doc.id) if doc.layer != layers.MAJORITY_KIND else None
        if not found:
            yield doc
            continue
        blank = ("", False)
        yield MarkedDocument(
            doc.id,
            doc.text,
            doc.sha256,
            doc.meta,
            doc.layer,
            doc.spans,
            [found.get((s[0], s[1], s[2]), blank) for s in doc.spans],
        )


def _notes(source: layers.Source, selection: layers.Selection) -> list[str]:
    """What the reader of the report should know about the documents taken and left out."""
    if not selection.incomplete_gold:
        return []
    if source.kind == layers.GOLD_KIND:
        return [layers.incomplete_gold_note(selection.incomplete_gold)]
    return [
        f"{len(selection.incomplete_gold)} documents with incomplete gold "
        f"({sum(selection.incomplete_gold.values())} open clusters) took the majority vote, not their gold; "
        + layers.INCOMPLETE_HINT
    ]


# --- options --------------------------------------------------------------------


def _check_options(options: ExportOptions) -> tuple[str, str, tuple[int, ...]]:
    fmt = str(options.format).strip().lower()
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {options.format!r}: use one of {', '.join(FORMATS)}")
    policy = str(options.boundary).strip().lower()
    if policy not in BOUNDARIES:
        raise ExportError(f"unknown boundary policy {options.boundary!r}: use one of {', '.join(BOUNDARIES)}")
    if isinstance(options.split, str):
        shares = splits.parse_split(options.split)
    else:
        shares = splits.check_split(tuple(options.split))
    if isinstance(options.seed, bool) or not isinstance(options.seed, int):
        raise ExportError(f"the seed must be a whole number, not {options.seed!r}")
    return fmt, policy, shares


def _nothing_to_export(source: layers.Source, selection: layers.Selection) -> str:
    if source.kind == layers.GOLD_KIND:
        if selection.incomplete_gold:
            return (
                "there is nothing to export: no document has complete gold ("
                + layers.incomplete_gold_note(selection.incomplete_gold)
                + "), or export annotator:NAME or majority"
            )
        return (
            "there is nothing to export: no document has gold spans or is marked done in the gold "
            "layer; adjudicate documents first, or export annotator:NAME or majority"
        )
    if source.kind == layers.ANNOTATOR_KIND:
        return f"there is nothing to export: {source.annotator} has no spans and no finished documents"
    left = "; ".join(f"{n} documents left out: {why}" for why, n in selection.skipped.items())
    return "there is nothing to export: no adjudicated document and no document with two or more annotators" + (
        f" ({left})" if left else ""
    )


# --- the output folder ----------------------------------------------------------------


def _check_out_dir(project: Project, out_dir: Path) -> None:
    """Refuse a folder that is neither new, nor empty, nor exactly a previous export."""
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportError(f"{out_dir} is a file, not a folder; give a folder for the export")
    project_path = Path(project.path).resolve()
    if out_dir.exists():
        if project_path.is_relative_to(out_dir.resolve()):
            raise ExportError(f"{out_dir} holds the project file itself; choose another folder for the export")
        present = {p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*") if not p.is_dir()}
        if not present:
            return
        manifest_path = out_dir / MANIFEST
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            written = set(manifest["files"]) if manifest.get("generator") == GENERATOR else None
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            written = None
        if written is None:
            raise ExportError(
                f"{out_dir} is not empty and was not written by an export (it has no export "
                "manifest.json); choose an empty or new folder"
            )
        extra = sorted(present - written - {MANIFEST})
        if extra:
            shown = ", ".join(extra[:3]) + (" ..." if len(extra) > 3 else "")
            raise ExportError(
                f"{out_dir} holds files the previous export did not write ({shown}); "
                "move them away or choose another folder, so that replacing the export loses nothing"
            )


def recover(out_dir: Path) -> None:
    """Tidy up after an export that was killed: remove its hidden ``.NAME.export-XXXX`` folder;
    if it died between the two renames of :func:`_install` (no output at ``out_dir``, the
    previous one in ``.NAME.old-XXXX``), put the previous output back; if it died after them,
    remove the old one. (Two exports into the same folder at once are not supported.)"""
    parent = out_dir.parent
    if not parent.is_dir():
        return
    olds = sorted(parent.glob(f".{out_dir.name}.old-*"), key=lambda p: p.stat().st_mtime)
    if olds and not out_dir.exists():
        os.replace(olds.pop(), out_dir)
    for leftover in (*olds, *parent.glob(f".{out_dir.name}.export-*")):
        shutil.rmtree(leftover, ignore_errors=True)


def _make_temp_dir(out_dir: Path) -> Path:
    parent = out_dir.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        while True:
            tmp = parent / f".{out_dir.name}.export-{secrets.token_hex(4)}"
            try:
                tmp.mkdir()
                return tmp
            except FileExistsError:  # pragma: no cover - 32 random bits
                continue
    except OSError as exc:
        raise ExportError(f"cannot write the export beside {out_dir}: {exc.strerror or exc}") from None


def _install(tmp: Path, out_dir: Path) -> None:
    """Put the finished export in place of ``out_dir`` (two renames; the old one removed last)."""
    if not out_dir.exists():
        os.replace(tmp, out_dir)
        return
    old = out_dir.parent / f".{out_dir.name}.old-{secrets.token_hex(4)}"
    os.replace(out_dir, old)
    try:
        os.replace(tmp, out_dir)
    except BaseException:
        os.replace(old, out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)


# --- writing ---------------------------------------------------------------------


def _write_chunk(
    chunk: list[layers.SourceDocument],
    writer,
    assignment: dict[str, str],
    names: tuple[str, ...],
    labels: tuple[str, ...],
    policy: str,
    stats: _Stats,
) -> None:
    codes = {label: i for i, label in enumerate(labels)}
    counts = np.fromiter((len(d.spans) for d in chunk), dtype=np.int64, count=len(chunk))
    flat = [s for d in chunk for s in d.spans]
    m = len(flat)
    span_doc = np.repeat(np.arange(len(chunk)), counts)
    span_start = np.fromiter(map(itemgetter(0), flat), dtype=np.int64, count=m)
    span_end = np.fromiter(map(itemgetter(1), flat), dtype=np.int64, count=m)
    try:
        span_label = np.fromiter(map(codes.__getitem__, map(itemgetter(2), flat)), dtype=np.int64, count=m)
    except KeyError as exc:
        raise ExportError(f"a span has the label {exc.args[0]!r}, which is not in the project's schema") from None
    lengths = np.fromiter((len(d.text) for d in chunk), dtype=np.int64, count=len(chunk))
    bad = np.flatnonzero((span_start < 0) | (span_end > lengths[span_doc]) | (span_end <= span_start))
    if len(bad):
        i = int(bad[0])
        doc = chunk[int(span_doc[i])]
        raise ExportError(
            f"a span of document {doc.id!r} ({span_start[i]}-{span_end[i]}) does not fit its text "
            f"({len(doc.text)} characters); the project is damaged"
        )
    view = alignment.align(
        [d.text for d in chunk], span_doc, span_start, span_end, span_label, policy, writer.needs_sentences
    )
    split_of = {name: i for i, name in enumerate(names)}
    doc_split = np.fromiter((split_of[assignment[d.id]] for d in chunk), dtype=np.int64, count=len(chunk))
    writer.write_chunk([names[i] for i in doc_split.tolist()], chunk, view)
    stats.add(view, doc_split, span_doc, span_label, chunk)


class _Stats:
    """Figures for the data card, added up chunk by chunk (vectorised)."""

    def __init__(self, names: tuple[str, ...], labels: tuple[str, ...], token_format: bool):
        n = len(names)
        self.names, self.labels, self.token_format = names, labels, token_format
        self.documents = [0] * n
        self.tokens = [0] * n
        self.sentences = [0] * n
        self.sentences_dropped = [0] * n
        self.spans = [0] * n
        self.per_label = np.zeros((n, len(labels)), dtype=np.int64)
        self.status = np.zeros(7, dtype=np.int64)
        self.inside = 0
        self.inside_kept = 0
        self.source_spans = 0
        self.non_bmp_documents: list[str] = []
        self.has_sentences = False
        self.unplaced = 0  # spans the format could not place (see _unplaced_note)

    def add(self, view, doc_split, span_doc, span_label, chunk) -> None:
        n = len(self.names)
        self.documents = _plus(self.documents, np.bincount(doc_split, minlength=n))
        tokens = np.diff(view.doc_tokens)
        self.tokens = _plus(self.tokens, np.bincount(doc_split, weights=tokens, minlength=n))
        if view.sentence_starts is not None:
            self.has_sentences = True
            for field, flags in (
                ("sentences", view.sentence_starts),
                ("sentences_dropped", view.sentence_starts & view.token_dropped),
            ):
                cumulative = np.concatenate(([0], np.cumsum(flags)))
                per_doc = cumulative[view.doc_tokens[1:]] - cumulative[view.doc_tokens[:-1]]
                setattr(self, field, _plus(getattr(self, field), np.bincount(doc_split, weights=per_doc, minlength=n)))
        status = view.span_status
        self.source_spans += len(status)
        self.status += np.bincount(status, minlength=7)
        outer = ~np.isin(status, (NESTED, CROSSING, EMPTY))
        self.inside += int((view.span_inside & outer).sum())
        self.inside_kept += int((view.span_inside & (status == ENTITY)).sum())
        kept = status == ENTITY if self.token_format else np.ones(len(status), dtype=bool)
        span_split = doc_split[span_doc]
        self.spans = _plus(self.spans, np.bincount(span_split[kept], minlength=n))
        index = span_split[kept] * len(self.labels) + span_label[kept]
        self.per_label += np.bincount(index, minlength=n * len(self.labels)).reshape(n, len(self.labels))
        self.non_bmp_documents += [chunk[k].id for k in np.flatnonzero(view.non_bmp).tolist()]

    def counts(self, policy: str) -> dict[str, Any]:
        s = self.status
        return {
            "boundary": policy,
            "spans_in_source": self.source_spans,
            "edge_inside_token": self.inside,
            "split": self.inside if policy == "split" else 0,
            "expanded": self.inside_kept if policy == "expand" else 0,
            "dropped": int(s[DROPPED]),
            "sentences_dropped": int(sum(self.sentences_dropped)),
            "entities_in_dropped_sentences": int(s[COLLATERAL]),
            "expand_conflicts": int(s[CONFLICT]),
            "nested_inner_dropped": int(s[NESTED]),
            "crossing_dropped": int(s[CROSSING]),
            "empty_dropped": int(s[EMPTY]),
            "entities": int(s[ENTITY]),
            "documents_with_non_bmp": len(self.non_bmp_documents),
            "spans_in_no_row": self.unplaced,
        }


def _plus(values: list[int], more) -> list[int]:
    return [int(a + b) for a, b in zip(values, more)]


# --- facts for the data card and manifest ---------------------------------------------


def _facts(
    project, options, fmt, policy, shares, names, source, selection, assignment, stats, context
) -> dict[str, Any]:
    ids: dict[str, list[str]] = {name: [] for name in names}
    for doc_id, _ in selection.documents:
        ids[assignment[doc_id]].append(doc_id)
    split_facts = {}
    for i, name in enumerate(names):
        split_facts[name] = {
            "share": shares[i],
            "documents": stats.documents[i],
            "tokens": stats.tokens[i],
            "sentences": stats.sentences[i] if stats.has_sentences else None,
            "sentences_dropped": stats.sentences_dropped[i] if stats.has_sentences else None,
            "spans": stats.spans[i],
            "labels": {label: int(stats.per_label[i, j]) for j, label in enumerate(stats.labels)},
            "document_ids": ids[name],
        }
    return {
        "generator": GENERATOR,
        "manifest_version": 1,
        "workbench_version": __version__,
        "created_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "project": {
            "name": project.name,
            "id": project.setting("project_id"),
            "file": Path(project.path).name,
        },
        "format": fmt,
        "source": {
            "name": str(source),
            "description": source.describe(),
            "layers": dict(selection.layers),
            "left_out": dict(selection.skipped),
            "incomplete_gold": {
                "documents": len(selection.incomplete_gold),
                "open_clusters": sum(selection.incomplete_gold.values()),
                "document_ids": sorted(selection.incomplete_gold),
                "notes": _notes(source, selection),
            },
        },
        "options": {
            "split": list(shares),
            "split_names": list(names),
            "seed": int(options.seed),
            "boundary": policy,
            "stratify": bool(options.stratify),
        },
        "splits": split_facts,
        "counts": stats.counts(policy),
        "labels": [label.to_json() for label in context.schema],
        "tags": list(context.tags),
        "annotators": project.annotators(),
        "suggestions": suggestion_store.usage(project.db),
    }


CARD_FIGURES_VERSION = 1  # raise when card_agreement.summary changes what it gives: kept figures are recomputed


def _agreement(project: Project) -> dict[str, Any]:
    """The headline agreement figures of the project (``None`` where undefined), without
    intervals: :func:`workbench.core.export.card_agreement.summary` (one read of the project;
    the bootstrap intervals are the agreement report's), kept in the project
    (:mod:`workbench.core.store.card_cache`) until what they read changes: the first export
    after a change computes them, the next ones read them back. ``as_of`` says as of which
    change of the project's log they are, when they were computed, in how long, and whether
    this export read them back (``from_cache``)."""
    from time import perf_counter

    from workbench.core.export.card_agreement import summary
    from workbench.core.store import card_cache

    version = f"{__version__}/{CARD_FIGURES_VERSION}"
    kept = card_cache.cached(project, version)
    if kept is not None:
        return {**kept.figures, "as_of": _as_of(kept.as_of_change, kept.computed_at, kept.seconds, True)}
    epoch = card_cache.begin(project)
    started = perf_counter()
    try:
        data = summary(project)
    except Exception as exc:  # the figures must not stop an export
        return {"error": f"agreement could not be computed: {exc}"}
    data["bootstrap"] = 0
    data = json.loads(json.dumps(data, ensure_ascii=False))  # as they are kept and read back
    seconds = perf_counter() - started
    card_cache.keep(project, epoch, version, data, seconds)
    return {**data, "as_of": _as_of(epoch.as_of_change, epoch.computed_at, seconds, False)}


def _as_of(change: int | None, computed_at: str, seconds: float, from_cache: bool) -> dict[str, Any]:
    return {"change": change, "computed_at": computed_at, "seconds": round(seconds, 1), "from_cache": from_cache}
