"""The ``imports`` family: crafted files given to ``workbench-cli import``.

Four groups, by how the command reads them (``GROUP_ARGS``): ``plain`` (documents only:
text, JSON Lines, CSV), ``spans`` (JSON Lines with spans, this project's and doccano's
forms, ``--annotator``), ``brat`` and ``conll``. Each case runs alone on a fresh project
(:func:`run`); the cases of a group also run together in one multi-file import between
two good files (:func:`run_group`), which must refuse each bad file by name and go on.
"""

from __future__ import annotations

import json
import os
import random
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.crafted import ACCEPTED, Build, Case, Check, Family, Outcome, Run, Snapshot, classify, invoke_cli

FAMILY_NAME = "imports"
LAYER = "Salma"
GROUP_ARGS: dict[str, tuple[str, ...]] = {
    "plain": (),
    "spans": ("--annotator", LAYER),
    "brat": ("--annotator", LAYER, "--format", "brat"),
    "conll": ("--annotator", LAYER, "--format", "conll"),
}
MB = 1024 * 1024

A = "قتل أربعة في بنغازي وأصيب 18 آخرون في اشتباكات مع قوات حفتر"
B = "وأفادت مصادر ليبية بمقتل أربعة من قوات حكومة الوفاق في أبو قرين."
C = "نشر موالون لما يعرف بعملية الكرامة أسماء 12 مسلحا من قوات حفتر."
D = "وأعلنت غرفة عمليات سرت والجفرة أسر 30 عنصرا في محيط الهلال النفطي."
PURE_ARABIC = "قتلأربعةفيبنغازي،وأصيبآخرونفياشتباكاتمعقواتحفتر" * 3  # no ASCII byte in UTF-16
HARAKAT = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652" * 20
RLO, PDF = "\u202e", "\u202c"  # right-to-left override, pop directional formatting
BIDI_CONTROLS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
FIRST = "وصلت تعزيزات عسكرية إلى مدينة سرت صباح اليوم قادمة من مصراتة."
LAST = "أعلنت البعثة الأممية هدنة في طرابلس لمدة أسبوع بعد اشتباكات عنيفة."


