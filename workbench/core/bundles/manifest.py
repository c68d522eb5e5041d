"""The manifest: what a bundle claims to be, the hashes that hold it to that, its signature."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator
from typing import Any

from workbench import __version__
from workbench.core.bundles import FORMAT, FORMAT_VERSION
from workbench.core.bundles.archive import BundleError
from workbench.core.store.project import now

MANIFEST, SIGNATURE = "manifest.json", "signature"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def jsonl(rows: Iterable[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n" for row in rows).encode("utf-8")


def read_jsonl(data: bytes, member: str) -> Iterator[dict[str, Any]]:
    try:
        lines = [line for line in data.decode("utf-8").splitlines() if line.strip()]
    except UnicodeDecodeError:
        raise BundleError(f"{member} is not UTF-8") from None
    try:  # one parse for the whole member; line by line only to say where it is broken
        rows = json.loads("[" + ",".join(lines) + "]")
        if all(isinstance(row, dict) for row in rows):
            yield from rows
            return
    except (json.JSONDecodeError, RecursionError):
        pass
    for number, line in enumerate(data.decode("utf-8").splitlines(), start=1):
        if line.strip():
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                raise BundleError(f"{member} line {number} is not valid JSON") from None
            except RecursionError:
                raise BundleError(f"{member} line {number} is nested too deeply to be read") from None
            if not isinstance(row, dict):
                raise BundleError(f"{member} line {number} is not a JSON object")
            yield row


def build(
    kind: str,
    project_id: str,
    project_name: str,
    annotator: str,
    documents: dict[str, str],
    members: dict[str, bytes],
    **extra: Any,
) -> bytes:
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
        "members": {name: sha256(data) for name, data in sorted(members.items())},
        **extra,
    }
    return json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def sign(manifest: bytes, secret: bytes) -> bytes:
    return hmac.new(secret, manifest, hashlib.sha256).hexdigest().encode("ascii")


def parse(members: dict[str, bytes], kind: str, bundle_name: str) -> dict[str, Any]:
    """The manifest, once the format, version, kind and member hashes are right."""
    raw = members.get(MANIFEST)
    if raw is None:
        raise BundleError(f"{bundle_name} has no manifest; it is not a Workbench bundle")
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BundleError(f"{bundle_name}: the manifest is not valid JSON") from None
    except RecursionError:
        raise BundleError(f"{bundle_name}: the manifest is nested too deeply to be read; refused") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BundleError(f"{bundle_name} is not a Workbench bundle")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BundleError(
            f"{bundle_name} was made by a newer version of Workbench (bundle format {version}, "
            f"this version reads {FORMAT_VERSION}); update Workbench to read it"
        )
    if manifest.get("kind") != kind:
        raise BundleError(f"{bundle_name} is a {manifest.get('kind')} bundle, not a {kind} bundle")
    listed = manifest.get("members")
    if not isinstance(listed, dict):
        raise BundleError(f"{bundle_name}: the manifest lists no members")
    present = set(members) - {MANIFEST, SIGNATURE}
    if set(listed) != present:
        raise BundleError(f"{bundle_name}: its members do not match its manifest; refused")
    for name, digest in listed.items():
        if sha256(members[name]) != digest:
            raise BundleError(f"{bundle_name}: {name} was altered after the bundle was made; refused")
    for key in ("project_id", "annotator", "created_at", "documents"):
        if key not in manifest:
            raise BundleError(f"{bundle_name}: the manifest has no {key}")
    return manifest


def verify_signature(members: dict[str, bytes], secret: bytes | None, bundle_name: str, annotator: str) -> None:
    signature = members.get(SIGNATURE)
    if signature is None:
        raise BundleError(f"{bundle_name} is not signed; refused")
    if secret is None or not hmac.compare_digest(sign(members[MANIFEST], secret), signature.strip()):
        raise BundleError(
            f"{bundle_name}: the signature does not match {annotator}'s key — the bundle was altered, "
            "or it is not from this annotator; refused"
        )
