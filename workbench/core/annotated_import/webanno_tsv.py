"""WebAnno TSV 3.x, as INCEpTION (and WebAnno 3) write it: one document per file.

Read as INCEpTION's own reader (``Tsv3XDeserializer``) reads it:

- the first line is ``#FORMAT=WebAnno TSV 3.3`` (3.0 to 3.3 are read), then one line per
  layer (``#T_SP=`` span, ``#T_RL=`` relation, ``#T_CH=`` chain layers, each followed by
  its features, one column each), then blank lines;
- each sentence is one or more ``#Text=`` lines (its text, split at line breaks, escaped:
  ``\\t``, ``\\n``, ``\\\\``, ...), optionally a ``#Sentence.id=`` line, then one line per
  token ``1-3<TAB>9-14<TAB>plays<TAB>...`` and per sub-token ``1-3.1<TAB>9-13<TAB>play...``.
  The document's text is rebuilt from the ``#Text=`` lines: each sentence starts at its first
  token's offset, a line break after each sentence, spaces filling a gap (INCEpTION appends
  one line break after the last sentence: it is dropped here);
- offsets count UTF-16 units, as Java does (a character outside the Basic Multilingual
  Plane, such as an emoji, counts two), and are turned into code points here; an offset
  between the two halves of such a character refuses the file;
- a feature value is ``_`` (no annotation), ``*`` (no value), or a value escaped with
  ``\\`` (``\\_ \\* \\| \\[ \\] \\; \\-> \\t \\n \\\\``); annotations stacked on one unit are
  separated by ``|``; ``[n]`` after a value ties the units of one annotation together
  (multi-token annotations, stacked ones): one annotation from the first unit's start to
  the last unit's end.

The named entity layer (``de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity``) becomes
spans: ``value`` is the label, the other features with a value (``identifier``, custom
ones) become attributes of the span (checked against the schema like any import's).
A named entity without a value, and the annotations of every other layer (POS, lemma,
chunks, custom layers, relations, chains), are counted as ignored. A file with no named
entity layer but other layers is refused, naming them.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from workbench.core.annotated_import.files import Unit, read_text
from workbench.core.annotated_import.records import AnnotatedFile, DocumentRecord, SpanRecord
from workbench.core.errors import RefusedInput
from workbench.core.sources import ReadOptions
from workbench.core.store.documents import NewDocument
from workbench.core.text.normalise import prepare
from workbench.core.text.utf16 import Utf16Map

NAMED_ENTITY = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
LABEL_FEATURE = "value"
_FORMAT = re.compile(r"^#FORMAT=(?P<name>.*) (?P<major>\d+)\.(?P<minor>\d+)$")
_STACK = re.compile(r"(?<!\\)\|")
_UNIT_ID = re.compile(r"^\d+-\d+(\.\d+)?$")
_OFFSETS = re.compile(r"^(\d+)-(\d+)$")
# INCEpTION's escapes (Escaping.java): of sentence text (3.2 and later), and of feature values.
_TEXT_ESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "f": "\f", "r": "\r", "b": "\b"}
_TEXT_ESCAPE = re.compile(r"\\([\\tnfrb\x00-\x07\x0e-\x1f])")
_VALUE_ESCAPE = re.compile(r"\\(\\|\[|\]|\||_|->|;|t|n|\*)")
_VALUE_ESCAPES = {"t": "\t", "n": "\n"}
# Java's unescapeJava, for the text of TSV 3.0 and 3.1.
_JAVA_ESCAPE = re.compile(r"\\(u+[0-9a-fA-F]{4}|[0-7]{1,3}|.)", re.DOTALL)
_JAVA_ESCAPES = {"t": "\t", "n": "\n", "f": "\f", "r": "\r", "b": "\b"}
COMMAND = "workbench-cli import FILE --format {fmt} --annotator NAME"


def unescape_text(text: str, minor: int = 3) -> str:
    """A ``#Text=`` line's text as INCEpTION reads it."""
    if "\\" not in text:
        return text
    if minor <= 1:
        return _JAVA_ESCAPE.sub(_java_escape, text)
    return _TEXT_ESCAPE.sub(lambda m: _TEXT_ESCAPES.get(m.group(1), m.group(1)), text)


