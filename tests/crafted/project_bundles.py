"""The ``project bundles`` family: crafted project bundles given to ``workbench-cli --db COPY bundle open``.

A lead with one annotator (Salma) is made once per process (:func:`base`), as
``tests/test_hostile_project_bundles.py`` makes it: her genuine project bundle, signed with
the lead's key, carries four documents and one span of hers. Her copy made from it (with
work of her own) is kept, and so is the lead's next bundle for her (a fifth document, new
guidelines). A case is given either to a new copy (``--db`` names no file: a refusal must
leave no file there and no hidden partial copy beside it) or to a fresh copy of her existing
copy (an update: a refusal must leave it byte for byte as it was).

The catalogue is the crafted contents of ``tests/test_hostile_project_bundles.py`` (its
``CASES``, made the same way and re-signed with the lead's key), the attacks on the
container shared with the ``bundles`` family, and updates: signed by another key, unsigned
once the lead's key is pinned, ``--repin`` with a wrong fingerprint, for another project or
another annotator.
"""

from __future__ import annotations

import atexit
import functools
import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.crafted import ACCEPTED, Build, Case, Check, Family, Outcome, Snapshot, classify, invoke_cli
from tests.crafted.work_bundles import (
    LEGACY,
    Members,
    Source,
    container_attacks,
    deep,
    write_bundle,
)
from tests.test_bundles import doc_ids, jsonl_bytes, jsonl_rows, layer, make_lead, read_zip, resign, words
from tests.test_hostile_project_bundles import CASES as HOSTILE
from tests.test_hostile_project_bundles import _documents_listed
from workbench.core.actions import CreateSpan, SetStatus
from workbench.core.assign import assign_by_hand
from workbench.core.bundles import signing
from workbench.core.bundles.project_bundle import (
    export_project_bundle,
    key_report,
    open_project_bundle,
)
from workbench.core.bundles.work_bundle import export_work_bundle
from workbench.core.store import documents
from workbench.core.store.project import Project, is_annotator_copy
from workbench.core.store.spans import Span
from workbench.core.text.normalise import content_hash

FAMILY_NAME = "project bundles"
NEW, COPY, LEAD = "new copy", "existing copy", "the lead's project"  # what ``--db`` names
# Keys the cases name by fingerprint in their arguments (``--repin``), so fixed here: the
# lead's new key after a move, and a key nobody uses.
MOVED_LEAD_KEY = "5a" * 32
WRONG_KEY = "c3" * 32
PINNED_FINGERPRINT = "<the fingerprint the copy pinned>"  # in a case's args: the lead's, filled in by run()
OLD_SCHEME = "format 1 (unsigned, with the shared secret) for a new copy"
REPINNED = "an update signed by a new lead key, re-pinned with the fingerprint the lead read out (--repin)"


@dataclass(frozen=True)
class ProjectCase(Case):
    receiver: str = NEW  # NEW, COPY or LEAD


@functools.cache
def fingerprint_of(private_key: str) -> str:
    return signing.fingerprint(signing.public_key(private_key))


# --- the lead, Salma's copy and their bundles, made once per process ----------------------------------


@dataclass
class Base:
    root: Path
    genuine: Path  # Salma's first project bundle
    update: Path  # the lead's next bundle for her: a fifth document, new guidelines
    key: str  # the lead's private key
    copy: Path  # Salma's copy (closed), with work of her own
    lead: Path  # the lead's project (closed)
    layer: dict[str, list[tuple]]  # Salma's layer in her copy
    other_project: Path  # Salma's project bundle from another project
    work: Path  # a work bundle of Salma's (a bundle of the other kind)
    forger: str


GUIDELINES = "ضع العلامة على الكلمة كاملة، مع السوابق."


