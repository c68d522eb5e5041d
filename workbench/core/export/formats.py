"""The export formats and boundary policies: one registry that the command line's choices and
help, the export dialog, the export run and the data card are all built from.

A new format is one :class:`FormatInfo` entry in :data:`FORMATS` plus its writer module (a
:class:`~.base.Writer` subclass; if it needs an optional package, a ``require()`` function
raising :class:`~.options.MissingExtra` and the extra's name here). Writers are imported only
when a format is used, so reading the registry loads neither spaCy nor ``datasets``.

No Qt here. The dialog's texts are marked for Qt's ``lupdate`` with :func:`QT_TRANSLATE_NOOP`
(a no-op of the same name) in the context ``ExportDialog`` (:data:`DIALOG`), which translates them.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.core.export.base import Writer

DIALOG = "ExportDialog"  # the translation context of the dialog texts


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks ``text`` for Qt's translation tools (which look for this name); returns it unchanged."""
    return text


@dataclass(frozen=True)
class FormatInfo:
    """One export format.

    ``summary``: the few words after the name in the command line's help ("character spans");
    ``title``: its name in the export dialog; ``writer``: ``"module:Class"`` of its writer;
    ``extra``: the optional dependency group it needs (``pip install workbench[EXTRA]``), if any;
    ``tokens``: whether it is made of tokens and BIO tags (only the outermost spans survive);
    ``token_view``: for the others, what the data card's token counts describe;
    ``card``: the data card's "Format" section (Markdown): what the files hold, how to load them.
    """

    name: str
    summary: str
    title: str
    writer: str
    card: str
    extra: str | None = None
    tokens: bool = False
    token_view: str = "(the token formats of the same data)."

    def load(self) -> type[Writer]:
        """The writer class; :class:`~.options.MissingExtra` (naming the extra to install) when
        the optional package the format needs is missing."""
        module_name, _, class_name = self.writer.partition(":")
        module = import_module(module_name)
        require = getattr(module, "require", None)
        if require is not None:
            require()
        writer: type[Writer] = getattr(module, class_name)
        return writer


@dataclass(frozen=True)
class BoundaryInfo:
    """What to do with a span edge inside a token (a proclitic: ``ببنغازي``).

    ``summary``: the command line's help words ("cut the token"); ``title``: the dialog's
    wording; ``card``: the data card's explanation.
    """

    name: str
    summary: str
    title: str
    card: str


_JSONL_CARD = """\
One document per line: `id`, `text`, `spans` (`start`, `end` in code points of `text`,
end exclusive, `label`, `text`, `attributes`), `meta` (title, source, published date,
file name, SHA-256 of the text, `layer`) and `tokens`: the `[start, end]` of every token
this export used. Every span of the source is here, nested ones included.

With `--boundary split`, the tokens are cut at every span edge that falls inside a word
(`ببنغازي` -> `ب` + `بنغازي`), so each span is a whole number of tokens. Build the spaCy
`Doc` from these tokens (spaCy's own Arabic tokenizer keeps proclitics attached, and
`char_span` would then return `None` for such spans):

```python
import json
import spacy
from spacy.tokens import Doc
from spacy.util import get_words_and_spaces

nlp = spacy.blank("ar")
with open("train.jsonl", encoding="utf-8") as lines:
    for line in lines:
        row = json.loads(line)
        text = row["text"]
        words, spaces = get_words_and_spaces([text[s:e] for s, e in row["tokens"]], text)
        doc = Doc(nlp.vocab, words=words, spaces=spaces)
        spans = [doc.char_span(s["start"], s["end"], label=s["label"], alignment_mode="strict")
                 for s in row["spans"]]
```

With `expand` or `drop` the tokens are the tokenizer's, uncut: a span whose edge is
inside a token does not line up (`alignment_mode="expand"` widens it to whole tokens).
"""

_CONLL_CARD = """\
CoNLL-2003 style: one `token TAG` per line (IOB2 tags: every entity starts with `B-`),
a blank line after each sentence, `-DOCSTART- O` and a blank line before each document.
The documents of each split are listed, in file order, in `manifest.json`
(`splits.NAME.document_ids`).

```python
from seqeval.metrics.sequence_labeling import get_entities
```
reads the tags back (strict IOB2: `seqeval.scheme.IOB2`).
"""

_SPACY_CARD = """\
One `DocBin` per split, one `Doc` per document, built on this export's tokens (the text
is the document's, character offsets are the same). `doc.ents` are the entities (the
outermost spans); sentence starts are set; `doc.user_data` holds `doc_id` and `layer`.
With `--boundary drop`, the tokens of a dropped sentence have a *missing* entity
annotation (ignored by spaCy's NER training) rather than being cut out.

```python
import spacy
from spacy.tokens import DocBin

nlp = spacy.blank("ar")
docs = list(DocBin().from_disk("train.spacy").get_docs(nlp.vocab))
```
"""

