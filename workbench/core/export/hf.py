"""Hugging Face ``datasets``: a ``DatasetDict`` saved with ``save_to_disk``, one split per split.

One row per sentence (like ``conll2003``; whole articles would be cut by a model's
maximum length), with:

- ``id`` (``doc_id:n``), ``doc_id``, ``sentence`` (n, counted over the document's sentences),
  ``offset`` (where the sentence starts in the document), ``text`` (the sentence);
- ``tokens``, ``ner_tags`` (a ``ClassLabel`` sequence: ``O``, ``B-ACTOR``, ``I-ACTOR``, ...,
  IOB2), ``token_starts`` and ``token_ends`` (code points of ``text``, end exclusive);
- ``spans``: *every* span of the row, nested and overlapping ones included, as character
  spans of ``text`` (``start``, ``end``, ``label``, ``attributes`` as a JSON string,
  ``note``, ``unsure``) with the tokens they lie on (``token_start``, ``token_end``) and
  ``tagged``: whether the span is one of the entities of ``ner_tags`` (the outermost ones;
  BIO tags hold one span per token). With ``expand``, ``start``/``end`` stay the annotated
  characters and the token range is the widened one. A span that crosses a sentence end
  (only one that partly overlaps another span can) is in no row; JSONL and brat keep it.

The splits are ``train``, ``validation`` and ``test`` (``datasets``' names: this project's
``dev`` split is ``validation`` here). Sentences left out by ``--boundary drop`` have no
row. Load with ``datasets.load_from_disk(folder)``.
"""

from __future__ import annotations

import hashlib
from types import MappingProxyType
from typing import Any

import numpy as np

from workbench.core.export.alignment import EMPTY, ENTITY, DocView
from workbench.core.export.base import Writer
from workbench.core.export.files import hash_tree
from workbench.core.export.layers import SourceDocument
from workbench.core.export.options import MissingExtra
from workbench.core.export.run import marks_of

EXTRA = "pip install workbench[hf]"
SPOOL = ".hf-rows"  # the Arrow files rows are streamed to, removed before the export is done
FLUSH_ROWS = 2000  # rows of a split held in memory before they go to its Arrow file
COLUMNS = ("id", "doc_id", "sentence", "offset", "text", "tokens", "ner_tags", "token_starts", "token_ends", "spans")


def require() -> None:
    """Import ``datasets``, or :class:`MissingExtra` saying how to install it."""
    try:
        import datasets  # noqa: F401
    except ImportError:
        raise MissingExtra(
            f"the Hugging Face format needs the 'datasets' package, which is not installed; install it with: {EXTRA}"
        ) from None


def features(tags: tuple[str, ...]):
    from datasets import ClassLabel, Features, Value

    try:
        from datasets import List
    except ImportError:  # datasets < 4
        from datasets import Sequence as List

    return Features(
        {
            "id": Value("string"),
            "doc_id": Value("string"),
            "sentence": Value("int32"),
            "offset": Value("int32"),
            "text": Value("string"),
            "tokens": List(Value("string")),
            "ner_tags": List(ClassLabel(names=list(tags))),
            "token_starts": List(Value("int32")),
            "token_ends": List(Value("int32")),
            # a list of structs (written as a Python list: the same in every datasets version)
            "spans": [
                {
                    "start": Value("int32"),
                    "end": Value("int32"),
                    "label": Value("string"),
                    "token_start": Value("int32"),
                    "token_end": Value("int32"),
                    "attributes": Value("string"),
                    "note": Value("string"),
                    "unsure": Value("bool"),
                    "tagged": Value("bool"),
                }
            ],
        }
    )


