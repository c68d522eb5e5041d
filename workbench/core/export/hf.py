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
FLUSH_ROWS = 1000  # rows of a split held in memory before they go to its Arrow file
MAX_SHARD_BYTES = 500 * 1024 * 1024  # save_to_disk's default shard size: a split's file is cut there
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
        # rows go to the split's Arrow file every FLUSH_ROWS rows (memory stays flat)
        self.writers: dict[str, Any] = {}  # split -> datasets' ArrowWriter of its current shard
        self.shards: dict[str, list[Any]] = {}  # split -> its shards' paths, while written
        self._features = None  # the dataset's Features (datasets is imported when first written)
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

        columns = self.columns[split]
        if columns["id"]:
            writer = self._writer(split)
            writer.write_table(pa.Table.from_pydict(columns, schema=self._dataset_features().arrow_schema))
            if getattr(writer, "_num_bytes", 0) >= MAX_SHARD_BYTES:  # the next rows go to a new shard
                self._finish_shard(split)
        self.columns[split] = {name: [] for name in COLUMNS}

    # The dataset is written as ``DatasetDict.save_to_disk`` writes it (``dataset_dict.json``;
    # per split ``data-NNNNN-of-NNNNN.arrow`` shards of at most 500 MB, ``state.json``,
    # ``dataset_info.json``), by datasets' own ``ArrowWriter``, a batch of rows at a time:
    # building a ``Dataset`` and saving it would read every row back through a memory map,
    # whose pages count in the process's memory (a peak that grew with the export).

    def _dataset_features(self):
        if self._features is None:
            self._features = features(self.context.tags)
        return self._features

    def _writer(self, split: str):
        from datasets.arrow_writer import ArrowWriter

        writer = self.writers.get(split)
        if writer is None:
            folder = self.root / split
            folder.mkdir(exist_ok=True)
            part = folder / f"data-{len(self.shards.setdefault(split, [])):05d}.part"
            self.shards[split].append(part)
            writer = self.writers[split] = ArrowWriter(
                features=self._dataset_features(), path=str(part), embed_local_files=True
            )
        return writer

    def _finish_shard(self, split: str) -> None:
        writer = self.writers.pop(split, None)
        if writer is not None:
            writer.finalize()
            writer.close()

    def close(self) -> dict[str, str]:
        import json

        import datasets
        from datasets.utils.py_utils import asdict  # (not dataclasses': it writes features as save_to_disk does)

        info = asdict(datasets.DatasetInfo(features=self._dataset_features()))
        info = {key: info[key] for key in sorted(info)}  # as save_to_disk sorts the first level only
        for split in self.splits:
            self._flush(split)
            if not self.shards.get(split):
                self._writer(split)  # an empty split has one empty shard, or load_from_disk fails on it
            self._finish_shard(split)
            parts = self.shards[split]
            names = [f"data-{i:05d}-of-{len(parts):05d}.arrow" for i in range(len(parts))]
            for part, name in zip(parts, names):
                part.replace(part.with_name(name))
            state: dict[str, Any] = {
                "_data_files": [{"filename": name} for name in names],
                # deterministic: the same export gives the same files (and hashes)
                "_fingerprint": self.digests[split].hexdigest()[:16],
                "_format_columns": None,
                "_format_kwargs": {},
                "_format_type": None,
                "_output_all_columns": False,
                "_split": split,
            }
            folder = self.root / split
            (folder / "state.json").write_text(json.dumps(state, indent=2, sort_keys=True), encoding="utf-8")
            (folder / "dataset_info.json").write_text(json.dumps(info, indent=2), encoding="utf-8")
        (self.root / "dataset_dict.json").write_text(json.dumps({"splits": list(self.splits)}), encoding="utf-8")
        self.columns = {}
        return hash_tree(self.root)

    def abort(self) -> None:
        for writer in self.writers.values():
            try:
                writer.close()
            except Exception:  # pragma: no cover - the folder is removed anyway
                pass
        self.writers = {}
