"""UIMA CAS XMI, as INCEpTION and DKPro Core write it, through ``dkpro-cassis``.

``SPLIT/ID.xmi``, one CAS per document, and ``SPLIT/TypeSystem.xml`` beside them (INCEpTION's
"UIMA CAS XMI" export puts the type system next to each XMI). Each CAS holds:

- the document's text as its Sofa; offsets are code points here, and ``cassis`` writes
  them as UTF-16 units, as UIMA counts (a character outside the Basic Multilingual
  Plane counts two);
- ``DocumentMetaData``: ``documentId`` (the document's id) and, when the document has
  one, ``documentTitle``;
- this export's ``Sentence`` and ``Token`` annotations (the same as the WebAnno TSV
  export's: :func:`.webanno_tsv.sentences`);
- one ``de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity`` per span, every span
  (nested and overlapping ones too), the label as ``value``. Attributes are features of
  ``NamedEntity`` in ``TypeSystem.xml``, named after the attribute (a ``flag`` is
  ``uima.cas.Boolean``, the others ``uima.cas.String``); attributes whose name cannot be a
  UIMA feature, or whose value does not fit the feature, are in the String feature
  ``workbenchAttributes``, one JSON object. INCEpTION reads XMI leniently: features its
  project's layer does not declare are left out there.

Characters XML 1.0 cannot hold (control characters other than tab and line ends) are
written as spaces, as INCEpTION's own XMI export does: such a document's text changes. Notes
and unsure flags are not written.
"""

from __future__ import annotations

import json
import re
from importlib import import_module
from typing import Any

from workbench.core.export.alignment import DocView
from workbench.core.export.base import Writer
from workbench.core.export.files import file_stem, hash_tree
from workbench.core.export.layers import SourceDocument, attributes_of
from workbench.core.export.options import MissingExtra
from workbench.core.export.webanno_tsv import sentences
from workbench.core.store.labels import FLAG

EXTRA = "pip install workbench[xmi]"
NAMED_ENTITY = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
METADATA = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
SENTENCE = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence"
TOKEN = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token"
ANNOTATION = "uima.tcas.Annotation"
JSON_FEATURE = "workbenchAttributes"  # attributes that are no feature of their own, as JSON
TYPESYSTEM = "TypeSystem.xml"
_FEATURE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
# What XML 1.0 cannot hold (control characters but tab and line ends, U+FFFE, U+FFFF)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` with each character XML 1.0 cannot hold replaced by a space (offsets stay),
    as INCEpTION's XMI export does."""
    return _NOT_XML.sub(" ", text) if _NOT_XML.search(text) else text


# Names an attribute's feature cannot have: UIMA's and INCEpTION's features of NamedEntity, and
# the names cassis gives every feature structure (``fs.type``, ``fs.get``, ...).
RESERVED = {"sofa", "begin", "end", "value", "identifier", JSON_FEATURE, "type", "xmiID", "get", "set"}
RESERVED |= {"get_covered_text", "select", "annotation", "parent"}


def require() -> None:
    """Import ``dkpro-cassis``, or :class:`MissingExtra` saying how to install it."""
    try:
        _cassis()
    except ImportError:
        raise MissingExtra(
            f"the XMI format needs dkpro-cassis, which is not installed; install it with: {EXTRA}"
        ) from None


def _cassis() -> Any:
    """The ``cassis`` module (imported when used: it is an optional extra, without type hints)."""
    return import_module("cassis")


def feature_types(schema) -> dict[str, str]:
    """Attribute name -> UIMA range of its feature on ``NamedEntity``, for the attributes of
    ``schema`` whose names can be features (a ``flag`` everywhere it is declared: Boolean)."""
    kinds: dict[str, set[str]] = {}
    for label in schema:
        for attribute in label.attributes:
            kinds.setdefault(attribute.name, set()).add(attribute.type)
    return {
        name: "uima.cas.Boolean" if types == {FLAG} else "uima.cas.String"
        for name, types in kinds.items()
        if _FEATURE_NAME.match(name) and name not in RESERVED
    }


def typesystem(features: dict[str, str]):
    """The type system of the export: DKPro Core's types the CAS uses, NamedEntity with
    ``value``, ``identifier`` (INCEpTION's) and one feature per attribute."""
    ts = _cassis().TypeSystem()
    meta = ts.create_type(METADATA, supertypeName="uima.tcas.DocumentAnnotation")
    for name in ("documentTitle", "documentId", "documentUri", "collectionId", "documentBaseUri"):
        ts.create_feature(meta, name, "uima.cas.String")
    ts.create_feature(meta, "isLastSegment", "uima.cas.Boolean")
    ts.create_type(SENTENCE, supertypeName=ANNOTATION)
    ts.create_type(TOKEN, supertypeName=ANNOTATION)
    entity = ts.create_type(NAMED_ENTITY, supertypeName=ANNOTATION)
    ts.create_feature(entity, "value", "uima.cas.String")
    ts.create_feature(entity, "identifier", "uima.cas.String")
    for name, kind in features.items():
        ts.create_feature(entity, name, kind)
    ts.create_feature(entity, JSON_FEATURE, "uima.cas.String")
    return ts


def _fits(kind: str, value: Any) -> bool:
    return isinstance(value, bool) if kind == "uima.cas.Boolean" else not isinstance(value, (dict, list))


class XmiWriter(Writer):
    def __init__(self, root, splits, context):
        super().__init__(root, splits, context)
        require()
        self.features = feature_types(context.schema)
        self.ts = typesystem(self.features)
        self.taken: dict[str, set[str]] = {split: set() for split in splits}
        for split in splits:
            (root / split).mkdir()

    def write(self, split: str, doc: SourceDocument, view: DocView) -> None:
        cas = _cassis().Cas(typesystem=self.ts)
        text = doc.text
        cas.sofa_string = xml_safe(text)
        cas.sofa_mime = "text"
        Meta = self.ts.get_type(METADATA)
        title = xml_safe(str(doc.meta.get("title") or "")) or None
        cas.add(Meta(begin=0, end=len(text), documentId=xml_safe(doc.id), documentTitle=title, isLastSegment=False))
        Sentence, Token = self.ts.get_type(SENTENCE), self.ts.get_type(TOKEN)
        starts, ends = view.starts.tolist(), view.ends.tolist()
        bounds = sentences(text, view.starts, view.ends, doc.spans)
        for a, b in bounds:
            cas.add(Sentence(begin=starts[a], end=ends[b - 1]))
        for s, e in zip(starts, ends):
            cas.add(Token(begin=s, end=e))
        Entity = self.ts.get_type(NAMED_ENTITY)
        for span in doc.spans:
            start, end, label = span[0], span[1], span[2]
            features: dict[str, Any] = {}
            rest: dict[str, Any] = {}
            for name, value in attributes_of(span).items():
                kind = self.features.get(name)
                if kind is not None and _fits(kind, value):
                    features[name] = value if kind == "uima.cas.Boolean" else xml_safe(str(value))
                else:
                    rest[name] = value
            if rest:
                features[JSON_FEATURE] = json.dumps(rest, sort_keys=True)  # \u escapes: XML-safe
            cas.add(Entity(begin=start, end=end, value=xml_safe(label), **features))
        stem = file_stem(doc.id, doc.sha256, self.taken[split])
        cas.to_xmi(str(self.root / split / f"{stem}.xmi"))

    def close(self) -> dict[str, str]:
        for split in self.splits:
            self.ts.to_xml(str(self.root / split / TYPESYSTEM))
        return hash_tree(self.root)
