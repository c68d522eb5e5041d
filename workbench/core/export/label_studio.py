"""Label Studio: one JSON array of tasks per split, with the labeling config to import them into.

Each task: ``{"data": {"text", "doc_id"}, "meta": {title, source, published, file name,
layer, ...}, "annotations": [{"result": [...], "ground_truth", "was_cancelled": false}]}``,
one annotation per task: the exported layer's. ``ground_truth`` is true when the layer is
gold (Label Studio's mark for the reference annotation). ``completed_by`` is not written:
Label Studio would refuse an annotator it does not know, and gives the annotation to the
user who imports the file; the layer is in the task's ``meta.layer``.

A span is a region ``{"id", "from_name": "label", "to_name": "text", "type": "labels",
"value": {"start", "end", "text", "labels": [LABEL]}, "origin": "manual"}`` (offsets in code
points, as Label Studio counts them). Each attribute is a result of the region's ``id``
(how Label Studio ties per-region controls to a region), its ``from_name`` the attribute's
name: a ``flag`` a ``choices`` of ``true``/``false``, a ``choice`` a ``choices``, a ``count``
a ``number`` (a range such as ``10-15`` a ``textarea``), dates and texts a ``textarea``. A
span's note is a ``textarea`` named ``note``, its unsure flag a ``choices`` named ``unsure``.

``label_config.xml`` at the top is the labeling config with these names (labels, and a
per-region control for each attribute): create the Label Studio project with it, then
import the split files.
"""

from __future__ import annotations

import json
from typing import Any
from xml.sax.saxutils import quoteattr

from workbench.core.export.alignment import DocView
from workbench.core.export.base import Writer
from workbench.core.export.files import HashedFile
from workbench.core.export.layers import GOLD_KIND, SourceDocument, attributes_of
from workbench.core.store.labels import CHOICE, COUNT, FLAG, Label

CONFIG = "label_config.xml"
_RESERVED = {"label", "text", "note", "unsure"}  # control names of the config itself


def attribute_kinds(schema: tuple[Label, ...]) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Attribute name -> (its type, its choices), the first label's where labels differ."""
    kinds: dict[str, tuple[str, tuple[str, ...]]] = {}
    for label in schema:
        for attribute in label.attributes:
            if attribute.name in kinds and kinds[attribute.name][0] == CHOICE == attribute.type:
                merged = kinds[attribute.name][1] + tuple(
                    c for c in attribute.choices if c not in kinds[attribute.name][1]
                )
                kinds[attribute.name] = (CHOICE, merged)
            kinds.setdefault(attribute.name, (attribute.type, tuple(attribute.choices)))
    return kinds


def attribute_result(name: str, value: Any, kind: str | None) -> tuple[str, dict[str, Any]]:
    """``(type, value)`` of the per-region result holding attribute ``name`` = ``value``."""
    if kind == FLAG or isinstance(value, bool):
        return "choices", {"choices": ["true" if value is True or str(value).lower() == "true" else "false"]}
    if kind == CHOICE:
        return "choices", {"choices": [str(value)]}
    if (kind == COUNT or kind is None) and isinstance(value, (int, float)):
        return "number", {"number": value}
    if kind == COUNT and isinstance(value, list) and len(value) == 2:
        return "textarea", {"text": [f"{value[0]}-{value[1]}"]}  # a range, as the editor writes it
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return "textarea", {"text": [text]}