class HfWriter(Writer):
    needs_sentences = True
    split_names = MappingProxyType({"dev": "validation"})  # datasets' names: train, validation, test

    def __init__(self, root, splits, context):
        super().__init__(root, splits, context)
        require()
        self.unplaced = 0  # spans in no row: they cross a sentence end (counted in the data card)
        self.columns: dict[str, dict[str, list[Any]]] = {split: {name: [] for name in COLUMNS} for split in splits}
        self.digests = {split: hashlib.sha256() for split in splits}
        # rows go to an Arrow file per split every FLUSH_ROWS rows (memory stays flat);
        # close() builds the datasets from these files, memory-mapped, and removes them
        self.spool = root / SPOOL
        self.streams: dict[str, Any] = {}
        self.held = 0  # most rows of a split held at once (< FLUSH_ROWS + one document's): for the tests

    def write(self, split: str, doc: SourceDocument, view: DocView) -> None:
        text = doc.text
        columns = self.columns[split]
        digest = self.digests[split]
        marks = marks_of(doc)
        for part in (doc.id, doc.sha256, *(a for *_, a in doc.spans if a), *(f"{u:d}{n}" for n, u in marks if n or u)):
            digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
        tags, dropped = view.tagged()
        for array in (view.starts, view.ends, tags, view.status, view.first, view.stop, dropped):
            digest.update(np.ascontiguousarray(array).tobytes())
        starts, ends = view.starts, view.ends
        # every span on tokens (nested and overlapping ones too), by first token
        placed = np.flatnonzero(view.status != EMPTY)
        placed = placed[np.argsort(view.first[placed], kind="stable")]
        placed_first = view.first[placed]
        for n, (a, b) in enumerate(view.sentences()):
            if dropped[a]:
                continue
            offset = int(starts[a])
            sentence = text[offset : int(ends[b - 1])]
            s = (starts[a:b] - offset).tolist()
            e = (ends[a:b] - offset).tolist()
            spans = []
            lo, hi = np.searchsorted(placed_first, [a, b])
            for i in placed[lo:hi].tolist():
                stop = int(view.stop[i])
                if stop > b:  # crosses the sentence end (only a span partly over another can)
                    self.unplaced += 1
                    continue
                start, end, label, attributes = doc.spans[i]
                note, unsure = marks[i]
                spans.append(
                    {
                        "start": start - offset,
                        "end": end - offset,
                        "label": label,
                        "token_start": int(view.first[i]) - a,
                        "token_end": stop - a,
                        "attributes": attributes or "{}",
                        "note": note,
                        "unsure": unsure,
                        "tagged": int(view.status[i]) == ENTITY,
                    }
                )
            columns["id"].append(f"{doc.id}:{n}")
            columns["doc_id"].append(doc.id)
            columns["sentence"].append(n)
            columns["offset"].append(offset)
            columns["text"].append(sentence)
            columns["tokens"].append([sentence[x:y] for x, y in zip(s, e)])
            columns["ner_tags"].append(tags[a:b].tolist())
            columns["token_starts"].append(s)
            columns["token_ends"].append(e)
            columns["spans"].append(spans)
            self.held = max(self.held, len(columns["id"]))
        if len(columns["id"]) >= FLUSH_ROWS:
            self._flush(split)

    def _flush(self, split: str) -> None:
        """Write the rows held for ``split`` to its Arrow file and let them go."""
        import pyarrow as pa

        schema = features(self.context.tags).arrow_schema
        stream = self.streams.get(split)
        if stream is None:
            self.spool.mkdir(exist_ok=True)
            stream = self.streams[split] = pa.ipc.new_stream(str(self.spool / f"{split}.arrow"), schema)
        columns = self.columns[split]
        if columns["id"]:
            stream.write_table(pa.Table.from_pydict(columns, schema=schema))
        self.columns[split] = {name: [] for name in COLUMNS}

    def close(self) -> dict[str, str]:
        import shutil

        import datasets
        import pyarrow as pa
        from datasets.table import MemoryMappedTable

        schema = features(self.context.tags)
        splits = {}
        for split in self.splits:
            self._flush(split)
            self.streams.pop(split).close()
            splits[split] = datasets.Dataset(
                MemoryMappedTable.from_file(str(self.spool / f"{split}.arrow")),
                info=datasets.DatasetInfo(features=schema),
                split=datasets.NamedSplit(split),
                # deterministic: the same export gives the same files (and hashes)
                fingerprint=self.digests[split].hexdigest()[:16],
            )
        self.columns = {}
        bars = _progress_bars(datasets)
        try:
            # an empty split needs one (empty) shard, or load_from_disk fails on it
            empty = {split: 1 for split, data in splits.items() if len(data) == 0}
            datasets.DatasetDict(splits).save_to_disk(str(self.root), num_shards=empty or None)
        finally:
            if bars is not None:
                bars()
        del splits
        shutil.rmtree(self.spool, ignore_errors=True)
        pa.default_memory_pool().release_unused()  # Arrow's allocator keeps freed memory otherwise
        return hash_tree(self.root)

    def abort(self) -> None:
        for stream in self.streams.values():
            try:
                stream.close()
            except Exception:  # pragma: no cover - the folder is removed anyway
                pass
        self.streams = {}


def _progress_bars(datasets):
    """Turn datasets' progress bars off; return what turns them back on (None if they were off)."""
    enabled = getattr(datasets, "is_progress_bar_enabled", lambda: False)()
    disable = getattr(datasets, "disable_progress_bars", None) or getattr(datasets, "disable_progress_bar", None)
    enable = getattr(datasets, "enable_progress_bars", None) or getattr(datasets, "enable_progress_bar", None)
    if not enabled or disable is None or enable is None:
        return None
    disable()
    return enable
