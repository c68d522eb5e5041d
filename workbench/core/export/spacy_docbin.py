"""spaCy: one ``DocBin`` (``.spacy``) per split, one ``Doc`` per document.

Each ``Doc`` is built from the export's tokens (``Doc(vocab, words=..., spaces=...)``, with
whitespace other than a single space as tokens of its own, as spaCy does), so its text is
the document's text and character offsets are the same. It holds:

- ``doc.ents``: the entities of the token view (the outermost spans; with ``expand``
  widened to whole tokens); with ``drop``, the tokens of the sentences left out have a
  *missing* entity annotation (spaCy's NER training ignores them) instead of being cut
  out, so the text stays whole;
- ``doc.spans["sc"]`` (:data:`SPANS_KEY`, the span categorizer's default key): *every*
  span, nested and overlapping ones included, on the tokens it lies on (with ``expand``
  or ``drop``, an edge inside a token is widened to the whole token; with ``drop``, the
  spans of a dropped sentence are left out, as its entities are);
- sentence starts (``doc.sents``), from the export's sentence splitting;
- ``doc.user_data``: ``doc_id`` (the project's document id) and ``layer`` (``gold``,
  ``annotator:NAME`` or ``majority``); the ``DocBin`` is written with ``store_user_data``.

Load with ``DocBin().from_disk(path).get_docs(spacy.blank("ar").vocab)``.
"""

from __future__ import annotations

import shutil
import struct
import zlib
from typing import Any

import numpy as np

from workbench.core.export.alignment import EMPTY, ENTITY, DocView
from workbench.core.export.base import Writer
from workbench.core.export.files import sha256_file
from workbench.core.export.layers import SourceDocument
from workbench.core.export.options import MissingExtra
from workbench.core.export.tokens import codepoints

EXTRA = "pip install workbench[spacy]"
SPOOL = ".spacy-parts"  # where each split's parts wait until its .spacy file is written (then removed)
SPANS_KEY = "sc"  # doc.spans[SPANS_KEY]: spaCy's span categorizer reads this key by default


def require() -> None:
    """Import spaCy, or :class:`MissingExtra` saying how to install it."""
    try:
        import spacy  # noqa: F401
        from spacy.tokens import DocBin  # noqa: F401
    except ImportError:
        raise MissingExtra(f"the spaCy format needs spaCy, which is not installed; install it with: {EXTRA}") from None


def words_and_spaces(text: str, starts: np.ndarray, ends: np.ndarray) -> tuple[list[str], list[bool], np.ndarray]:
    """spaCy's words and spaces for ``text`` cut at these tokens, and the position of each
    token among the words: whitespace other than one space after a token becomes a token
    of its own, as ``spacy.util.get_words_and_spaces`` makes it (without its Python loop)."""
    n = len(starts)
    if n == 0:
        return ([text], [False], np.zeros(0, dtype=np.int64)) if text else ([], [], np.zeros(0, dtype=np.int64))
    cps = codepoints(text)
    gap_start = ends
    gap_end = np.empty(n, dtype=np.int64)
    gap_end[:-1] = starts[1:]
    gap_end[-1] = len(text)
    length = gap_end - gap_start
    space = length > 0
    space[space] = cps[gap_start[space]] == 32
    rest = length - space  # whitespace left after the one space: a token of its own
    lead = int(starts[0]) > 0
    extra = np.flatnonzero(rest > 0)
    index = np.arange(n, dtype=np.int64) + lead
    if len(extra):
        shift = np.zeros(n, dtype=np.int64)
        shift[extra[extra + 1 < n] + 1] = 1
        index += np.cumsum(shift)
    tokens = [text[a:b] for a, b in zip(starts.tolist(), ends.tolist())]
    flags = space.tolist()
    if not lead and not len(extra):
        return tokens, flags, index
    words: list[str] = [text[: int(starts[0])]] if lead else []
    spaces: list[bool] = [False] if lead else []
    position = 0
    for i in extra.tolist():
        words += tokens[position : i + 1]
        spaces += flags[position : i + 1]
        words.append(text[int(gap_end[i]) - int(rest[i]) : int(gap_end[i])])
        spaces.append(False)
        position = i + 1
    words += tokens[position:]
    spaces += flags[position:]
    return words, spaces, index


class SpacyWriter(Writer):
    needs_sentences = True

    def __init__(self, root, splits, context):
        super().__init__(root, splits, context)
        require()
        import spacy
        from spacy.tokens import DocBin

        self.vocab = spacy.blank("ar").vocab
        self.bins = {split: StreamingDocBin(root / SPOOL / split, DocBin(store_user_data=True)) for split in splits}

    def write(self, split: str, doc: SourceDocument, view: DocView) -> None:
        from spacy.tokens import Doc, Span

        words, spaces, index = words_and_spaces(doc.text, view.starts, view.ends)
        index = index.tolist()
        # typed as spaCy's Doc takes it (a list is invariant: list[bool] is refused)
        sent_starts: list[bool | int | None] = [False] * len(words)
        if words:
            sent_starts[0] = True
        for a, _ in view.sentences():
            sent_starts[index[a]] = True
        spacy_doc = Doc(self.vocab, words=words, spaces=spaces, sent_starts=sent_starts)
        entities = []
        for i in np.flatnonzero(view.status == ENTITY).tolist():
            first, stop = int(view.first[i]), int(view.stop[i])
            label = doc.spans[i][2]
            entities.append(Span(spacy_doc, index[first], index[stop - 1] + 1, label=label))
        _, dropped = view.tagged()
        missing = [Span(spacy_doc, index[a], index[b - 1] + 1) for a, b in view.sentences() if dropped[a]]
        spacy_doc.set_ents(entities, missing=missing, default="outside")
        # every span, nested and overlapping ones too, on the tokens it lies on (with
        # expand or drop, widened to whole tokens); none in a sentence left out by drop
        spacy_doc.spans[SPANS_KEY] = [
            Span(spacy_doc, index[int(view.first[i])], index[int(view.stop[i]) - 1] + 1, label=doc.spans[i][2])
            for i in np.flatnonzero(view.status != EMPTY).tolist()
            if not dropped[int(view.first[i])]
        ]
        spacy_doc.user_data["doc_id"] = doc.id
        spacy_doc.user_data["layer"] = doc.layer
        self.bins[split].add(spacy_doc)

    def close(self) -> dict[str, str]:
        out = {}
        for split, docbin in self.bins.items():
            path = self.root / f"{split}.spacy"
            docbin.to_disk(path)
            out[path.name] = sha256_file(path)
        shutil.rmtree(self.root / SPOOL, ignore_errors=True)
        return out

    def abort(self) -> None:
        for docbin in self.bins.values():
            docbin.release()