_HF_CARD = """\
A `datasets.DatasetDict` saved with `save_to_disk`: one row per sentence, with `id`,
`doc_id`, `sentence`, `offset` (in the document), `text` (the sentence), `tokens`,
`ner_tags` (a `ClassLabel` sequence of the BIO tags below), `token_starts`/`token_ends`
(code points of `text`) and `spans` (the row's entities as character spans of `text`, with
their token range and their attributes as JSON). Sentences left out by `drop` have no row.

```python
from datasets import load_from_disk

data = load_from_disk("THIS_FOLDER")
names = data["train"].features["ner_tags"].feature.names
```
"""

_BRAT_CARD = """\
brat standoff: `SPLIT/ID.txt` and `SPLIT/ID.ann` per document, with `annotation.conf` and
`visual.conf` at the top (open the folder in brat, or import the files into INCEpTION).
Every span is written (nested ones too; the configuration allows overlaps) as
`T1<TAB>LABEL start end<TAB>text`; a span over a line break is written as fragments.
Attributes: a `flag` is a binary brat attribute (written only when true), a `choice` a
multi-valued one (`A1<TAB>kind T1 killed`); values brat attributes cannot hold (counts,
dates, canonical names: `count`, `value`, `canonical`, ...) are in one note per span,
`#1<TAB>AnnotatorNotes T1<TAB>{"count": 30}`, a JSON object.
"""

_FORMATS = (
    FormatInfo(
        "jsonl",
        "character spans",
        QT_TRANSLATE_NOOP("ExportDialog", "JSON Lines (character spans)"),
        "workbench.core.export.jsonl:JsonlWriter",
        _JSONL_CARD,
        token_view="(the `tokens` of each line).",
    ),
    FormatInfo(
        "conll",
        "BIO",
        QT_TRANSLATE_NOOP("ExportDialog", "CoNLL BIO"),
        "workbench.core.export.conll:ConllWriter",
        _CONLL_CARD,
        tokens=True,
    ),
    FormatInfo(
        "spacy",
        "DocBin",
        QT_TRANSLATE_NOOP("ExportDialog", "spaCy DocBin"),
        "workbench.core.export.spacy_docbin:SpacyWriter",
        _SPACY_CARD,
        extra="spacy",
        tokens=True,
    ),
    FormatInfo(
        "hf",
        "datasets DatasetDict",
        QT_TRANSLATE_NOOP("ExportDialog", "Hugging Face datasets"),
        "workbench.core.export.hf:HfWriter",
        _HF_CARD,
        extra="hf",
        tokens=True,
    ),
    FormatInfo(
        "brat",
        "standoff",
        QT_TRANSLATE_NOOP("ExportDialog", "brat standoff"),
        "workbench.core.export.brat:BratWriter",
        _BRAT_CARD,
    ),
)

_BOUNDARIES = (
    BoundaryInfo(
        "split",
        "cut the token",
        QT_TRANSLATE_NOOP("ExportDialog", "cut the token at the span edge"),
        "a token is cut at a span edge that falls inside it (`ببنغازي` -> `ب` O, `بنغازي` B-LOCATION)",
    ),
    BoundaryInfo(
        "expand",
        "label it whole",
        QT_TRANSLATE_NOOP("ExportDialog", "label the whole token"),
        "the entity takes the whole tokens it touches (`ببنغازي` B-LOCATION, as ANERcorp does)",
    ),
    BoundaryInfo(
        "drop",
        "drop the sentence",
        QT_TRANSLATE_NOOP("ExportDialog", "leave the sentence out"),
        "the sentence holding such a span is left out of the token formats",
    ),
)

# Read-only and ordered: the first entry is the default where one is needed (split).
FORMATS: MappingProxyType[str, FormatInfo] = MappingProxyType({f.name: f for f in _FORMATS})
BOUNDARIES: MappingProxyType[str, BoundaryInfo] = MappingProxyType({b.name: b for b in _BOUNDARIES})
DEFAULT_BOUNDARY = next(iter(BOUNDARIES))


def formats_help() -> str:
    """The command line's help for ``--format``: each name with its summary."""
    return ", ".join(f"{f.name} ({f.summary})" for f in FORMATS.values()) + "."


def boundaries_help() -> str:
    """The command line's help for ``--boundary``: what each policy does, in order."""
    words = [b.summary for b in BOUNDARIES.values()]
    listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + ", or " + words[-1]
    return f"A span edge inside a token (a proclitic: ببنغازي): {listed}."


__all__ = [
    "BOUNDARIES",
    "DEFAULT_BOUNDARY",
    "FORMATS",
    "BoundaryInfo",
    "FormatInfo",
    "boundaries_help",
    "formats_help",
]
