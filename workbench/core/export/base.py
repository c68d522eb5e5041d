"""What every format writer is given and must do."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.export.alignment import ChunkView, DocView
from workbench.core.export.layers import SourceDocument
from workbench.core.store.labels import Label


@dataclass(frozen=True)
class Context:
    labels: tuple[str, ...]  # label names, in schema order (tag codes follow it)
    tags: tuple[str, ...]  # BIO tag names by code: O, B-first, I-first, ...
    schema: tuple[Label, ...]
    boundary: str


class Writer:
    """A format: ``write`` each document into its split, then ``close`` (or ``abort``)."""

    needs_sentences = False
    # Whether the format carries pre-annotations (Label Studio's "predictions"): then ``predictions``
    # is set by the run to a function giving a document's suggestions (``Found``-like objects:
    # start, end, label, attributes, source, confidence), wired by the front end from the core's
    # suggestions (export sits below them).
    takes_predictions = False
    predictions: Callable[[str], list[Any]] | None = None

    def __init__(self, root: Path, splits: tuple[str, ...], context: Context):
        self.root = root
        self.splits = splits
        self.context = context

    def write(self, split: str, doc: SourceDocument, view: DocView) -> None:  # pragma: no cover
        raise NotImplementedError

    def write_chunk(self, splits: list[str], chunk: list[SourceDocument], view: ChunkView) -> None:
        """Write a chunk of documents (``splits[k]`` is ``chunk[k]``'s split, ``view`` their token
        view): each through :meth:`write` with its own view, unless the format does better."""
        for k, doc in enumerate(chunk):
            self.write(splits[k], doc, view.document(k))

    def close(self) -> dict[str, str]:  # pragma: no cover
        """Finish writing; return relative path -> SHA-256 of the files written."""
        raise NotImplementedError

    def abort(self) -> None:
        """Release open files (the folder is removed by the caller)."""