class StreamingDocBin:
    """A ``DocBin`` written as it fills: each ``Doc`` is added to a real ``DocBin``
    (``DocBin.add``: the same arrays, strings and user data), whose per-document parts are
    then moved at once to files in ``folder``; ``to_disk`` writes the same ``.spacy`` file
    ``DocBin.to_disk`` would (zlib-compressed msgpack of the same map, in the same order),
    streaming those files through the compressor. Memory holds one document's parts, the
    strings seen (one copy each) and a length per document, never every document."""

    PARTS = ("cats", "flags", "span_groups", "user_data")  # lists of one packed item per document

    def __init__(self, folder, docbin):
        self.folder = folder
        self.docbin = docbin
        self.lengths: list[int] = []
        self.held = 0  # documents held in the DocBin at once (at most 1): for the tests
        self.handles: dict[str, Any] = {}
        self.packer: Any = None

    def _handle(self, name: str):
        handle = self.handles.get(name)
        if handle is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle = self.handles[name] = open(self.folder / name, "w+b")  # noqa: SIM115 - closed in to_disk
        return handle

    def add(self, doc) -> None:
        if self.packer is None:  # one packer (srsly's packb makes one per call: slow)
            import srsly  # type: ignore[import-untyped]

            self.packer = srsly.msgpack.Packer(use_bin_type=True)
        bin_ = self.docbin
        bin_.add(doc)
        self.held = max(self.held, len(bin_.tokens))
        for tokens, spaces in zip(bin_.tokens, bin_.spaces):
            self._handle("tokens").write(np.ascontiguousarray(tokens).tobytes("C"))
            self._handle("spaces").write(np.ascontiguousarray(spaces).tobytes("C"))
            self.lengths.append(len(tokens))
        bin_.tokens.clear()
        bin_.spaces.clear()
        for name in self.PARTS:
            items = getattr(bin_, name)
            for item in items:
                self._handle(name).write(self.packer.pack(item))
            items.clear()

    def to_disk(self, path) -> None:
        import srsly

        bin_ = self.docbin
        compressor = zlib.compressobj()
        names = ["version", "attrs", "tokens", "spaces", "lengths", "strings", *self.PARTS]
        if not bin_.store_user_data:  # pragma: no cover - the writer always stores user data
            names.remove("user_data")
        with open(path, "wb") as out:

            def put(data: bytes) -> None:
                out.write(compressor.compress(data))

            def copy(name: str) -> None:
                handle = self.handles.get(name)
                if handle is None:
                    return
                handle.flush()
                handle.seek(0)
                while block := handle.read(1 << 20):
                    put(block)

            put(_map_header(len(names)))
            for name in names:
                put(srsly.msgpack_dumps(name))
                if name in ("tokens", "spaces"):
                    size = self.handles[name].tell() if name in self.handles else 0
                    put(_bin_header(size))
                    copy(name)
                elif name in self.PARTS:
                    put(_array_header(len(self.lengths)))
                    copy(name)
                elif name == "lengths":
                    put(srsly.msgpack_dumps(np.asarray(self.lengths, dtype="int32").tobytes("C")))
                elif name == "strings":
                    put(srsly.msgpack_dumps(sorted(bin_.strings)))
                else:
                    put(srsly.msgpack_dumps(getattr(bin_, name)))
            out.write(compressor.flush())
        self.release()

    def release(self) -> None:
        for handle in self.handles.values():
            handle.close()
        self.handles = {}


def _map_header(n: int) -> bytes:
    """msgpack's header of a map of ``n`` (< 16) entries."""
    return bytes([0x80 | n])


def _array_header(n: int) -> bytes:
    """msgpack's header of an array of ``n`` items (its shortest form, as msgpack writes it)."""
    if n < 16:
        return bytes([0x90 | n])
    if n < 1 << 16:
        return b"\xdc" + struct.pack(">H", n)
    return b"\xdd" + struct.pack(">I", n)


def _bin_header(n: int) -> bytes:
    """msgpack's header of ``n`` bytes of binary data (its shortest form)."""
    if n < 1 << 8:
        return b"\xc4" + struct.pack(">B", n)
    if n < 1 << 16:
        return b"\xc5" + struct.pack(">H", n)
    return b"\xc6" + struct.pack(">I", n)
