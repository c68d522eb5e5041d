"""Bundles: one file each way between the lead and an annotator, with no network.

A bundle is a zip of JSON and JSON Lines members with a manifest (format
version, project id, kind, annotator, creation time, the SHA-256 of every
document's text and of every member). A project bundle (lead to annotator)
carries the schema, guidelines and that annotator's documents, signed with the
lead's key; a work bundle (annotator to lead) carries their spans, deletions,
statuses and change log, signed with the annotator's key (Ed25519 over the
manifest; see :mod:`workbench.core.bundles.signing` for keys, trust on first use
and the format-1 bundles signed with a shared secret). No executable content,
and no SQLite file from another machine, is ever opened.
"""

FORMAT = "workbench-bundle"
# 1: work bundles signed with HMAC-SHA256 (a secret sent in the project bundle), project
#    bundles unsigned. 2: both signed with Ed25519, the public key in the manifest's "signer".
FORMAT_VERSION = 2
PROJECT, WORK = "project", "work"