@functools.cache
def base() -> Base:
    root = Path(tempfile.mkdtemp(prefix="crafted-project-bundles-"))
    atexit.register(shutil.rmtree, root, True)
    lead = make_lead(root / "lead.wbproj", annotators=("Salma",), k=0)
    docs = doc_ids(lead)
    assign_by_hand(lead, docs[:4], "Salma")
    text = documents.get(lead.db, docs[0]).text
    start = text.index("ليبيا") if "ليبيا" in text else 0  # as tests/test_hostile_project_bundles.py's base
    CreateSpan(Span(docs[0], "Salma", start, start + 5, "LOCATION", {}), actor="lead").do(lead)
    export_project_bundle(lead, "Salma", root / "salma.wbb")

    copy = open_project_bundle(root / "salma.wbb", root / "copy.wbproj")
    start, end = words(copy, docs[1])[4]
    CreateSpan(Span(docs[1], "Salma", start, end, "ACTOR", {"canonical": "قوات الوفاق"})).do(copy)
    SetStatus(docs[1], "Salma", "in-progress").do(copy)
    export_work_bundle(copy, root / "work.wbb")
    salma_layer = layer(copy, "Salma")
    copy.close()

    assign_by_hand(lead, docs[4:], "Salma")
    with lead.transaction():
        lead.set_setting("guidelines", GUIDELINES)
    export_project_bundle(lead, "Salma", root / "update.wbb")
    key = lead.setting("signing_key")
    lead.close()

    other = make_lead(root / "other.wbproj", annotators=("Salma",), k=1, name="مشروع آخر")
    export_project_bundle(other, "Salma", root / "other.wbb")
    other.close()
    return Base(
        root,
        root / "salma.wbb",
        root / "update.wbb",
        key,
        root / "copy.wbproj",
        root / "lead.wbproj",
        salma_layer,
        root / "other.wbb",
        root / "work.wbb",
        signing.new_private_key(),
    )


# --- making crafted bundles ----------------------------------------------------------------------------


def made(make: Callable[[Base], bytes | Members]) -> Build:
    return lambda folder: write_bundle(folder, make(base()))


def genuine_file(which: str = "genuine") -> Build:
    return made(lambda b: getattr(b, which).read_bytes())


def hostile(name: str, source: str = "genuine") -> Build:
    """A case of ``tests/test_hostile_project_bundles.py``'s ``CASES``, made as its test makes
    it: the change applied, the manifest's document hashes kept in step with the rows (but for
    the cases about rows that disagree with the manifest), re-signed with the lead's key."""

    def make(b: Base) -> Members:
        members = read_zip(getattr(b, source))
        change, _phrase = HOSTILE[name]
        change(members)
        extra = {}
        try:
            extra["documents"] = _documents_listed(members)
        except (ValueError, TypeError, KeyError, RecursionError):
            pass
        if name in ("document missing", "document text changed"):
            extra = {}
        return resign(members, b.key, **extra)

    return made(make)


def lead_signed(
    edit: Callable[[Members, Base], None] | None = None, source: str = "genuine", key: str = "lead", **changes: Any
) -> Build:
    """The lead's bundle (``source``), ``edit``-ed, re-signed with the lead's key (or
    ``forger``'s, or the moved lead's), the manifest's document hashes in step with the rows."""

    def make(b: Base) -> Members:
        members = read_zip(getattr(b, source))
        if edit is not None:
            edit(members, b)
        private = {"lead": b.key, "forger": b.forger, "moved": MOVED_LEAD_KEY}[key]
        try:
            listed = {"documents": _documents_listed(members)}
        except (ValueError, TypeError, KeyError, RecursionError):
            listed = {}
        return resign(members, private, **{**listed, **changes})

    return made(make)


def member(name: str, data: bytes) -> Callable[[Members, Base], None]:
    return lambda members, _b: members.update({name: data})


def json_member(name: str, edit: Callable[[Any], None]) -> Callable[[Members, Base], None]:
    def change(members: Members, _b: Base) -> None:
        data = json.loads(members[name])
        edit(data)
        members[name] = json.dumps(data, ensure_ascii=False).encode("utf-8")

    return change


def _format_1(members: Members, secret: Any = "ab" * 32) -> Members:
    """``members`` as format 1 made them: no signature, the shared secret in the identity."""
    members = dict(members)
    members.pop("signature", None)
    identity = json.loads(members["identity.json"])
    if secret is None:
        identity.pop("secret", None)
    else:
        identity["secret"] = secret
    members["identity.json"] = json.dumps(identity).encode()
    return resign(members, None, sign=False, format_version=1, signer=None)