def _java_escape(match: re.Match[str]) -> str:
    code = match.group(1)
    if code.startswith("u"):
        return chr(int(code.lstrip("u"), 16))
    if code[0] in "01234567":
        return chr(int(code, 8))
    return _JAVA_ESCAPES.get(code, code)


def unescape_value(value: str) -> str:
    """A feature value as INCEpTION reads it (``\\_`` is ``_``, ``\\|`` is ``|``, ...)."""
    if "\\" not in value:
        return value
    return _VALUE_ESCAPE.sub(lambda m: _VALUE_ESCAPES.get(m.group(1), m.group(1)), value)


@dataclass
class _Column:
    layer: str  # the UIMA type
    kind: str  # SP, RL, CH
    feature: str  # "" for a layer without features (a placeholder column)
    first: bool  # the layer's first column (annotations are counted on it)


@dataclass
class _Unit:
    begin: int  # UTF-16
    end: int
    text: str
    line: int


@dataclass
class _Annotation:
    begin: int  # UTF-16
    end: int
    line: int
    features: dict[str, str | None] = field(default_factory=dict)


def read(unit: Unit, options: ReadOptions = ReadOptions()) -> AnnotatedFile:
    """The file's document and its named entities (``options`` are the plain import's; unused)."""
    content, encoding, _ = read_text(unit.path)
    lines = content.lstrip("\ufeff").split("\n")
    if not lines[0].startswith("#FORMAT="):
        _other_format(content)
    minor = _format(lines[0].rstrip("\r"))
    columns, number = _header(lines)
    result = AnnotatedFile(unit.path)
    layers = {c.layer for c in columns}
    if NAMED_ENTITY not in layers and layers:
        names = ", ".join(sorted(layers))
        raise RefusedInput(
            f"the file has no named entity layer ({NAMED_ENTITY}), only {names}: Workbench reads "
            "INCEpTION's Named entity layer; export the documents from a project that annotates with it"
        )
    parser = _Body(columns, minor, result)
    parser.parse(lines, number)
    raw, spans = parser.finish()
    text, problem = prepare(raw)
    if problem:
        raise RefusedInput(problem)
    stem = os.path.splitext(os.path.basename(unit.path))[0]
    document = NewDocument(text=text, file_name=unit.name, encoding=encoding, id_hint=stem)
    result.documents.append(DocumentRecord(unit.path, document, [raw], spans))
    return result


_CONLL_LINE = re.compile(r"^\S+[ \t]+(?:\S+[ \t]+)*(?:[BIESLU]-\S+|O)$")


def _other_format(content: str) -> None:
    """Refuse a file of another format that import reads, naming it and the command for it."""
    other = looks_like_inception(content[:4096].encode("utf-8"))
    if other is not None and "--format xmi" in other:
        raise RefusedInput(other)
    lines = [line.strip() for line in content.lstrip("\ufeff").split("\n")[:20] if line.strip()]
    if lines and all(_CONLL_LINE.match(line) or line.startswith("-DOCSTART-") for line in lines):
        raise RefusedInput(
            "not WebAnno TSV: this looks like CoNLL BIO (a token and a tag a line); import it with: "
            + COMMAND.format(fmt="conll")
        )


def _format(first: str) -> int:
    match = _FORMAT.match(first)
    if match is None or match.group("name") != "WebAnno TSV":
        if first.startswith("#FORMAT=WebAnno TSV"):
            raise RefusedInput(
                f"this is {first[len('#FORMAT=') :]!s}, an older WebAnno format; open it in INCEpTION "
                "and export it as WebAnno TSV 3.3 (or UIMA CAS XMI)"
            )
        raise RefusedInput(
            "not WebAnno TSV: the first line must be '#FORMAT=WebAnno TSV 3.3' (INCEpTION's "
            f"export), and this file starts with {first[:40]!r}"
        )
    if match.group("major") != "3":
        raise RefusedInput(f"this is WebAnno TSV {match.group('major')}.{match.group('minor')}; Workbench reads 3.x")
    return int(match.group("minor"))


