"""Who made a bundle: Ed25519 key pairs, signatures over the manifest, fingerprints.

Each side makes its own key pair on its own machine and never sends the private
half: the lead's project makes one the first time it writes a project bundle,
an annotator's copy when it is made from its project bundle (or, for a copy made
before keys existed, when it writes its next work bundle). A bundle carries the
public key in its manifest (``signer``) and a signature of the manifest bytes;
the receiving side pins the first key it sees for that sender (trust on first
use, as SSH does) and refuses a later bundle signed by another key until someone
re-pins it on purpose, having compared fingerprints by voice.

Bundles of format 1 were signed with HMAC-SHA256 and a secret that travelled
inside the project bundle, so anyone holding that file could sign as the
annotator. They are still read (:data:`HMAC`) for annotators who have not yet
sent a bundle signed with a key; once a key is pinned they are refused.

Library: ``cryptography`` (PyCA), for its maintained, audited Ed25519 and its
wheels on every platform the desktop bundle targets.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ED25519, HMAC = "ed25519", "hmac-sha256"
_KEY_BYTES = 32
_HEX_KEY = re.compile(r"[0-9a-f]{64}")


def _private(private_key: str | None = None) -> Ed25519PrivateKey:
    """``private_key`` (hex) as a key object, or a fresh one. ``cryptography`` is imported here,
    when a bundle is signed or checked, not when the window starts."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    if private_key is None:
        return Ed25519PrivateKey.generate()
    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(private_key))


def new_private_key() -> str:
    """A fresh private key, as 64 hex digits (it stays in the project file that made it)."""
    return _private().private_bytes_raw().hex()


def public_key(private_key: str) -> str:
    """The public half of ``private_key``, as 64 hex digits."""
    return _private(private_key).public_key().public_bytes_raw().hex()


def is_public_key(value: object) -> bool:
    return isinstance(value, str) and _HEX_KEY.fullmatch(value) is not None


def sign(manifest: bytes, private_key: str) -> bytes:
    """The signature member: ``manifest`` signed with ``private_key``, base64 (ASCII)."""
    signature = _private(private_key).sign(manifest)
    return base64.b64encode(signature)


def verifies(manifest: bytes, signature: bytes, public: str) -> bool:
    """Whether ``signature`` (the member, base64) is ``manifest`` signed by ``public``'s private key."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if not is_public_key(public):
        return False
    try:
        raw = base64.b64decode(signature.strip(), validate=True)
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public)).verify(raw, manifest)
    except (InvalidSignature, ValueError):
        return False
    return True


def fingerprint(public: str) -> str:
    """What two people read to each other to compare a key: the first 128 bits of its
    SHA-256, as eight groups of four hex digits (``3f9a 0c12 …``)."""
    digest = hashlib.sha256(bytes.fromhex(public)).hexdigest()[:32]
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


def same_fingerprint(typed: str, public: str) -> bool:
    """Whether ``typed`` (spaces, colons and case ignored) is ``public``'s fingerprint."""
    clean = re.sub(r"[\s:]", "", typed or "").lower()
    return hmac.compare_digest(clean, fingerprint(public).replace(" ", ""))


def hmac_sign(manifest: bytes, secret: bytes) -> bytes:
    """A format-1 signature: HMAC-SHA256 of the manifest with the shared secret, hex."""
    return hmac.new(secret, manifest, hashlib.sha256).hexdigest().encode("ascii")


def hmac_verifies(manifest: bytes, signature: bytes, secret: bytes) -> bool:
    return hmac.compare_digest(hmac_sign(manifest, secret), signature.strip())