def _first_document(**fields: Any) -> Callable[[Members, Base], None]:
    def change(members: Members, _b: Base) -> None:
        lines = jsonl_rows(members["documents.jsonl"])
        lines[0].update(fields)
        members["documents.jsonl"] = jsonl_bytes(lines)

    return change


def _for_omar(members: Members, _b: Base) -> None:
    """The bundle turned into one for Omar (identity and manifest), carrying no span of Salma's."""
    identity = json.loads(members["identity.json"])
    identity["annotator"] = "Omar"
    members["identity.json"] = json.dumps(identity).encode()
    members["spans.jsonl"] = b""


def _another_text_for_a_known_document(members: Members, _b: Base) -> None:
    lines = jsonl_rows(members["documents.jsonl"])
    lines[0]["text"] = "نص آخر تماما لهذه الوثيقة، وقع تغييره بعد توزيعها."
    lines[0]["sha256"] = content_hash(lines[0]["text"])
    members["documents.jsonl"] = jsonl_bytes(lines)
    members["spans.jsonl"] = b""


# --- checks of what an accepted bundle made ----------------------------------------------------------


def _copy_state(project_path: Path) -> dict[str, Any]:
    with Project.open(project_path, check=False) as copy:
        return {
            "copy": is_annotator_copy(copy),
            "annotator": copy.current_annotator,
            "docs": doc_ids(copy),
            "guidelines": copy.setting("guidelines", ""),
            "lead": key_report(copy)["lead"],
            "secret": bool(copy.setting("bundle_secret")),
            "own_key": bool(copy.setting("signing_key")),
            "layer": layer(copy, copy.current_annotator) if copy.current_annotator else {},
        }


def makes_a_copy(annotator: str = "Salma", documents: int = 4, signed: bool = True) -> Check:
    """A new copy for ``annotator`` with ``documents`` documents, its own key made, the lead's
    key pinned and shown (``signed``) or, for format 1, the shared secret kept."""

    def check(project_path: Path, said: str) -> str | None:
        state = _copy_state(project_path)
        if not state["copy"] or state["annotator"] != annotator:
            return f"not an annotator's copy for {annotator}: {state['annotator']!r}"
        if len(state["docs"]) != documents:
            return f"{len(state['docs'])} documents in the copy, not {documents}"
        if not state["own_key"]:
            return "the copy made no key of its own"
        if signed:
            lead = fingerprint_of(base().key)
            if state["lead"] != lead or f"Your lead's key: {lead}" not in said:
                return f"the lead's key is not pinned and shown: {state['lead']!r}; {said[:300]}"
        elif state["lead"] is not None or not state["secret"]:
            return "a format-1 copy should pin no lead key and keep the shared secret"
        return None

    return check


def updates_the_copy(documents: int, guidelines: str, lead_key: str | None = None) -> Check:
    """The copy now has ``documents`` documents and ``guidelines``, Salma's work in it is
    kept, and the lead key pinned is ``lead_key``'s (the lead's by default)."""

    def check(project_path: Path, said: str) -> str | None:
        b = base()
        state = _copy_state(project_path)
        if len(state["docs"]) != documents or state["guidelines"] != guidelines:
            return f"{len(state['docs'])} documents and guidelines {state['guidelines'][:40]!r} in the copy"
        if {d: spans for d, spans in state["layer"].items() if d in b.layer} != b.layer:
            return "Salma's own work in the copy was not kept"
        expected = fingerprint_of(lead_key or b.key)
        return None if state["lead"] == expected else f"the lead key pinned is {state['lead']}, not {expected}"

    return check


# --- the catalogue ----------------------------------------------------------------------------------


def case(name: str, build: Build, says: str = "", **kw: Any) -> ProjectCase:
    return ProjectCase(FAMILY_NAME, name, build, says=says, **kw)


def _hostile_cases() -> list[ProjectCase]:
    return [
        case("content/" + name.replace(" ", "-"), hostile(name), phrase)
        for name, (_, phrase) in sorted(HOSTILE.items())
    ]