def _header(lines: list[str]) -> tuple[list[_Column], int]:
    """The columns the layer lines declare, and the index of the first line after them."""
    columns: list[_Column] = []
    index = 1
    while index < len(lines):
        line = lines[index].rstrip("\r")
        if not line.startswith(("#T_SP=", "#T_RL=", "#T_CH=")):
            break
        kind = line[3:5]
        fields = [f for f in line[6:].split("|") if f]  # as StringUtils.split: empty fields dropped
        if not fields:
            raise RefusedInput(f"line {index + 1}: a layer line must name its type, '#T_SP=TYPE|feature'")
        layer = fields[0]
        features = fields[1:] or [""]
        for position, feature in enumerate(features):
            columns.append(_Column(layer, kind, feature, position == 0))
        index += 1
    return columns, index


class _Body:
    """The sentences, tokens and annotations after the header, read line by line."""

    def __init__(self, columns: list[_Column], minor: int, result: AnnotatedFile):
        self.columns = columns
        self.minor = minor
        self.result = result
        self.parts: list[str] = []  # the text so far
        self.length = 0  # its length in UTF-16 units
        self.sentence: list[str] = []  # the #Text lines of the sentence being read
        self.units: list[_Unit] = []
        self.entities: list[_Annotation] = []
        self.by_id: dict[tuple[str, int], _Annotation] = {}
        self.others: dict[str, set] = {}  # layer -> its annotations (for the count)
        self.sentences = 0
        self.unit_annotations: dict[tuple[int, int, str], _Annotation] = {}  # of the current unit

    def parse(self, lines: list[str], start: int) -> None:
        state = "between"
        for index in range(start, len(lines)):
            number = index + 1
            line = lines[index]
            if line.endswith("\r"):
                line = line[:-1]
            if not line:
                if state == "header":
                    raise RefusedInput(f"line {number}: the sentence above has no token lines")
                state = "between"
                continue
            if line.startswith("#") and state in ("between", "header"):
                if state == "between":
                    self.sentence = []
                state = "header"
                if line.startswith("#Text="):
                    self.sentence.append(unescape_text(line[6:], self.minor))
                continue
            if state == "between":
                raise RefusedInput(f"line {number}: expected a sentence's '#Text=' line before its tokens")
            self._unit(line, number, state == "header")
            state = "tokens"
        if state == "header":
            raise RefusedInput("the last sentence has no token lines")

    def _unit(self, line: str, number: int, first_of_sentence: bool) -> None:
        fields = line.split("\t")
        if len(fields) < len(self.columns) + 3:
            raise RefusedInput(
                f"line {number}: expected {len(self.columns) + 3} tab-separated fields (id, offsets, "
                f"token and one per column of the header), found {len(fields)}"
            )
        ident, offsets = fields[0], _OFFSETS.match(fields[1])
        if not _UNIT_ID.match(ident) or offsets is None:
            raise RefusedInput(f"line {number}: {line[:40]!r} is not a token line ('1-2<TAB>4-8<TAB>token...')")
        begin, end = int(offsets.group(1)), int(offsets.group(2))
        if first_of_sentence:
            if "." in ident:
                raise RefusedInput(f"line {number}: a sentence starts with a sub-token ({ident})")
            self._start_sentence(begin, number)
        if end < begin or end > self.length:
            raise RefusedInput(f"line {number}: the offsets {begin}-{end} are not inside the sentence's text")
        unit = _Unit(begin, end, fields[2], number)
        self.units.append(unit)
        self.unit_annotations = {}
        for position, column in enumerate(self.columns):
            raw = fields[position + 3]
            if raw in ("_", ""):
                continue
            for stack, value in enumerate(_STACK.split(raw)):
                self._value(column, unit, stack, value, number)

    def _start_sentence(self, begin: int, number: int) -> None:
        if not self.sentence:
            raise RefusedInput(f"line {number}: the sentence has no '#Text=' line")
        if self.length > begin:
            # No space between this sentence and the last: its line break goes.
            if self.length != begin + 1 or not self.parts or not self.parts[-1].endswith("\n"):
                raise RefusedInput(
                    f"line {number}: the sentence starts at {begin}, inside the text of the sentence before"
                )
            self.parts[-1] = self.parts[-1][:-1]
            self.length -= 1
        if self.length < begin:
            self.parts.append(" " * (begin - self.length))
            self.length = begin
        text = "\n".join(self.sentence) + "\n"
        self.parts.append(text)
        self.length += _utf16_length(text)
        self.sentence = []
        self.sentences += 1

    def _value(self, column: _Column, unit: _Unit, stack: int, value: str, number: int) -> None:
        ident: int | None = None
        if value.endswith("]") and not value.endswith("\\]") and "[" in value:
            cut = value.rindex("[")
            tag = value[cut + 1 : -1]
            value = value[:cut]
            if column.kind == "SP":
                if not tag.isdigit():
                    raise RefusedInput(f"line {number}: {tag!r} is not a disambiguation number ([1], [2], ...)")
                ident = int(tag)
        if column.layer != NAMED_ENTITY or column.kind != "SP":
            if column.first:
                found = (column.layer, ident) if ident is not None else (number, stack)
                self.others.setdefault(_kind(column), set()).add(found)
            return
        key = (unit.line, stack, column.layer)
        annotation = self.unit_annotations.get(key)
        if annotation is None and ident is not None:
            annotation = self.by_id.get((column.layer, ident))
            if annotation is not None:
                annotation.end = unit.end
        if annotation is None:
            annotation = _Annotation(unit.begin, unit.end, number)
            self.entities.append(annotation)
        self.unit_annotations[key] = annotation
        if ident is not None:
            self.by_id[(column.layer, ident)] = annotation
        if column.feature:
            annotation.features[column.feature] = None if value == "*" else unescape_value(value)

    def finish(self) -> tuple[str, list[SpanRecord]]:
        if not self.sentences:
            raise RefusedInput("the file holds no sentences (no '#Text=' lines followed by tokens)")
        raw = "".join(self.parts)
        if raw.endswith("\n"):
            raw = raw[:-1]  # the line break INCEpTION adds after the last sentence
        offsets = Utf16Map(raw)
        for unit in self.units:
            start, end = _codepoints(offsets, unit.begin, unit.end, unit.line)
            if raw[start:end] != unit.text and raw[start:end] != unescape_value(unit.text):
                raise RefusedInput(
                    f"line {unit.line}: the token {unit.text[:40]!r} is not the text at {unit.begin}-{unit.end} "
                    f"({raw[start:end][:40]!r}); offsets must count UTF-16 units of the #Text lines"
                )
        spans = []
        for annotation in self.entities:
            label = annotation.features.get(LABEL_FEATURE)
            if not label:
                self.result.ignore("named entities without a value")
                continue
            start, end = _codepoints(offsets, annotation.begin, annotation.end, annotation.line)
            attributes = {
                name: value
                for name, value in annotation.features.items()
                if name != LABEL_FEATURE and value is not None
            }
            spans.append(SpanRecord(start, end, label, f"line {annotation.line}", attributes=attributes))
        for kind, found in self.others.items():
            self.result.ignore(kind, len(found))
        return raw, spans


