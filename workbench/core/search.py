"""Search the open document or the whole corpus, forgiving harakat, tatweel and letter forms."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from workbench.core.store import documents
from workbench.core.store.project import Project
from workbench.core.text.fold import find_all, fold, fold_with_offsets

CONTEXT = 40  # characters shown on each side of a hit


@dataclass(frozen=True)
class Hit:
    doc_id: str
    start: int
    end: int
    before: str
    match: str
    after: str


def _hits(doc_id: str, text: str, query: str) -> Iterator[Hit]:
    for start, end in find_all(fold_with_offsets(text), query):
        yield Hit(
            doc_id,
            start,
            end,
            " ".join(text[max(0, start - CONTEXT) : start].split()),
            text[start:end],
            " ".join(text[end : end + CONTEXT].split()),
        )


def in_text(doc_id: str, text: str, query: str) -> list[Hit]:
    return list(_hits(doc_id, text, query))


def catch_up(project: Project, *, seconds: float | None = None, cancelled: Callable[[], bool] = lambda: False) -> int:
    """Add the documents the search index lacks (imported since it was last caught up), a
    thousand per transaction, for at most ``seconds`` (``None``: until it is complete); how
    many were added. Import does not index (it would be 4-5x slower): the window catches up
    before each corpus search, and the documents left out are still searched, read whole."""
    started = time.perf_counter()
    added = 0
    while not cancelled() and (seconds is None or time.perf_counter() - started < seconds):
        with project.transaction() as db:
            step = documents.index_pending(db)
        if not step:
            break
        added += step
    return added


def in_corpus(
    project_path: Path,
    query: str,
    *,
    limit: int = 1000,
    cancelled: Callable[[], bool] = lambda: False,
    progress: Callable[[int, int], None] | None = None,
    scan: bool = False,
) -> list[Hit]:
    """Search every document, in list order, through a connection of its own (so it can run
    in a worker thread while the window keeps the project open). Stops at ``limit`` hits.
    ``scan=True`` reads every document instead of asking the index (the reference the index
    is tested and measured against)."""
    needle = fold(query).strip()
    if not needle:
        return []
    # The trigram index (migration 0009) narrows the documents to those that hold the folded
    # needle; each is still checked here, so the hits are exactly those of a scan. A needle
    # of one or two characters scans (it is in most documents: the limit comes soon).
    with documents.read_only_texts(project_path, containing=None if scan else needle) as (total, texts):
        hits: list[Hit] = []
        for done, (doc_id, text) in enumerate(texts):
            if cancelled():
                break
            if progress is not None and done % 200 == 0:
                progress(done, total)
            # Cheap test on the folded text first; offsets only for documents that match.
            if needle in fold(text):
                hits.extend(_hits(doc_id, text, query))
                if len(hits) >= limit:
                    return hits[:limit]
        return hits