SOURCE = Source(lambda: read_zip(base().genuine), lambda: base().key, "documents.jsonl", "project", lambda: base().work)
CONTAINER = [case(name, build, says) for name, build, says in container_attacks(SOURCE)]
ON_UPDATE = (
    "container/not-a-zip",
    "container/truncated",
    "container/zip-bomb-50-mb-of-newlines",
    "container/duplicate-member-names",
    "container/unsafe-name-dotdot",
    "container/a-bundle-of-the-other-kind",
    "manifest/kind-swapped",
    "signature/member-altered-not-resigned",
    "signature/another-key-naming-the-genuine-one",
    "signature/missing",
)
CONTAINER_ON_UPDATE = [
    case("update/" + name, build, says, receiver=COPY)
    for name, build, says in container_attacks(SOURCE)
    if name in ON_UPDATE
]

MORE = [
    case(
        "content/documents-nested-too-deeply",
        lead_signed(member("documents.jsonl", (deep() + "\n").encode())),
        "nested too deeply",
    ),
    case(
        "content/statuses-nested-too-deeply",
        lead_signed(member("statuses.jsonl", (deep() + "\n").encode())),
        "nested too deeply",
    ),
    case("content/identity-nested-too-deeply", lead_signed(member("identity.json", deep().encode())), "malformed"),
    case(
        "content/manifest-annotator-differs-from-identity",
        lead_signed(annotator="Omar"),
        "the identity does not match the manifest",
    ),
    case(
        "content/manifest-annotator-gold",
        lead_signed(json_member("identity.json", lambda i: i.update(annotator="gold")), annotator="gold"),
        "malformed",
    ),
    case(
        "content/document-id-empty",
        lead_signed(_first_document(id="")),
        "malformed",
    ),
    case(
        "content/status-for-a-document-not-in-the-bundle",
        lead_signed(member("statuses.jsonl", jsonl_bytes([{"doc_id": "nope", "status": "done"}]))),
        "a status is malformed or for a document not in the bundle",
    ),
    case(
        "format-1/with-a-signature",
        made(lambda b: {**_format_1(read_zip(b.genuine)), "signature": b"AAAA"}),
        "a bundle of format 1 carries no signature",
    ),
    case("format-1/without-its-secret", made(lambda b: _format_1(read_zip(b.genuine), secret=None)), "malformed"),
    case("format-1/secret-not-hex", made(lambda b: _format_1(read_zip(b.genuine), secret="not hex")), "malformed"),
    case("format-1/secret-a-number", made(lambda b: _format_1(read_zip(b.genuine), secret=5)), "malformed"),
]