def _kind(column: _Column) -> str:
    if column.kind == "RL":
        return "relations"
    if column.kind == "CH":
        return "chain links"
    return f"{column.layer.rsplit('.', 1)[-1]} annotations"


def _utf16_length(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-16-le", "surrogatepass")) // 2


def _codepoints(offsets: Utf16Map, begin: int, end: int, line: int) -> tuple[int, int]:
    start, stop = offsets.to_codepoint(begin), offsets.to_codepoint(end)
    if offsets.to_utf16(start) != begin or offsets.to_utf16(stop) != end:
        raise RefusedInput(
            f"line {line}: the offsets {begin}-{end} fall between the two halves of a character outside "
            "the Basic Multilingual Plane (offsets count UTF-16 units: such a character counts two)"
        )
    return start, stop


def looks_like_inception(first_bytes: bytes) -> str | None:
    """The format of INCEpTION's exports that ``first_bytes`` (a file's start) is, with the
    command that reads it, or ``None``: for a refusal when such a file is given as plain
    text, CSV or CoNLL."""
    head = first_bytes[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"#FORMAT=WebAnno TSV"):
        return "this is WebAnno TSV (INCEpTION's export); import it with: " + COMMAND.format(fmt="webanno-tsv")
    lowered = head[:4096].lower()
    if b"xmi:xmi" in lowered or b"http:///uima/cas.ecore" in lowered:
        return "this is UIMA CAS XMI (INCEpTION's export); import it with: " + COMMAND.format(fmt="xmi")
    return None
