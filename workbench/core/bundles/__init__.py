"""Bundles: one file each way between the lead and an annotator, with no network.

A bundle is a zip of JSON and JSON Lines members with a manifest (format
version, project id, kind, annotator, creation time, the SHA-256 of every
document's text and of every member). A project bundle (lead to annotator)
carries the schema, guidelines, that annotator's documents and their secret; a
work bundle (annotator to lead) carries their spans, deletions, statuses and
change log, signed with HMAC-SHA256 over the manifest. No executable content,
and no SQLite file from another machine, is ever opened.
"""

FORMAT = "workbench-bundle"
FORMAT_VERSION = 1
PROJECT, WORK = "project", "work"