UPDATE = [
    case(
        "update/signed-by-another-key",
        lead_signed(
            json_member("schema.json", lambda s: s.update(guidelines="Tag every word as ACTOR.")),
            source="update",
            key="forger",
        ),
        "signed by a different key than the lead's key this copy pinned on",
        receiver=COPY,
    ),
    case(
        "update/unsigned-once-the-leads-key-is-pinned",
        made(lambda b: _format_1(read_zip(b.update))),
        "is not signed, but this copy pinned the lead's key",
        receiver=COPY,
    ),
    case(
        "update/format-1-bundle-of-another-project",
        made(lambda b: (LEGACY / "salma.project.wbb").read_bytes()),
        "another project or another annotator's copy",
        receiver=COPY,
    ),
    case(
        "update/repin-with-a-wrong-fingerprint",
        lead_signed(source="update", key="moved"),
        "the fingerprint you typed is not the one",
        args=("--repin", fingerprint_of(WRONG_KEY)),
        receiver=COPY,
    ),
    case(
        "update/repin-with-garbage",
        lead_signed(source="update", key="moved"),
        "the fingerprint you typed is not the one",
        args=("--repin", "not a fingerprint"),
        receiver=COPY,
    ),
    case(
        "update/repin-with-the-pinned-fingerprint",
        lead_signed(source="update", key="moved"),
        "the fingerprint you typed is not the one",
        args=("--repin", PINNED_FINGERPRINT),
        receiver=COPY,
    ),
    case(
        "update/new-lead-key-without-repin",
        lead_signed(source="update", key="moved"),
        "open it with --repin",
        receiver=COPY,
    ),
    case(
        "update/of-another-project",
        genuine_file("other_project"),
        "another project or another annotator's copy",
        receiver=COPY,
    ),
    case(
        "update/for-another-annotator",
        lead_signed(_for_omar, source="update", annotator="Omar"),
        "another project or another annotator's copy",
        receiver=COPY,
    ),
    case(
        "update/over-the-leads-own-project",
        genuine_file("update"),
        "another project or another annotator's copy",
        receiver=LEAD,
    ),
    case(
        "update/span-past-the-end",
        hostile("span past the end", source="update"),
        "does not fit the text",
        receiver=COPY,
    ),
    case(
        "update/another-text-for-a-document-the-copy-has",
        lead_signed(_another_text_for_a_known_document),
        "another text than the one in this copy",
        receiver=COPY,
    ),
    case("update/label-name-as-html", hostile("label name as HTML", source="update"), "must be", receiver=COPY),
    case("update/document-binary", hostile("document binary", source="update"), "binary", receiver=COPY),
    case(
        "update/label-key-ctrl-q",
        hostile("label key Ctrl+Q", source="update"),
        "key 'Ctrl+Q'",
        receiver=COPY,
    ),
]

GENUINE = [
    case("accepted/genuine-new-copy", genuine_file(), expect=ACCEPTED, check=makes_a_copy()),
    case(
        "accepted/update-by-the-pinned-key",
        genuine_file("update"),
        expect=ACCEPTED,
        check=updates_the_copy(5, GUIDELINES),
        receiver=COPY,
    ),
    case(
        "accepted/the-same-bundle-again", genuine_file(), expect=ACCEPTED, check=updates_the_copy(4, ""), receiver=COPY
    ),
    case(
        "accepted/update-by-a-new-lead-key-re-pinned",
        lead_signed(source="update", key="moved"),
        expect=ACCEPTED,
        check=updates_the_copy(5, GUIDELINES, MOVED_LEAD_KEY),
        args=("--repin", fingerprint_of(MOVED_LEAD_KEY)),
        receiver=COPY,
        note=REPINNED,
    ),
    case(
        "accepted/format-1-new-copy",
        made(lambda b: (LEGACY / "omar.project.wbb").read_bytes()),
        expect=ACCEPTED,
        check=makes_a_copy("Omar", 2, signed=False),
        note=OLD_SCHEME,
    ),
]

CASES: tuple[Case, ...] = (*_hostile_cases(), *MORE, *CONTAINER, *CONTAINER_ON_UPDATE, *UPDATE, *GENUINE)


# --- running ---------------------------------------------------------------------------------------


def run(case: Case, folder: Path, snapshot: Snapshot) -> Outcome:
    """``workbench-cli --db COPY bundle open FILE ARGS`` on a new path, a fresh copy of Salma's
    copy, or the lead's project, as the case says."""
    receiver = case.receiver if isinstance(case, ProjectCase) else NEW
    b = base()
    target = folder / "salma.wbproj"
    if receiver != NEW:
        shutil.copy(b.copy if receiver == COPY else b.lead, target)
    inputs = folder / "input"
    inputs.mkdir()
    paths = case.build(inputs)
    before = snapshot(target) if receiver != NEW else None
    args = [fingerprint_of(b.key) if arg == PINNED_FINGERPRINT else arg for arg in case.args]
    result = invoke_cli(["--db", target, "bundle", "open", *paths, *args])
    partial = [p.name for p in folder.iterdir() if p.name.startswith(f".{target.name}")]
    if receiver == NEW:
        changed = target.exists() or bool(partial)
    else:
        changed = snapshot(target) != before or bool(partial)
    problem = None
    if case.check is not None and result.exit_code == 0 and not result.escaped:
        problem = case.check(target, result.output)
    return classify(case, result, changed, problem)


FAMILY = Family(FAMILY_NAME, CASES, run)
