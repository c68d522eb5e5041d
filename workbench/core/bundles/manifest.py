"""The manifest: what a bundle claims to be, the hashes that hold it to that, its signature."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Generator, Iterable, Iterator
from typing import Any

import orjson

from workbench import __version__
from workbench.core.bundles import FORMAT, FORMAT_VERSION, signing
from workbench.core.bundles.archive import BundleError
from workbench.core.store.project import now

MANIFEST, SIGNATURE = "manifest.json", "signature"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def jsonl(rows: Iterable[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n" for row in rows).encode("utf-8")


def read_jsonl(data: bytes, member: str) -> Iterator[dict[str, Any]]:
    """The JSON object on each line of a JSON Lines member held whole (``member`` names it in
    messages)."""
    try:  # one parse for the whole member; line by line only to say where it is broken
        if too_deep(data):
            raise ValueError("nested too deeply")  # (json_rows says which line)
        lines = [line for line in data.decode("utf-8").split("\n") if line.strip(_JSON_SPACE)]
        rows = json.loads("[" + ",".join(lines) + "]")
        if all(isinstance(row, dict) for row in rows):
            yield from rows
            return
    except (ValueError, RecursionError):  # (UnicodeDecodeError and JSONDecodeError are ValueErrors)
        pass
    yield from json_rows(data.split(b"\n"), member)


_JSON_SPACE = " \t\r\n"
_decode_json = json.JSONDecoder().raw_decode

# How deep a line's JSON may nest, whoever reads it and from which thread: json's own limit is
# Python's recursion limit less the depth of the stack it is read from (a worker thread's is
# shallower than the main thread's), orjson's is 1024. Workbench writes four levels at most.
MAX_DEPTH = 512


def too_deep(data: bytes) -> bool:
    """Whether the JSON in ``data`` nests more than :data:`MAX_DEPTH` arrays and objects (read
    without recursion; a bracket inside a string does not count). Quick for the usual line: one
    of that depth is more than twice as long, and holds that many brackets."""
    if len(data) <= 2 * MAX_DEPTH or data.count(b"[") + data.count(b"{") <= MAX_DEPTH:
        return False
    depth, in_string, escaped = 0, False, False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte == 0x5B or byte == 0x7B:  # [ {
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif byte == 0x5D or byte == 0x7D:  # ] }
            depth -= 1
    return False


def json_rows(lines: Iterable[bytes], member: str, first: int = 1) -> Iterator[dict[str, Any]]:
    """The JSON object on each line of ``lines`` (split on ``\n`` only: a note may hold U+2028),
    parsed one line at a time; :class:`BundleError` says which line of ``member`` is wrong (the
    first of ``lines`` is line ``first``)."""
    for number, line in enumerate(lines, start=first):
        if not line.strip():
            continue
        if too_deep(line):
            raise BundleError(f"{member} line {number} is nested too deeply to be read")
        try:
            text = line.decode("utf-8").strip(_JSON_SPACE)
            row, end = _decode_json(text)  # json.loads without its wrappers: a bundle has many lines
            if end != len(text):
                raise json.JSONDecodeError("extra data", text, end)
        except UnicodeDecodeError:
            raise BundleError(f"{member} is not UTF-8") from None
        except json.JSONDecodeError:
            raise BundleError(f"{member} line {number} is not valid JSON") from None
        except RecursionError:
            raise BundleError(f"{member} line {number} is nested too deeply to be read") from None
        except ValueError:  # (Python reads no integer of more than 4,300 digits)
            raise BundleError(f"{member} line {number} holds a number too long to be read") from None
        if not isinstance(row, dict):
            raise BundleError(f"{member} line {number} is not a JSON object")
        yield row


# A number of 19 digits or more is read by orjson as a float past 64 bits (by json as an int). A
# JSON value comes after ':', '[' or ',' (and spaces, and its sign): a run of 19 digits after
# anything else is inside a string (span ids are hex: one in a few hundred holds such a run).
_LONG_RUN = b"0" * 19
_SQUASH_DIGITS = bytes.maketrans(b"123456789", b"000000000")
_BEFORE_A_NUMBER = frozenset(b":[,")


def _may_hold_a_long_number(block: bytes) -> bool:
    """Whether ``block`` may hold a JSON number of 19 digits or more (digits in a string after
    ``:``, ``[`` or ``,`` say yes too: the block is then read by json, which is never wrong)."""
    squashed = block.translate(_SQUASH_DIGITS)
    found = squashed.find(_LONG_RUN)
    while found >= 0:
        start = found
        while start > 0 and squashed[start - 1] == 0x30:  # (the run's first digit)
            start -= 1
        before = start - 1
        while before >= 0 and block[before] in b" \t\r-":
            before -= 1
        if before >= 0 and block[before] in _BEFORE_A_NUMBER:
            return True
        found = squashed.find(_LONG_RUN, found + 19)
    return False


def streamed_rows(chunks: Iterable[bytes], member: str) -> Iterator[dict[str, Any]]:
    """What :func:`json_rows` yields for the lines of ``chunks`` (a member's bytes, in chunks of
    any size), and the same refusals, with less work per line: a line that is one JSON object from
    its first byte (what Workbench writes) is parsed by orjson, in C, UTF-8 and all; any other line
    (blank, spaced, broken), and any line orjson refuses (it reads NaN, lone surrogates, numbers
    past a double and deep nesting as errors, where json reads them or says why not in its own
    words), is read by :func:`json_rows` itself. orjson reads an integer past 64 bits as a float:
    a block that may hold such a number is read by :func:`json_rows` whole. A bundle
    carries hundreds of thousands of lines."""
    number = 1  # of the first line of the next block
    pending: list[bytes] = []  # the start of a line longer than a chunk
    for chunk in chunks:
        cut = chunk.rfind(b"\n")
        if cut < 0:
            pending.append(chunk)
            continue
        if pending:
            pending.append(chunk[: cut + 1])
            block = b"".join(pending)
        else:
            block = chunk[: cut + 1]
        pending = [chunk[cut + 1 :]] if cut + 1 < len(chunk) else []
        number = yield from _block_rows(block, member, number)
    if pending:
        yield from _block_rows(b"".join(pending), member, number)


def _block_rows(block: bytes, member: str, number: int) -> Generator[dict[str, Any], None, int]:
    """The rows of ``block`` (whole lines, the first numbered ``number``); returns the number of
    the line after it."""
    lines = block.split(b"\n")
    if block.endswith(b"\n"):
        lines.pop()
    if _may_hold_a_long_number(block):
        yield from json_rows(lines, member, number)
        return number + len(lines)
    loads, failed = orjson.loads, orjson.JSONDecodeError
    for line in lines:
        if line[:1] == b"{" and not too_deep(line):
            try:
                row = loads(line)
            except failed:
                row = None
            if type(row) is dict:
                yield row
                number += 1
                continue
        # Anything else, exactly as json_rows reads a line: skipped if blank, refused if broken.
        yield from json_rows([line], member, number)
        number += 1
    return number


def build(
    kind: str,
    project_id: str,
    project_name: str,
    annotator: str,
    documents: dict[str, str],
    members: dict[str, bytes],
    **extra: Any,
) -> bytes:
    digests = {name: sha256(data) for name, data in members.items()}
    return build_from_digests(kind, project_id, project_name, annotator, documents, digests, **extra)


def build_from_digests(
    kind: str,
    project_id: str,
    project_name: str,
    annotator: str,
    documents: dict[str, str],
    digests: dict[str, str],
    **extra: Any,
) -> bytes:
    """The manifest of a bundle whose members (written already, streamed) have the SHA-256
    ``digests``, by name."""
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "kind": kind,
        "project_id": project_id,
        "project_name": project_name,
        "annotator": annotator,
        "created_at": now(),
        "app_version": __version__,
        "documents": documents,
        "members": dict(sorted(digests.items())),
        **extra,
    }
    return json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def parse(members: dict[str, bytes], kind: str, bundle_name: str) -> dict[str, Any]:
    """The manifest, once the format, version, kind and member hashes are right."""
    raw = members.get(MANIFEST)
    if raw is None:
        raise BundleError(f"{bundle_name} has no manifest; it is not a Workbench bundle")
    manifest = parse_manifest(raw, set(members), kind, bundle_name)
    for name, digest in manifest["members"].items():
        if sha256(members[name]) != digest:
            raise BundleError(f"{bundle_name}: {name} was altered after the bundle was made; refused")
    return manifest


def parse_manifest(raw: bytes, present: set[str], kind: str, bundle_name: str) -> dict[str, Any]:
    """The manifest ``raw`` of a bundle holding the members ``present``, once its format,
    version and kind are right and it lists exactly those members. Their hashes are the
    caller's to check (:func:`parse` reads them whole; a streamed merge checks them as it reads)."""
    try:
        if too_deep(raw):
            raise RecursionError
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BundleError(f"{bundle_name}: the manifest is not valid JSON") from None
    except RecursionError:
        raise BundleError(f"{bundle_name}: the manifest is nested too deeply to be read; refused") from None
    except ValueError:  # (Python reads no integer of more than 4,300 digits)
        raise BundleError(f"{bundle_name}: the manifest holds a number too long to be read; refused") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BundleError(f"{bundle_name} is not a Workbench bundle")
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version > FORMAT_VERSION:
        raise BundleError(
            f"{bundle_name} was made by a newer version of Workbench (bundle format {version}, "
            f"this version reads {FORMAT_VERSION}); update Workbench to read it"
        )
    if version < 1:
        raise BundleError(f"{bundle_name}: the manifest has no valid format version; refused")
    if manifest.get("kind") != kind:
        raise BundleError(f"{bundle_name} is a {manifest.get('kind')} bundle, not a {kind} bundle")
    listed = manifest.get("members")
    if not isinstance(listed, dict) or not all(isinstance(d, str) for d in listed.values()):
        raise BundleError(f"{bundle_name}: the manifest lists no members")
    if set(listed) != present - {MANIFEST, SIGNATURE}:
        raise BundleError(f"{bundle_name}: its members do not match its manifest; refused")
    for key in ("project_id", "annotator", "created_at", "documents"):
        if key not in manifest:
            raise BundleError(f"{bundle_name}: the manifest has no {key}")
    documents = manifest["documents"]
    if not (
        all(isinstance(manifest[key], str) for key in ("project_id", "annotator", "created_at"))
        and isinstance(documents, dict)
        and all(isinstance(key, str) and isinstance(value, str) for key, value in documents.items())
    ):
        raise BundleError(f"{bundle_name}: the manifest is malformed; refused")
    try:  # (JSON may escape half a character: its names go to SQLite, which takes only Unicode)
        json.dumps(manifest, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise BundleError(
            f"{bundle_name}: the manifest holds text that is not Unicode (half a character); refused"
        ) from None
    return manifest


def signer(manifest: dict[str, Any], bundle_name: str) -> tuple[str, str | None]:
    """``(scheme, public key)`` of who signed the bundle: ``(ED25519, key)`` for format 2 and
    later, ``(HMAC, None)`` for a format-1 bundle (signed, if at all, with a shared secret)."""
    if manifest["format_version"] < 2:
        return signing.HMAC, None
    block = manifest.get("signer")
    if (
        not isinstance(block, dict)
        or block.get("scheme") != signing.ED25519
        or not signing.is_public_key(block.get("public_key"))
    ):
        raise BundleError(f"{bundle_name}: the manifest does not say which key signed it; refused")
    return signing.ED25519, block["public_key"]


def signer_block(private_key: str) -> dict[str, str]:
    """What a manifest says of its signer: the scheme and the public key."""
    return {"scheme": signing.ED25519, "public_key": signing.public_key(private_key)}