def at(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


# --- builders: each writes a crafted input into an empty folder --------------------------------


def _write(path: Path, content: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def file(name: str, content: bytes | str | Callable[[], bytes | str]) -> Build:
    """One file ``name`` holding ``content`` (a callable makes it when the case is built)."""
    return lambda folder: [_write(folder / name, content() if callable(content) else content)]


def line(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def jsonl(name: str, *lines: Any) -> Build:
    """A JSON Lines file: each of ``lines`` is an object (dumped) or a raw line."""
    return file(name, "".join(line(item) + "\n" for item in lines))


def with_spans(*spans: Any, text: str = A, **more: Any) -> dict[str, Any]:
    return {"text": text, "spans": list(spans), **more}


def span(needle: str, label: str, text: str = A, **more: Any) -> dict[str, Any]:
    start, end = at(text, needle)
    return {"start": start, "end": end, "label": label, **more}


DIRECTORY = object()  # as brat's text: a folder named doc.txt


def brat(ann: bytes | str | None, text: bytes | str | object | None = A, stem: str = "doc") -> Build:
    """``doc.txt`` and ``doc.ann`` (``None`` leaves one out); the path given is the ``.ann``
    (the ``.txt`` when there is no ``.ann``)."""

    def build(folder: Path) -> list[Path]:
        given = []
        if text is DIRECTORY:
            (folder / f"{stem}.txt").mkdir()
        elif text is not None:
            assert isinstance(text, (bytes, str))
            given.append(_write(folder / f"{stem}.txt", text))
        if ann is not None:
            given = [_write(folder / f"{stem}.ann", ann)]
        return given

    return build


def t_line(ident: str, label: str, needle: str, text: str = A) -> str:
    start, end = at(text, needle)
    return f"{ident}\t{label} {start} {end}\t{needle}\n"


def conll(content: bytes | str) -> Build:
    return file("doc.conll", content)


def tokens(*pairs: tuple[str, str]) -> str:
    return "".join(f"{token}\t{tag}\n" for token, tag in pairs)


def fifo(name: str) -> Build:
    def build(folder: Path) -> list[Path]:
        os.mkfifo(folder / name)
        return [folder / name]

    return build


def symlink(name: str, target: str) -> Build:
    def build(folder: Path) -> list[Path]:
        os.symlink(target, folder / name)
        return [folder / name]

    return build


def sparse(name: str, head: bytes, size: int) -> Build:
    """A file of ``size`` bytes that costs nothing on disk: ``head``, then a hole."""

    def build(folder: Path) -> list[Path]:
        path = _write(folder / name, head)
        with open(path, "r+b") as handle:
            handle.truncate(size)
        return [path]

    return build


def folder_named(name: str, *inside: tuple[str, bytes | str]) -> Build:
    def build(folder: Path) -> list[Path]:
        path = folder / name
        path.mkdir()
        for inner, content in inside:
            _write(path / inner, content)
        return [path]

    return build


def folder_with_loop(folder: Path) -> list[Path]:
    path = folder / "news"
    _write(path / "a.txt", B)
    os.symlink("..", path / "loop")  # a link back up: a walk that followed it would never end
    os.symlink(str(path), path / "self")
    return [path]


def zip_bomb() -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.txt", b"\0" * (32 * MB))  # 32 MB in about 32 KB
    return buffer.getvalue()


def gzip_jsonl() -> bytes:
    import gzip

    return gzip.compress(("".join(line({"text": A}) + "\n" for _ in range(3))).encode(), mtime=0)


def random_bytes(count: int, seed: int) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(count))


def cp1252_mojibake(text: str) -> str:
    """UTF-8 Arabic read as Windows-1252 (bytes it leaves undefined as Latin-1 does), as a
    spreadsheet or a web form does, then saved as UTF-8: «Ù‚ØªÙ„ Ø£Ø±Ø¨Ø¹Ø©»."""
    return "".join(
        bytes([b]).decode("cp1252") if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else chr(b) for b in text.encode("utf-8")
    )


# --- checks of what an accepted case stored --------------------------------------------------------


def _contents(project_path: Path) -> list[tuple[Any, list[Any]]]:
    from workbench.core.store import documents, spans
    from workbench.core.store.project import Project

    project = Project.open(project_path)
    try:
        docs = [documents.get(project.db, doc_id) for doc_id in documents.ids(project.db)]
        return [(doc, spans.for_document(project.db, doc.id)) for doc in docs]
    finally:
        project.close()


def stores(text: str, encoding: str | None = None) -> Check:
    """The project holds exactly one document, whose text is ``text`` (and encoding ``encoding``)."""

    def check(project_path: Path, _said: str) -> str | None:
        held = _contents(project_path)
        if len(held) != 1:
            return f"{len(held)} documents stored, not 1"
        doc = held[0][0]
        if doc.text != text:
            return f"the stored text is {doc.text[:60]!r}, not {text[:60]!r}"
        if encoding and doc.encoding != encoding:
            return f"read as {doc.encoding}, not {encoding}"
        return None

    return check


def stores_spans(*expected: tuple[str, str]) -> Check:
    """The project's documents hold exactly these (label, covered text) spans in the layer."""

    def check(project_path: Path, _said: str) -> str | None:
        held = _contents(project_path)
        if not held:
            return "no document stored"
        found = [(s.label, doc.text[s.start : s.end]) for doc, spans in held for s in spans if s.annotator == LAYER]
        return None if found == list(expected) else f"spans stored: {found}, not {list(expected)}"

    return check


def no_bidi_controls(project_path: Path, _said: str) -> str | None:
    """Text and title hold no bidi control: they reorder what is shown around them."""
    for doc, _ in _contents(project_path):
        for what, value in (("title", doc.title), ("text", doc.text), ("file name", doc.file_name or "")):
            controls = sorted({f"U+{ord(c):04X}" for c in value if c in BIDI_CONTROLS})
            if controls:
                return f"the document's {what} keeps the bidi controls {', '.join(controls)}: {value[:40]!r}"
    return None


def all_of(*checks: Check) -> Check:
    def check(project_path: Path, said: str) -> str | None:
        return next((p for p in (c(project_path, said) for c in checks) if p), None)

    return check


def says_ignored(_project_path: Path, said: str) -> str | None:
    return None if "ignored" in said else f"what was ignored is not reported: {said.strip()!r}"


def says_spans_not_imported(project_path: Path, said: str) -> str | None:
    if "--annotator" in said or "span" in said.lower() or "label" in said.lower():
        return None
    return f"the file's spans were not imported and the report does not say so: {said.strip()!r}"


# --- the catalogue ---------------------------------------------------------------------------------


def _case(group: str, name: str, build: Build, says: str = "", *, args: tuple[str, ...] = (), **kw: Any) -> Case:
    """A case of ``group``; one with its own ``args`` runs alone, not in the group's run."""
    return Case(
        FAMILY_NAME,
        f"{group}/{name}",
        build,
        says=says,
        args=GROUP_ARGS[group] + args,
        group=None if args else group,
        **kw,
    )


def plain(name: str, build: Build, says: str = "", **kw: Any) -> Case:
    return _case("plain", name, build, says, **kw)


def spans_line(name: str, record: Any, says: str = "", **kw: Any) -> Case:
    """A JSON Lines file of one line (an object, or raw text) given with ``--annotator``."""
    return _case("spans", name, jsonl("s.jsonl", record), says, **kw)


def bad_span(name: str, bad: Any, says: str, text: str = A) -> Case:
    """One line holding ``text`` with the one span ``bad``."""
    return spans_line(name, with_spans(bad, text=text), says)


def brat_pair(name: str, ann: bytes | str | None, says: str = "", text: Any = A, **kw: Any) -> Case:
    return _case("brat", name, brat(ann, text), says, **kw)


def conll_file(name: str, content: bytes | str | Callable[[], bytes], says: str = "", **kw: Any) -> Case:
    return _case("conll", name, conll(content), says, **kw)


def big_lines() -> str:
    """A good line, then one 11 MB line."""
    return line({"text": FIRST}) + "\n" + line({"text": "ب" * (11 * MB // 2)}) + "\n"


def has_fifo() -> str | None:
    return None if hasattr(os, "mkfifo") else "no FIFOs on this system"


def has_dev(name: str) -> Callable[[], str | None]:
    return lambda: None if os.path.exists(f"/dev/{name}") else f"no /dev/{name} here"


XMI = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<xmi:XMI xmlns:xmi="http://www.omg.org/XMI" '
    'xmlns:cas="http:///uima/cas.ecore" xmi:version="2.0"><cas:NULL xmi:id="0"/>'
    f'<cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" mimeType="text" sofaString="{A}"/></xmi:XMI>\n'
)
HTML = f"<!DOCTYPE html>\n<html><body><p>{A}</p></body></html>"
TEI = f'<?xml version="1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><text>{A}</text></TEI>'
SVG = f'<svg xmlns="http://www.w3.org/2000/svg"><text>{A}</text></svg>'
XML_UTF16 = f'<?xml version="1.0" encoding="UTF-16"?><doc>{A}</doc>'.encode("utf-16")
PRESENTATION_FORMS = "ﻗﺘﻞ ﺃﺭﺑﻌﺔ ﻓﻲ ﺑﻨﻐﺎﺯﻱ ﻭﺃﺻﻴﺐ ﺁﺧﺮﻭﻥ"  # reshaped glyphs, as copied from a PDF
CRLF_TEXT = "قتل أربعة في بنغازي\r\nوأصيب 18 آخرون\rفي اشتباكات"
HARAKA_TEXT = "قُتِلَ أربعة في بنغازي"
LONG_LINE = ("قتل أربعة في بنغازي وأصيب آخرون " * 100_000).strip()  # 5.7 MB on one line
CONTROLS = "\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0e" * 3
UNCLOSED_CSV = f'id,text\n1,"{A}"\n2,"{B}\n3,وصول تعزيزات إلى طرابلس\n4,اشتباكات\n'
DEEP_META = '{"text": "نص", "meta": {"x": ' + "[" * 5000 + "]" * 5000 + "}}"
DEEP_ATTRIBUTE = f'{{"text": "{A}", "spans": [{{"start": 4, "end": 9, "label": "CASUALTY", "count": ' + "[" * 100_000
NAN_OFFSET = f'{{"text": "{A}", "spans": [{{"start": NaN, "end": 3, "label": "ACTOR"}}]}}'
GOOD_ANN = t_line("T1", "LOCATION", "بنغازي") + t_line("T2", "ACTOR", "قوات حفتر")
QUWWAT = at(A, "قوات")
DEEP_NOTE = '#1\tAnnotatorNotes T1\t{"count": ' + "[" * 100_000 + "]" * 100_000 + "}\n"

PLAIN = [
    # empty, whitespace, no letters
    plain("empty-file", file("empty.txt", b""), "empty"),
    plain("only-whitespace", file("blank.txt", " \n\t\r\n \u00a0 \u3000\n"), "only whitespace"),
    plain("only-harakat", file("marks.txt", HARAKAT), "no letters"),
    plain("only-punctuation-and-symbols", file("signs.txt", "… ، ؛ ؟ ! — «» ★ ✓ ○"), "no letters"),
    plain("only-bidi-controls", file("controls.txt", BIDI_CONTROLS * 20), "no letters"),
    # binary
    plain("random-bytes", file("noise.txt", lambda: random_bytes(4096, 12)), "binary"),
    plain("png-named-txt", file("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)), "binary"),
    plain("elf-executable", file("tool", b"\x7fELF\x02\x01\x01" + bytes(200)), "binary"),
    plain("nul-byte-in-arabic", file("nul.txt", A.encode()[:10] + b"\x00" + A.encode()[10:]), "NUL"),
    plain("control-characters", file("ctl.txt", A + CONTROLS), "binary"),
    plain("zip-bomb-given-to-import", file("bomb.zip", zip_bomb), "binary"),
    plain("gzip-named-jsonl", file("docs.jsonl.gz", gzip_jsonl), "binary"),
    # encodings: those Arabic news arrives in are read right, garbled text is refused
    plain(
        "utf16le-without-bom-pure-arabic",
        file("pure.txt", PURE_ARABIC.encode("utf-16-le")),
        expect=ACCEPTED,
        check=stores(PURE_ARABIC, "utf-16-le"),
    ),
    plain(
        "utf16be-without-bom-with-spaces",
        file("spaced.txt", A.encode("utf-16-be")),
        expect=ACCEPTED,
        check=stores(A, "utf-16-be"),
    ),
    plain("windows-1256", file("cp1256.txt", B.encode("cp1256")), expect=ACCEPTED, check=stores(B, "windows-1256")),
    plain("iso-8859-6", file("iso.txt", A.encode("iso8859_6")), expect=ACCEPTED, check=stores(A, "iso-8859-6")),
    plain("utf16-bom-odd-length", file("odd16.txt", b"\xff\xfe" + A.encode("utf-16-le")[:-1]), "UTF-16"),
    plain("utf8-bom-then-invalid-bytes", file("badbom.txt", b"\xef\xbb\xbf" + A.encode("cp1256")), "UTF-8"),
    plain("utf8-cut-mid-letter", file("cut.txt", (A * 3).encode()[:-1]), "not text"),
    plain("mojibake-read-as-windows-1256", file("moji1256.txt", A.encode().decode("cp1256")), "garbled"),
    # Latin-1 mojibake holds C1 controls: refused as garbled, not as a binary file.
    plain("mojibake-read-as-latin-1", file("moji-latin1.txt", A.encode().decode("latin-1")), "Latin-1"),
    plain(
        "mojibake-read-as-windows-1252",
        file("moji1252.txt", cp1252_mojibake(A)),
        "garbled",
    ),
    plain("presentation-forms", file("reshaped.txt", PRESENTATION_FORMS), "presentation forms"),
    # markup
    plain("uima-cas-xmi", file("doc.xmi", XMI), "XMI"),
    plain("html-page", file("page.html", HTML), "HTML"),
    plain("html-bom-uppercase-as-txt", file("page.txt", f"\ufeff \n<HTML LANG='ar'><BODY>{A}</BODY></HTML>"), "HTML"),
    plain("tei-xml", file("tei.xml", TEI), "XML"),
    plain("svg-with-xmlns", file("img.txt", SVG), "XML"),
    plain("xml-in-utf16", file("x.txt", XML_UTF16), "XML"),
    plain("tag-like-first-word", file("breaking.txt", f"<عاجل> {A}"), expect=ACCEPTED, check=stores(f"<عاجل> {A}")),
    # CSV
    plain("csv-unterminated-quote", file("broken.csv", UNCLOSED_CSV), "never closed"),
    plain("csv-without-text-column", file("cols.csv", f"id,body\n1,{A}\n"), "no column"),
    plain("csv-header-only", file("head.csv", "id,text\n"), "no rows"),
    plain("csv-with-nul-bytes", file("nul.csv", f"id,text\n1,{A}\n".encode() + b"\x00\x00\x01"), "binary"),
    plain("csv-600-mb-sparse", sparse("huge.csv", f"id,text\n1,{A}\n".encode(), 600 * MB), "over the limit"),
    # JSON Lines (documents only)
    plain("jsonl-deeply-nested-line", jsonl("deep.jsonl", "[" * 100_000), "nested too deeply"),
    plain("jsonl-deeply-nested-meta", jsonl("deepmeta.jsonl", DEEP_META), "nested too deeply"),
    plain("jsonl-array-line", jsonl("array.jsonl", [A]), '"text" string'),
    plain("jsonl-text-is-a-number", jsonl("num.jsonl", {"text": 12}), '"text" string'),
    plain("jsonl-text-is-null", jsonl("null.jsonl", {"text": None}), '"text" string'),
    plain("jsonl-good-lines-then-bad", jsonl("late.jsonl", {"text": A}, {"text": B}, '{"text": "قتل", '), "not valid"),
    plain("jsonl-meta-not-an-object", jsonl("meta.jsonl", {"text": A, "meta": [1, 2]}), '"meta"'),
    plain("jsonl-latin-1-bytes", file("latin.jsonl", '{"text": "café à Tripoli"}\n'.encode("latin-1")), "UTF-8"),
    plain("jsonl-only-blank-lines", jsonl("blank.jsonl", "", "   ", "\t"), "empty"),
    plain("jsonl-text-only-harakat", jsonl("marks.jsonl", {"text": HARAKAT}), "no letters"),
    # texts no other case holds: a text the project has already is joined, not inserted
    plain("jsonl-one-id-two-texts", jsonl("ids.jsonl", {"id": "d1", "text": C}, {"id": "d1", "text": D}), "already"),
    plain("jsonl-11-mb-line", file("big.jsonl", big_lines), "over the limit"),
    # bidi controls, and spans where plain import does not read them
    plain(
        "jsonl-rlo-in-title",
        jsonl("rlo.jsonl", {"title": f"{RLO}txt.exe{PDF} تقرير", "text": A}),
        expect=ACCEPTED,
        check=no_bidi_controls,
    ),
    plain(
        "csv-bidi-controls-in-title",
        file("rlo.csv", f"title,text\n{RLO}evil{PDF} \u2067خبر\u2069,{A}\n"),
        expect=ACCEPTED,
        check=no_bidi_controls,
    ),
    plain(
        "bidi-controls-in-text",
        file("bidi.txt", f"قتل أربعة في {RLO}بنغازي{PDF} وأصيب \u2067آخرون\u2069"),
        expect=ACCEPTED,
        check=all_of(stores("قتل أربعة في بنغازي وأصيب آخرون"), no_bidi_controls),
    ),
    plain(
        "doccano-file-without-annotator",
        jsonl("doccano.jsonl", {"id": 1, "text": A, "label": [[*at(A, "بنغازي"), "LOCATION"]]}),
        expect=ACCEPTED,
        check=says_spans_not_imported,
    ),
    # odd but fine
    plain(
        "crlf-and-lone-cr",
        file("crlf.txt", CRLF_TEXT),
        expect=ACCEPTED,
        check=stores(CRLF_TEXT.replace("\r\n", "\n").replace("\r", "\n")),
    ),
    plain("one-5-mb-line", file("long.txt", LONG_LINE), expect=ACCEPTED, check=stores(LONG_LINE)),
    plain("folder-with-symlink-loop", folder_with_loop, expect=ACCEPTED, check=stores(B)),
    # not a regular file, missing, too big
    plain("fifo", fifo("pipe.txt"), "not a regular file", needs=has_fifo),
    plain("fifo-named-jsonl", fifo("pipe.jsonl"), "not a regular file", needs=has_fifo),
    plain("symlink-to-dev-zero", symlink("zero.txt", "/dev/zero"), "not a regular file", needs=has_dev("zero")),
    plain("symlink-to-dev-urandom", symlink("random.jsonl", "/dev/urandom"), "not a regular", needs=has_dev("urandom")),
    plain("dangling-symlink", symlink("gone.txt", "does-not-exist.txt"), "no such file"),
    plain("missing-path", lambda folder: [folder / "never-written.txt"], "no such file"),
    plain("2-gb-sparse-text", sparse("huge.txt", (A + "\n").encode() * 100, 2048 * MB), "over the limit"),
    plain("over-a-small-max-mb", file("article.txt", (A + "\n") * 200), "over the limit", args=("--max-mb", "0.01")),
    plain(
        "empty-folder-named-like-a-file",
        folder_named("article.txt"),
    ),
    plain(
        "folder-of-unreadable-kinds",
        folder_named("reports", ("a.docx", b"PK\x03\x04" + bytes(50)), ("b.pdf", b"%PDF-1.4\n")),
    ),
]

SPANS = [
    bad_span("offsets-as-strings", {"start": "13", "end": "19", "label": "LOCATION"}, "whole number"),
    bad_span("negative-start", {"start": -5, "end": 3, "label": "ACTOR"}, "outside"),
    bad_span("end-past-the-text", {"start": 13, "end": len(A) + 40, "label": "LOCATION"}, "outside"),
    bad_span("start-after-end", {"start": 19, "end": 13, "label": "LOCATION"}, "must end after it starts"),
    bad_span("float-offsets", {"start": 13.0, "end": 19.0, "label": "LOCATION"}, "whole number"),
    bad_span("boolean-offsets", {"start": False, "end": True, "label": "ACTOR"}, "whole number"),
    spans_line("nan-offset", NAN_OFFSET, "whole number"),
    bad_span("offset-10-to-the-30", {"start": 10**30, "end": 10**30 + 1, "label": "ACTOR"}, "outside"),
    bad_span("label-not-in-schema", span("بنغازي", "GPE"), "schema does not have"),
    bad_span("label-empty", span("بنغازي", " "), "non-empty"),
    bad_span("label-is-html", span("بنغازي", "<b>ACTOR</b>"), "schema does not have"),
    bad_span("label-with-rlo", span("بنغازي", f"{RLO}NOITACOL"), "schema does not have"),
    bad_span("span-not-an-object", [13, 19, "LOCATION"], "must be an object"),
    spans_line("spans-not-a-list", {"text": A, "spans": {"start": 13, "end": 19}}, "must be a list"),
    spans_line("doccano-label-pair", {"text": A, "label": [[13, "LOCATION"]]}, "[start, end, label]"),
    spans_line("doccano-text-classification", {"text": A, "entities": [{"label": "LOCATION"}]}, "not spans"),
    spans_line(
        "doccano-label-number-unmapped",
        {"text": A, "annotations": [{"label": 3, "start_offset": 13, "end_offset": 19}]},
        "schema does not have: 3",
    ),
    bad_span("covered-text-differs", {**span("بنغازي", "LOCATION"), "text": "طرابلس"}, "covers"),
    bad_span("edge-between-letter-and-haraka", {"start": 1, "end": 6, "label": "CASUALTY"}, "inside", HARAKA_TEXT),
    bad_span("edge-between-cr-and-lf", {"start": 20, "end": 25, "label": "CASUALTY"}, "between CR and LF", CRLF_TEXT),
    bad_span("attribute-not-in-schema", span("قوات حفتر", "ACTOR", side="east"), "attributes that the project"),
    bad_span("count-not-a-number", span("أربعة", "CASUALTY", count="many"), "not a count"),
    bad_span("kind-not-a-choice", span("أربعة", "CASUALTY", kind="exploded"), "must be one of"),
    bad_span("attributes-not-an-object", span("أربعة", "CASUALTY", attributes=["count", 4]), "must be an object"),
    spans_line("deeply-nested-attribute", DEEP_ATTRIBUTE, "nested too deeply"),
    bad_span("unsure-not-a-boolean", span("بنغازي", "LOCATION", unsure="yes"), "true or false"),
    bad_span("note-not-a-string", span("بنغازي", "LOCATION", note={"x": 1}), "must be a string"),
    spans_line(
        "whitespace-only-span",
        with_spans({"start": 12, "end": 13, "label": "LOCATION"}),
    ),
    spans_line(
        "crossing-spans-of-two-labels",
        with_spans(span("في بنغازي", "LOCATION"), span("بنغازي وأصيب", "ACTOR")),
        expect=ACCEPTED,
        check=stores_spans(("LOCATION", "في بنغازي"), ("ACTOR", "بنغازي وأصيب")),
    ),
    spans_line(
        "the-same-span-twice",
        with_spans(span("بنغازي", "LOCATION"), span("بنغازي", "LOCATION")),
        expect=ACCEPTED,
        check=stores_spans(("LOCATION", "بنغازي")),
    ),
    # what the command line adds to the file: refused before anything is read
    spans_line("annotator-with-comma", with_spans(), "cannot be an annotator", args=("--annotator", "Salma,Omar")),
    spans_line("map-without-target", with_spans(span("بنغازي", "GPE")), "SOURCE=TARGET", args=("--map", "GPE")),
    spans_line("map-to-unknown-label", with_spans(span("بنغازي", "GPE")), "does not have", args=("--map", "GPE=PLACE")),
]

BRAT = [
    brat_pair("not-a-standoff-line", GOOD_ANN + "X1\tsomething else\n", "not a brat standoff line"),
    brat_pair("t-line-without-offsets", "T1\tLOCATION\tبنغازي\n", "must read"),
    brat_pair("offsets-past-the-text", f"T1\tLOCATION 13 {len(A) + 50}\tبنغازي\n", "outside"),
    brat_pair("offsets-not-numbers", "T1\tLOCATION thirteen 19\tبنغازي\n", "not whole numbers"),
    brat_pair("negative-offsets", "T1\tLOCATION -6 0\tبنغازي\n", "outside"),
    brat_pair("discontinuous-text-between", f"T1\tACTOR 0 3;{QUWWAT[0]} {QUWWAT[1]}\tقتل قوات\n", "discontinuous"),
    brat_pair("attribute-not-in-schema", GOOD_ANN + "A1\tNegated T1\n", "attributes that the project"),
    brat_pair("attribute-on-undefined-entity", GOOD_ANN + "A1\tcanonical T9 Benghazi\n", "does not define"),
    brat_pair("entity-defined-twice", GOOD_ANN + t_line("T1", "ACTOR", "قوات حفتر"), "defined twice"),
    brat_pair("label-not-in-schema", t_line("T1", "PER", "قوات حفتر"), "schema does not have"),
    brat_pair("covered-text-differs", f"T1\tLOCATION {at(A, 'بنغازي')[0]} {at(A, 'بنغازي')[1]}\tطرابلس\n", "covers"),
    brat_pair("txt-missing", GOOD_ANN, "no doc.txt", text=None),
    brat_pair("ann-missing", None, "no doc.ann"),
    brat_pair("txt-is-a-folder", GOOD_ANN, "folder", text=DIRECTORY),
    brat_pair("binary-ann", random_bytes(2048, 5), "binary"),
    brat_pair("binary-txt", GOOD_ANN, "binary", text=random_bytes(2048, 6)),
    brat_pair("txt-only-harakat", "", "no letters", text=HARAKAT),
    brat_pair("deeply-nested-json-note", GOOD_ANN + DEEP_NOTE, "nested too deeply"),
    brat_pair(
        "json-note-count-not-a-number",
        t_line("T1", "CASUALTY", "أربعة") + '#1\tAnnotatorNotes T1\t{"count": "a few"}\n',
        "not a count",
    ),
    brat_pair("empty-ann", "", expect=ACCEPTED, check=stores_spans()),
    brat_pair(
        "discontinuous-over-a-line-break",
        "T1\tLOCATION 0 6;7 13\tطرابلس بنغازي\n",
        text="طرابلس\nبنغازي وما حولها",
        expect=ACCEPTED,
        check=stores_spans(("LOCATION", "طرابلس\nبنغازي")),
    ),
    brat_pair(
        "relations-events-equivalences",
        GOOD_ANN + "R1\tLocated Arg1:T2 Arg2:T1\nE1\tAttack:T2\n*\tEquiv T1 T2\n",
        expect=ACCEPTED,
        check=all_of(stores_spans(("LOCATION", "بنغازي"), ("ACTOR", "قوات حفتر")), says_ignored),
    ),
]

CONLL = [
    conll_file(
        "i-without-b",
        tokens(("قتل", "O"), ("أربعة", "I-CASUALTY"), ("في", "O"), ("بنغازي", "I-LOCATION")),
        expect=ACCEPTED,
        check=stores_spans(("CASUALTY", "أربعة"), ("LOCATION", "بنغازي")),
    ),
    conll_file("unknown-label", tokens(("قوات", "B-PER"), ("حفتر", "I-PER")), "schema does not have"),
    conll_file("bad-tag-prefix", tokens(("بنغازي", "X-LOCATION")), "is not O"),
    conll_file("tag-without-label", tokens(("بنغازي", "B-")), "is not O"),
    conll_file("one-column", "قتل\nأربعة\n", "a token and a tag"),
    conll_file("columns-swapped", tokens(("O", "قتل"), ("B-LOCATION", "بنغازي")), "is not O"),
    conll_file("only-docstart-and-blank-lines", "-DOCSTART- -X- O O\n\n\n-DOCSTART- -X- O O\n", "no tokens"),
    conll_file("empty-file", b"", "empty"),
    conll_file("binary", lambda: random_bytes(4096, 7), "binary"),
    conll_file("tokens-only-harakat", tokens(("\u064e\u064f", "O"), ("\u0650", "O")), "no letters"),
]

CASES: tuple[Case, ...] = (*PLAIN, *SPANS, *BRAT, *CONLL)


# --- running ---------------------------------------------------------------------------------------


def _new_project(path: Path) -> Path:
    from workbench.core.store.project import Project

    Project.create(path, name="crafted").close()
    return path


def run(case: Case, folder: Path, snapshot: Snapshot) -> Outcome:
    """``workbench-cli --db P import ARGS PATHS`` for ``case`` on a fresh project ``P``."""
    project = _new_project(folder / "project.wbproj")
    inputs = folder / "input"
    inputs.mkdir()
    paths = case.build(inputs)
    before = snapshot(project)
    result = invoke_cli(["--db", project, "import", *case.args, *paths])
    changed = snapshot(project) != before
    problem = None
    if case.check is not None and result.exit_code == 0 and not result.escaped:
        problem = case.check(project, result.output)
    return classify(case, result, changed, problem)


FAMILY = Family(FAMILY_NAME, CASES, run)


def bookends(group: str, folder: Path) -> tuple[list[Path], list[Path]]:
    """A good input of ``group`` to give before the crafted ones, and one after them."""
    paths = []
    for name, text in (("first", FIRST), ("last", LAST)):
        place = folder / name
        place.mkdir(parents=True)
        start, end = 0, text.index(" ")
        if group == "plain":
            built = file("good.txt", text)(place)
        elif group == "spans":
            built = jsonl("good.jsonl", with_spans({"start": start, "end": end, "label": "CASUALTY"}, text=text))(place)
        elif group == "brat":
            built = brat(f"T1\tCASUALTY {start} {end}\t{text[start:end]}\n", text=text, stem="good")(place)
        else:
            words = text.split(" ")
            built = conll(tokens((words[0], "B-CASUALTY"), *((w, "O") for w in words[1:])))(place)
        paths.append(built)
    return paths[0], paths[1]


@dataclass
class GroupRun:
    """One import of every case of a group, between two good files."""

    run: Run
    refused: dict[str, list[str]] = field(default_factory=dict)  # case name -> reasons given for it
    stray: list[dict[str, str]] = field(default_factory=list)  # refusals that name no case's file
    stored_texts: list[str] = field(default_factory=list)
    layer_spans: int = 0


def run_group(group: str, cases: Sequence[Case], folder: Path) -> GroupRun:
    """``import ARGS --json GOOD CASE1 CASE2 ... GOOD`` on a fresh project."""
    project = _new_project(folder / "project.wbproj")
    first, last = bookends(group, folder / "good")
    places: dict[str, Path] = {}
    given: list[Path] = []
    for number, case in enumerate(cases):
        place = folder / "cases" / f"{number:03d}"
        place.mkdir(parents=True)
        places[case.name] = place
        given.extend(case.build(place))
    result = invoke_cli(["--db", project, "import", *GROUP_ARGS[group], "--json", *first, *given, *last])
    outcome = GroupRun(result)
    if result.escaped or result.exit_code is None:
        return outcome
    report = json.loads(result.stdout)
    for item in report["refused"]:
        owner = next((name for name, place in places.items() if item["path"].startswith(f"{place}{os.sep}")), None)
        if owner is None:
            outcome.stray.append(item)
        else:
            outcome.refused.setdefault(owner, []).append(item["reason"])
    held = _contents(project)
    outcome.stored_texts = [doc.text for doc, _ in held]
    outcome.layer_spans = sum(1 for _, spans in held for s in spans if s.annotator == LAYER)
    return outcome
