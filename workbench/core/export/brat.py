"""brat standoff: a ``.txt`` and ``.ann`` pair per document, ``annotation.conf`` and
``visual.conf`` at the top, the documents in one folder per split.

- Every span of the source is written (brat holds nested and overlapping spans; the
  configuration allows any overlap) as ``T1<TAB>LABEL start end<TAB>text``, in code points
  of the ``.txt`` file (brat counts characters as Python does). A span over a line break is
  written as fragments (``start end;start end``), as brat requires.
- Attributes become brat attributes where brat can hold them: a ``flag`` as a binary
  attribute (``A1<TAB>approximate T1``, written only when true: brat has no false), a
  ``choice`` as a multi-valued one (``A2<TAB>kind T1 killed``), provided the name and values
  have no spaces or ``, | :``. Values brat attributes cannot hold (counts, dates, free text,
  such as ``count``, ``value``, ``canonical``) go into one note per span,
  ``#1<TAB>AnnotatorNotes T1<TAB>{"count": 30}``: a JSON object, one line.
- A span's note is in AnnotatorNotes too, as written (``#2<TAB>AnnotatorNotes T1<TAB>the
  note``), one note line per line of a note of several lines; a span flagged unsure has the
  binary attribute ``Unsure`` (``A3<TAB>Unsure T1``). This project's brat import reads both
  back (a note line that is itself one JSON object would be read as attributes).
"""

from __future__ import annotations

import json
import re

from workbench.core.export.alignment import DocView
from workbench.core.export.base import Writer
from workbench.core.export.files import HashedFile, file_stem, hash_tree
from workbench.core.export.layers import SourceDocument, attributes_of
from workbench.core.export.run import marks_of
from workbench.core.store.labels import CHOICE, FLAG

UNSURE = "Unsure"  # the binary attribute of a span flagged unsure (an attribute of that name goes to the note)
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_VALUE = re.compile(r"^[^\s,|:]+$")


def brat_attributes(schema) -> dict[str, dict]:
    """Attribute name -> {"type": "flag"|"choice", "labels": [...], "values": [...]} for the
    attributes brat can hold; every other attribute goes into the note."""
    found: dict[str, list] = {}
    for label in schema:
        for attribute in label.attributes:
            found.setdefault(attribute.name, []).append((label.name, attribute))
    out = {}
    for name, uses in found.items():
        kinds = {a.type for _, a in uses}
        if name == UNSURE or not _NAME.match(name) or len(kinds) != 1 or kinds & {FLAG, CHOICE} != kinds:
            continue
        kind = kinds.pop()
        values: list[str] = []
        for _, attribute in uses:
            values += [c for c in attribute.choices if c not in values]
        if kind == CHOICE and not all(_VALUE.match(v) for v in values):
            continue
        out[name] = {"type": kind, "labels": [label for label, _ in uses], "values": values}
    return out


class BratWriter(Writer):
    def __init__(self, root, splits, context):
        super().__init__(root, splits, context)
        self.attributes = brat_attributes(context.schema)
        self.taken: dict[str, set[str]] = {split: set() for split in splits}
        for split in splits:
            (root / split).mkdir()

    def write(self, split: str, doc: SourceDocument, view: DocView) -> None:
        stem = file_stem(doc.id, doc.sha256, self.taken[split])
        folder = self.root / split
        with open(folder / f"{stem}.txt", "w", encoding="utf-8", newline="") as handle:
            handle.write(doc.text)
        lines = []
        a = n = 0
        text = doc.text
        for t, (span, (note, unsure)) in enumerate(zip(doc.spans, marks_of(doc)), 1):
            start, end, label, _ = span
            attributes = attributes_of(span)
            lines.append(f"T{t}\t{label} {_fragments(text, start, end)}\n")
            notes = {}
            for name, value in attributes.items():
                spec = self.attributes.get(name)
                if spec is not None and label in spec["labels"]:
                    if spec["type"] == FLAG:
                        if value is True:
                            a += 1
                            lines.append(f"A{a}\t{name} T{t}\n")
                        elif value is not False:
                            notes[name] = value
                        continue
                    if str(value) in spec["values"]:
                        a += 1
                        lines.append(f"A{a}\t{name} T{t} {value}\n")
                        continue
                notes[name] = value
            if unsure:
                a += 1
                lines.append(f"A{a}\t{UNSURE} T{t}\n")
            if notes:
                n += 1
                lines.append(f"#{n}\tAnnotatorNotes T{t}\t{json.dumps(notes, ensure_ascii=False)}\n")
            for line in note.splitlines():  # brat notes are one line each: one per line of the note
                if line.strip():
                    n += 1
                    lines.append(f"#{n}\tAnnotatorNotes T{t}\t{line.strip()}\n")
        with open(folder / f"{stem}.ann", "w", encoding="utf-8", newline="") as handle:
            handle.write("".join(lines))

    def close(self) -> dict[str, str]:
        self._write_conf()
        return hash_tree(self.root)

    def _write_conf(self) -> None:
        labels = self.context.labels
        conf = [
            "# brat configuration written by the Workbench export: the project's labels and attributes.",
            "# Attributes brat cannot hold (counts, dates, free text) are in each span's AnnotatorNotes, as JSON.",
            "[entities]",
            *labels,
            "",
            "[relations]",
            "# any two spans may overlap or nest",
            "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
            "",
            "[events]",
            "",
            "[attributes]",
        ]
        conf.append(f"{UNSURE}\tArg:<ENTITY>")
        for name, spec in self.attributes.items():
            line = f"{name}\tArg:{'|'.join(spec['labels'])}"
            if spec["type"] == CHOICE:
                line += f", Value:{'|'.join(spec['values'])}"
            conf.append(line)
        _write_text(self.root / "annotation.conf", "\n".join(conf) + "\n")
        visual = ["[labels]", "", "[drawing]"]
        for label in self.context.schema:
            visual.append(f"{label.name}\tbgColor:{label.color}")
        _write_text(self.root / "visual.conf", "\n".join(visual) + "\n")


def _fragments(text: str, start: int, end: int) -> str:
    """``start end<TAB>text``, or brat fragments ``s e;s e<TAB>t1 t2`` when the span holds
    line breaks (brat text-bound annotations cannot)."""
    covered = text[start:end]
    if "\n" not in covered:
        return f"{start} {end}\t{covered}"
    pieces = []
    position = start
    for line in covered.split("\n"):
        if line.strip():
            lead = len(line) - len(line.lstrip())
            trail = len(line.rstrip())
            pieces.append((position + lead, position + trail))
        position += len(line) + 1
    offsets = ";".join(f"{s} {e}" for s, e in pieces)
    return f"{offsets}\t{' '.join(text[s:e] for s, e in pieces)}"


def _write_text(path, text: str) -> None:
    handle = HashedFile(path)
    handle.write(text)
    handle.close()
