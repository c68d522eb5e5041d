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
    predictions: bool = False  # carries each document's suggestions as pre-annotations (--predictions)
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
end exclusive, `label`, `text`, `attributes`, `note`: the annotator's note, `""` if none,
`unsure`: `true` if the span was flagged unsure), `meta` (title, source, published date,
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
reads the tags back (strict IOB2: `seqeval.scheme.IOB2`). CoNLL holds tokens, not the
text: imported back into the project it came from (`workbench-cli import FILE --format
conll --annotator NAME`), each document joins the stored one with the same tokens (a
document a `drop` export left a sentence out of is imported as a new one).
"""

_SPACY_CARD = """\
One `DocBin` per split, one `Doc` per document, built on this export's tokens (the text
is the document's, character offsets are the same). `doc.ents` are the entities (the
outermost spans); `doc.spans["sc"]` holds *every* span, nested and overlapping ones
included (`"sc"` is the key spaCy's `spancat` reads by default), each on the tokens it
lies on; sentence starts are set; `doc.user_data` holds `doc_id` (the project's document
id) and `layer` (`gold`, `annotator:NAME` or `majority`). With `--boundary drop`, the
tokens of a dropped sentence have a *missing* entity annotation (ignored by spaCy's NER
training) rather than being cut out, and its spans are not in `doc.spans["sc"]`; with
`expand` or `drop`, a span edge inside a token is widened to the whole token there.
Span notes and unsure flags are not in this format (JSONL, brat and hf carry them).

```python
import spacy
from spacy.tokens import DocBin

nlp = spacy.blank("ar")
docs = list(DocBin().from_disk("train.spacy").get_docs(nlp.vocab))
doc = docs[0]
doc.user_data["doc_id"], doc.user_data["layer"], list(doc.ents), list(doc.spans["sc"])
```
"""

_HF_CARD = """\
A `datasets.DatasetDict` saved with `save_to_disk`, with the splits `train`,
`validation` and `test` (the names `datasets` use: this project's `dev` split is
`validation` here; `80/20` gives `train`/`test`, `100` `train` only). One row per
sentence, with `id`, `doc_id`, `sentence`, `offset` (in the document), `text` (the
sentence), `tokens`, `ner_tags` (a `ClassLabel` sequence of the BIO tags below: the
outermost spans), `token_starts`/`token_ends` (code points of `text`) and `spans`: *every*
span of the row, nested and overlapping ones included, as character spans of `text`
(`start`, `end`, `label`), with `token_start`/`token_end` (the tokens it lies on),
`attributes` (JSON), `note` (the annotator's note, `""` if none), `unsure` (flagged
unsure) and `tagged` (whether it is one of the entities of `ner_tags`). A span that
crosses a sentence end (only one partly overlapping another can) is in no row. Sentences
left out by `drop` have no row.

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
`#1<TAB>AnnotatorNotes T1<TAB>{"count": 30}`, a JSON object. The annotator's note on a
span is an AnnotatorNotes line of its own, as written (`#2<TAB>AnnotatorNotes T1<TAB>the
note`; a note of several lines is one line each), and a span flagged unsure has the
binary attribute `Unsure` (`A2<TAB>Unsure T1`). The Workbench's brat import reads all of
them back.
"""

_LABEL_STUDIO_CARD = """\
Label Studio's JSON: `SPLIT.json` per split, a JSON array of tasks, one per document:
`data.text`, `data.doc_id`, `meta` (title, source, published date, file name, `layer`) and
one annotation, the exported layer's (`ground_truth: true` for gold; no `completed_by`, so
Label Studio gives it to the user who imports). A span is a region of type `labels`
(`value`: `start`, `end` in code points, `text`, `labels`); its attributes, note and unsure
flag are per-region results with the region's `id` (`choices`, `number` or `textarea`, named
after the attribute; `note`, `unsure`). Every span is written, nested ones too. With
`--predictions`, each task also has `predictions`: one, `model_version` "workbench-suggestions",
whose results are the document's suggestions (what the exported layer has not tagged or
rejected) with their values and each its `score` (the engine's confidence): Label Studio
shows them as pre-annotations to accept or correct.

Create the project with `label_config.xml` (Settings, Labeling Interface, Code), then import
`train.json`; `workbench-cli import train.json --format label-studio --annotator NAME` reads
the file (or Label Studio's own export of it) back.
"""

_PRODIGY_CARD = """\
Prodigy's JSON Lines: `SPLIT.jsonl`, one accepted `ner_manual` task per document: `text`,
`tokens` (`text`, `start`, `end`, `id`, `ws`), `spans` (`start`, `end` in code points,
`token_start`, `token_end` inclusive, `label`, `text`, and `attributes`, `note` and
`unsure` when the span has them), `meta` (`doc_id`, `layer`, title, source, ...), `_input_hash`, `_task_hash`,
`answer: "accept"`. The tokens are this export's, cut at every span edge whatever
`--boundary` says (Prodigy needs each span to be whole tokens); other whitespace than one
space is a token of its own, as in spaCy.

`prodigy db-in DATASET train.jsonl` adds the tasks to a dataset; `prodigy review` or
`prodigy ner.manual DATASET blank:ar train.jsonl --label ...` shows them again. In spaCy:
`Doc(nlp.vocab, words=[t["text"] for t in tokens], spaces=[t["ws"] for t in tokens])`
rebuilds the text, and `doc[token_start : token_end + 1]` is each span.
"""

_WEBANNO_TSV_CARD = """\
WebAnno TSV 3.3, as INCEpTION writes it: `SPLIT/ID.tsv`, one file per document, with one
layer, INCEpTION's Named entity layer
(`#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|value`): each span's label
is its `value`. Sentences (`#Text=` lines) and tokens are this export's (with `--boundary
split` cut at span edges inside words; with `expand` or `drop` a span edge inside a token
is a sub-token line, `1-3.1`); no sentence ends inside a span. Every span is written,
nested and overlapping ones too (stacked, with `[n]` numbers tying the tokens of one span).
Offsets count UTF-16 units, as Java does (a character outside the Basic Multilingual Plane,
such as an emoji, counts two). Not carried: attributes, notes and unsure flags (INCEpTION
refuses TSV columns its layer does not declare: use `xmi`, `jsonl` or `brat` for them), and
whitespace before a document's first word other than spaces.

In INCEpTION: create a project, import the files with the format *WebAnno TSV 3.3*; the
spans appear on the Named entity layer. `workbench-cli import SPLIT --format webanno-tsv
--annotator NAME` reads them back.
"""

_XMI_CARD = """\
UIMA CAS XMI, as INCEpTION and DKPro Core write it: `SPLIT/ID.xmi`, one CAS per document,
and `SPLIT/TypeSystem.xml` beside them (the same in every split). Each CAS holds the text (offsets in UTF-16 units, as UIMA
counts; `dkpro-cassis` turns them into code points), `DocumentMetaData` (`documentId`: the
document's id, `documentTitle`), this export's `Sentence` and `Token` annotations, and one
`de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity` per span, every span (nested ones
too), with the label as `value`. Attributes are features of `NamedEntity` declared in
`TypeSystem.xml`, named after the attribute (`flag`: Boolean, the others: String); an
attribute whose name is not a valid UIMA feature name is in the String feature
`workbenchAttributes`, a JSON object. Not carried: notes and unsure flags; characters XML 1.0
cannot hold (control characters other than tab and line ends) are written as spaces, as
INCEpTION does.

```python
from cassis import load_typesystem, load_cas_from_xmi

with open("train/TypeSystem.xml", "rb") as f:
    typesystem = load_typesystem(f)
with open("train/ID.xmi", "rb") as f:
    cas = load_cas_from_xmi(f, typesystem=typesystem)
spans = [(e.begin, e.end, e.value) for e in cas.select("de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity")]
```

In INCEpTION, import the `.xmi` files with the format *UIMA CAS XMI (XML 1.0)* (features its
project does not define are left out). `workbench-cli import SPLIT --format xmi --annotator
NAME` reads the folder back.
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
    FormatInfo(
        "label-studio",
        "Label Studio JSON",
        QT_TRANSLATE_NOOP("ExportDialog", "Label Studio (JSON tasks)"),
        "workbench.core.export.label_studio:LabelStudioWriter",
        _LABEL_STUDIO_CARD,
        predictions=True,
    ),
    FormatInfo(
        "prodigy",
        "Prodigy JSONL",
        QT_TRANSLATE_NOOP("ExportDialog", "Prodigy (JSON Lines)"),
        "workbench.core.export.prodigy:ProdigyWriter",
        _PRODIGY_CARD,
        token_view="(the `tokens` of each line, before they are cut at span edges).",
    ),
    FormatInfo(
        "webanno-tsv",
        "INCEpTION TSV",
        QT_TRANSLATE_NOOP("ExportDialog", "WebAnno TSV 3.3 (INCEpTION)"),
        "workbench.core.export.webanno_tsv:WebannoTsvWriter",
        _WEBANNO_TSV_CARD,
        token_view="(the tokens of the TSV files, before they are cut at span edges).",
    ),
    FormatInfo(
        "xmi",
        "UIMA CAS XMI",
        QT_TRANSLATE_NOOP("ExportDialog", "UIMA CAS XMI (INCEpTION, DKPro)"),
        "workbench.core.export.xmi:XmiWriter",
        _XMI_CARD,
        extra="xmi",
        token_view="(the `Token` annotations of the CAS, before they are cut at span edges).",
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
