"""UIMA CAS XMI (INCEpTION's and DKPro Core's), read with ``dkpro-cassis``: one CAS, one document.

- What is read: an ``.xmi`` file with ``TypeSystem.xml`` beside it (or in the folder above:
  this project's export), or a ``.zip`` holding ``.xmi`` files and their ``TypeSystem.xml``
  (INCEpTION's "UIMA CAS XMI" export of a document). Each CAS is one document, and all of
  them go into the one layer the import names: INCEpTION keeps one CAS per annotator, so
  import each annotator's files with ``--annotator`` that annotator.
- The text is the CAS's Sofa. UIMA counts offsets in UTF-16 units; ``cassis`` turns them
  into code points on reading, and an offset it cannot map (between the two halves of a
  character outside the Basic Multilingual Plane, or past the text) refuses the file.
- ``de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity`` (and its subtypes) become
  spans: ``value`` is the label (a subtype without one, such as DKPro's ``Person``, gives its
  type's name); every other feature with a value (``identifier``, features of a custom
  layer, this project's export's attributes, ``workbenchAttributes`` as JSON) becomes an
  attribute, checked against the schema like any import's. ``DocumentMetaData`` gives the
  document's id hint (``documentId``) and title (``documentTitle``).
- Counted as ignored: named entities without a value, and every other annotation (POS,
  lemmas, chunks, relations, custom layers) except sentences, tokens and metadata. A CAS
  whose type system has no named entity type but other annotations is refused, naming them.
- Hostile XML: a file with a ``<!DOCTYPE`` or an ``<!ENTITY`` (which CAS XMI never has) is
  refused before any parser sees it, so no entity is expanded and no local file or URL is
  read; zips are read with limits (members, sizes).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import warnings
import zipfile
import zlib
from importlib import import_module
from typing import Any

from workbench.core.annotated_import.files import Unit
from workbench.core.annotated_import.records import AnnotatedFile, DocumentRecord, SpanRecord
from workbench.core.errors import RefusedInput
from workbench.core.sources import MB, ReadOptions, read_bytes
from workbench.core.store.documents import NewDocument
from workbench.core.text.normalise import normalize_line, prepare

EXTRA = "pip install workbench[xmi]"
NAMED_ENTITY = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
METADATA = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
_SEGMENTS = (
    "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence",
    "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token",
    "uima.tcas.DocumentAnnotation",
)
_METADATA_PACKAGE = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type."
JSON_FEATURE = "workbenchAttributes"
_BUILT_IN = {"sofa", "begin", "end", "value"}
_DECLARATION = re.compile(rb"<!\s*(doctype|entity)", re.IGNORECASE)
MAX_MEMBERS = 10_000
MAX_TYPESYSTEM_BYTES = 32 * MB
MAX_ZIP_BYTES = 1024 * MB  # all members read from one zip together


def require() -> None:
    """Import ``cassis``, or refuse the file with a sentence naming the extra to install."""
    try:
        _cassis()
    except ImportError:
        raise RefusedInput(
            f"reading UIMA CAS XMI needs dkpro-cassis (the 'xmi' extra), which is not installed; {_hint()}"
        ) from None


def _cassis() -> Any:
    """The ``cassis`` module (imported when used: it is an optional extra, without type hints)."""
    return import_module("cassis")


def _hint() -> str:
    try:
        from workbench.core.install import extra_hint
    except ImportError:  # pragma: no cover - an installation without the install helper
        return f"install it with: {EXTRA}"
    return extra_hint("xmi")


def read(unit: Unit, options: ReadOptions = ReadOptions()) -> AnnotatedFile:
    """The documents and named entities of an ``.xmi`` file or a ``.zip`` of them."""
    require()
    result = AnnotatedFile(unit.path)
    limit = max(64 * MB, 16 * options.max_document_bytes)  # XMI is many times its text
    if unit.path.lower().endswith(".zip"):
        cases = _from_zip(unit.path, limit)
    else:
        data = read_bytes(unit.path, limit)
        if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"#FORMAT=WebAnno TSV"):
            raise RefusedInput(
                "this is WebAnno TSV, not UIMA CAS XMI; import it with: "
                "workbench-cli import FILE --format webanno-tsv --annotator NAME"
            )
        cases = [(unit.path, os.path.basename(unit.path), data, _typesystem_beside(unit.path))]
    for origin, name, data, typesystem in cases:
        result.documents.append(_document(origin, name, data, typesystem, result))
    return result


def _typesystem_beside(path: str) -> bytes:
    folder = os.path.dirname(os.path.abspath(path))
    for place in (folder, os.path.dirname(folder)):
        try:
            names = os.listdir(place)
        except OSError:
            continue
        for name in sorted(names):
            if name.lower() == "typesystem.xml":
                return read_bytes(os.path.join(place, name), MAX_TYPESYSTEM_BYTES)
    raise RefusedInput(
        "there is no TypeSystem.xml beside it: UIMA CAS XMI needs its type system (INCEpTION's "
        "export puts TypeSystem.xml beside each .xmi in the zip; import the zip, or unpack both)"
    )


def _from_zip(path: str, limit: int) -> list[tuple[str, str, bytes, bytes]]:
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) > MAX_MEMBERS:
                raise RefusedInput(f"the zip holds {len(members)} files, more than {MAX_MEMBERS}")
            names = [m.filename for m in members]
            if any(os.path.basename(n).startswith("exportedproject") and n.endswith(".json") for n in names):
                raise RefusedInput(
                    "this is an INCEpTION project export: unzip it and import the .xmi files of each "
                    "annotator (under annotation/) with --annotator THAT_ANNOTATOR, or export the "
                    "documents as UIMA CAS XMI"
                )
            xmis = [m for m in members if m.filename.lower().endswith(".xmi")]
            systems = {
                os.path.dirname(m.filename): m
                for m in members
                if os.path.basename(m.filename).lower() == "typesystem.xml"
            }
            if not xmis:
                raise RefusedInput(
                    "the zip holds no .xmi file (INCEpTION's UIMA CAS XMI export holds one per document)"
                )
            budget = [MAX_ZIP_BYTES]
            out = []
            for member in xmis:
                system = systems.get(os.path.dirname(member.filename)) or (
                    next(iter(systems.values())) if len(systems) == 1 else None
                )
                if system is None:
                    raise RefusedInput(f"{member.filename}: the zip holds no TypeSystem.xml beside it")
                data = _member(archive, member, limit, budget)
                typesystem = _member(archive, system, MAX_TYPESYSTEM_BYTES, budget)
                out.append((f"{path}:{member.filename}", os.path.basename(member.filename), data, typesystem))
            return out
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise RefusedInput("not a readable zip file (damaged, or not a zip)") from None
    except (RuntimeError, NotImplementedError) as exc:  # encrypted, unknown compression
        raise RefusedInput(f"the zip cannot be read ({exc})") from None
    except OSError as exc:
        raise RefusedInput(f"the file cannot be read ({exc.strerror or exc})") from None


def _member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limit: int, budget: list[int]) -> bytes:
    if member.file_size > limit:
        raise RefusedInput(f"{member.filename} is {member.file_size / MB:.0f} MB, over the limit of {limit / MB:g} MB")
    with archive.open(member) as handle:
        data = handle.read(min(limit, budget[0]) + 1)
    if len(data) > limit:
        raise RefusedInput(f"{member.filename} unpacks to more than {limit / MB:g} MB")
    budget[0] -= len(data)
    if budget[0] < 0:
        raise RefusedInput(f"the zip unpacks to more than {MAX_ZIP_BYTES / MB:g} MB")
    return data


def check_xml(data: bytes, what: str) -> None:
    """Refuse XML with a document type declaration or entities (billion laughs, external
    entities): CAS XMI and type systems never have them."""
    head = data[:4]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise RefusedInput(f"{what} is not readable XML (bytes that are neither UTF-8 nor UTF-16)") from None
    if _DECLARATION.search(data):
        raise RefusedInput(
            f"{what} declares a DOCTYPE or entities, which UIMA CAS XMI never does; refused without "
            "reading it (such declarations can expand to gigabytes or read other files)"
        )


def _load(data: bytes, typesystem: bytes, name: str) -> Any:
    cassis = _cassis()
    check_xml(typesystem, "TypeSystem.xml")
    check_xml(data, name)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        types = _typesystem(cassis, typesystem)
        try:
            cas = cassis.load_cas_from_xmi(io.BytesIO(data), typesystem=types, lenient=False, trusted=False)
        except RecursionError:
            raise
        except Exception as exc:
            raise RefusedInput(f"not readable UIMA CAS XMI with its TypeSystem.xml ({_short(exc)})") from None
    unmapped = [w for w in caught if "offset" in str(w.message)]
    if unmapped:
        raise RefusedInput(
            f"an annotation's offset does not fall on a character of the text ({unmapped[0].message}); "
            "UIMA offsets count UTF-16 units, and one must not fall between the two halves of a character "
            "outside the Basic Multilingual Plane"
        )
    return cas


_TYPESYSTEMS: dict[str, Any] = {}  # SHA-256 of a TypeSystem.xml -> its parsed type system


def _typesystem(cassis: Any, data: bytes) -> Any:
    """The type system ``data`` holds, parsed once for all the files of a folder or zip that
    share it (a full INCEpTION type system takes tens of milliseconds to parse)."""
    key = hashlib.sha256(data).hexdigest()
    if key not in _TYPESYSTEMS:
        try:
            parsed = cassis.load_typesystem(io.BytesIO(data))
        except Exception as exc:  # lxml and cassis raise many kinds
            raise RefusedInput(f"TypeSystem.xml is not a readable UIMA type system ({_short(exc)})") from None
        if len(_TYPESYSTEMS) >= 8:
            _TYPESYSTEMS.clear()
        _TYPESYSTEMS[key] = parsed
    return _TYPESYSTEMS[key]


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


def _document(origin: str, name: str, data: bytes, typesystem: bytes, result: AnnotatedFile) -> DocumentRecord:
    try:
        cas = _load(data, typesystem, name)
        return _record(origin, name, cas, result)
    except RefusedInput as exc:
        where = f"{name}: " if origin != result.path and name not in exc.reason else ""
        raise RefusedInput(where + exc.reason) from None


def _record(origin: str, name: str, cas: Any, result: AnnotatedFile) -> DocumentRecord:
    types = cas.typesystem
    raw = cas.sofa_string
    if not isinstance(raw, str):
        raise RefusedInput("the CAS has no text (its Sofa holds no sofaString)")
    has_entities = types.contains_type(NAMED_ENTITY)
    others: dict[str, int] = {}
    for fs in cas.select_all_annotations():
        type_name = fs.type.name
        if not types.is_instance_of(type_name, "uima.tcas.Annotation"):
            continue
        if type_name.startswith(_METADATA_PACKAGE):  # tagset descriptions, document metadata
            continue
        if (has_entities and types.is_instance_of(type_name, NAMED_ENTITY)) or any(
            types.is_instance_of(type_name, segment) for segment in _SEGMENTS if types.contains_type(segment)
        ):
            continue
        kind = f"{type_name.rsplit('.', 1)[-1]} annotations"
        others[kind] = others.get(kind, 0) + 1
    if not has_entities and others:
        raise RefusedInput(
            f"the CAS has no named entity type ({NAMED_ENTITY}), only "
            f"{', '.join(sorted(k.removesuffix(' annotations') for k in others))}: Workbench reads "
            "INCEpTION's Named entity layer"
        )
    spans = [_span(fs, len(raw), result) for fs in (cas.select(NAMED_ENTITY) if has_entities else [])]
    for kind, count in sorted(others.items()):
        result.ignore(kind, count)
    title, id_hint = "", os.path.splitext(name)[0]
    if types.contains_type(METADATA):
        for meta in cas.select(METADATA):
            title = normalize_line(str(meta.get("documentTitle") or ""))
            id_hint = str(meta.get("documentId") or "") or id_hint
            break
    text, problem = prepare(raw)
    if problem:
        raise RefusedInput(problem)
    document = NewDocument(text=text, title=title, file_name=name, encoding="utf-8", id_hint=id_hint)
    return DocumentRecord(origin, document, [raw], [s for s in spans if s is not None])


def _span(fs: Any, length: int, result: AnnotatedFile) -> SpanRecord | None:
    where = f"{fs.type.name.rsplit('.', 1)[-1]} xmi:id {fs.xmiID}"
    features = {f.name for f in fs.type.all_features}
    label = fs.get("value") if "value" in features else None
    if not label and fs.type.name != NAMED_ENTITY:
        label = fs.type.name.rsplit(".", 1)[-1]
    if not label:
        result.ignore("named entities without a value")
        return None
    begin, end = fs.begin, fs.end
    if not (isinstance(begin, int) and isinstance(end, int) and 0 <= begin <= end <= length):
        raise RefusedInput(f"{where}: the offsets {begin}-{end} are not inside the text ({length} characters)")
    attributes: dict[str, Any] = {}
    for name in sorted(features - _BUILT_IN):
        value = fs.get(name)
        if value is None:
            continue
        if name == JSON_FEATURE:
            try:
                extra = json.loads(value)
            except (TypeError, ValueError):
                extra = None
            if isinstance(extra, dict):
                attributes.update(extra)
                continue
        if isinstance(value, (str, int, float, bool)):
            attributes[name] = value
        else:
            result.ignore("feature values that are not text, numbers or flags")
    return SpanRecord(begin, end, str(label), where, attributes=attributes)
