"""Search the open document or the whole corpus, forgiving harakat, tatweel and letter forms."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from workbench.core.store import documents
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


def in_corpus(
    project_path: Path,
    query: str,
    *,
    limit: int = 1000,
    cancelled: Callable[[], bool] = lambda: False,
    progress: Callable[[int, int], None] | None = None,
) -> list[Hit]:
    """Search every document, in list order, through a connection of its own (so it can run
    in a worker thread while the window keeps the project open). Stops at ``limit`` hits."""
    needle = fold(query).strip()
    if not needle:
        return []
    with documents.read_only_texts(project_path) as (total, texts):
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
