"""CoNLL-2003 style BIO: ``token TAG`` per line, a blank line after each sentence, and a
``-DOCSTART- O`` line (then a blank line) before each document.

Tags are IOB2 (every entity starts with ``B-``), so ``seqeval`` in strict IOB2 mode reads
the entities back exactly. Tokens never hold whitespace (see :mod:`.tokens`). Sentences
left out by ``--boundary drop`` are not written.
"""

from __future__ import annotations

from workbench.core.export.alignment import DocView
from workbench.core.export.base import Writer
from workbench.core.export.files import HashedFile
from workbench.core.export.layers import SourceDocument

DOCSTART = "-DOCSTART- O\n\n"


class ConllWriter(Writer):
    needs_sentences = True

    def __init__(self, root, splits, context):
        super().__init__(root, splits, context)
        self.files = {split: HashedFile(root / f"{split}.conll") for split in splits}

    def write(self, split: str, doc: SourceDocument, view: DocView) -> None:
        text = doc.text
        tags = self.context.tags
        codes, dropped = view.tagged()
        lines = [
            f"{text[s:e]} {tags[t]}\n" for s, e, t in zip(view.starts.tolist(), view.ends.tolist(), codes.tolist())
        ]
        parts = [DOCSTART]
        for a, b in view.sentences():
            if dropped[a]:
                continue
            parts.append("".join(lines[a:b]))
            parts.append("\n")
        self.files[split].write("".join(parts))

    def close(self) -> dict[str, str]:
        return {f"{split}.conll": handle.close() for split, handle in self.files.items()}

    def abort(self) -> None:
        for handle in self.files.values():
            handle.abort()