class LabelStudioWriter(Writer):
    takes_predictions = True
    MODEL_VERSION = "workbench-suggestions"

    def __init__(self, root, splits, context):
        super().__init__(root, splits, context)
        self.kinds = attribute_kinds(context.schema)
        self.files = {split: HashedFile(root / f"{split}.json") for split in splits}
        self.first = dict.fromkeys(splits, True)

    def write(self, split: str, doc: SourceDocument, view: DocView) -> None:
        text = doc.text
        marks = getattr(doc, "marks", None) or []
        if len(marks) != len(doc.spans):
            marks = [("", False)] * len(doc.spans)
        result: list[dict[str, Any]] = []
        for number, (span, (note, unsure)) in enumerate(zip(doc.spans, marks), start=1):
            start, end, label, _ = span
            region = f"wb{number}"
            place = {"start": start, "end": end, "text": text[start:end]}
            result.append(_result(region, "label", "labels", {**place, "labels": [label]}))
            for name, value in attributes_of(span).items():
                kind, found = attribute_result(name, value, self.kinds.get(name, (None, ()))[0])
                result.append(_result(region, name, kind, {**place, **found}))
            if note:
                result.append(_result(region, "note", "textarea", {**place, "text": [note]}))
            if unsure:
                result.append(_result(region, "unsure", "choices", {**place, "choices": ["true"]}))
        task = {
            "data": {"text": text, "doc_id": doc.id},
            "meta": doc.meta,
            "annotations": [{"result": result, "ground_truth": doc.layer == GOLD_KIND, "was_cancelled": False}],
        }
        if self.predictions is not None:
            suggested = list(self.predictions(doc.id))
            if suggested:
                task["predictions"] = [self._prediction(text, suggested)]
        handle = self.files[split]
        handle.write(("[\n" if self.first[split] else ",\n") + json.dumps(task, ensure_ascii=False))
        self.first[split] = False

    def _prediction(self, text: str, found: list[Any]) -> dict[str, Any]:
        """Label Studio's prediction: the suggestions as regions, each result with its score."""
        result: list[dict[str, Any]] = []
        for number, item in enumerate(found, start=1):
            region = f"s{number}"
            place = {"start": item.start, "end": item.end, "text": text[item.start : item.end]}
            regions = [_result(region, "label", "labels", {**place, "labels": [item.label]})]
            for name, value in item.attributes.items():
                kind, value_of = attribute_result(name, value, self.kinds.get(name, (None, ()))[0])
                regions.append(_result(region, name, kind, {**place, **value_of}))
            for entry in regions:
                entry.update(origin="prediction", score=round(float(item.confidence), 3))
            result += regions
        score = min(float(item.confidence) for item in found)
        return {"model_version": self.MODEL_VERSION, "score": round(score, 3), "result": result}

    def close(self) -> dict[str, str]:
        files = {}
        for split, handle in self.files.items():
            handle.write("[]\n" if self.first[split] else "\n]\n")
            files[f"{split}.json"] = handle.close()
        config = HashedFile(self.root / CONFIG)
        config.write(label_config(self.context.schema, self.kinds))
        files[CONFIG] = config.close()
        return files

    def abort(self) -> None:
        for handle in self.files.values():
            handle.abort()


def _result(region: str, name: str, kind: str, value: dict[str, Any]) -> dict[str, Any]:
    return {"id": region, "from_name": name, "to_name": "text", "type": kind, "value": value, "origin": "manual"}


def label_config(schema: tuple[Label, ...], kinds: dict[str, tuple[str, tuple[str, ...]]]) -> str:
    """Label Studio's labeling config for these tasks: the labels over the text, and one
    per-region control per attribute (shown when a region is selected)."""
    lines = ["<View>", '  <Labels name="label" toName="text">']
    lines += [f"    <Label value={quoteattr(label.name)} background={quoteattr(label.color)}/>" for label in schema]
    lines += ["  </Labels>", '  <Text name="text" value="$text"/>', '  <View visibleWhen="region-selected">']
    for name, (kind, choices) in kinds.items():
        if name in _RESERVED:
            continue
        if kind in (FLAG, CHOICE):
            values = ("true", "false") if kind == FLAG else choices
            lines.append(f'    <Choices name={quoteattr(name)} toName="text" perRegion="true" choice="single">')
            lines += [f"      <Choice value={quoteattr(value)}/>" for value in values]
            lines.append("    </Choices>")
        elif kind == COUNT:
            lines.append(f'    <Number name={quoteattr(name)} toName="text" perRegion="true"/>')
        else:
            lines.append(f'    <TextArea name={quoteattr(name)} toName="text" perRegion="true" maxSubmissions="1"/>')
    lines += [
        '    <TextArea name="note" toName="text" perRegion="true" maxSubmissions="1"/>',
        '    <Choices name="unsure" toName="text" perRegion="true"><Choice value="true"/></Choices>',
        "  </View>",
        "</View>",
    ]
    return "\n".join(lines) + "\n"
