"""Export a project's annotations as training data: JSONL, CoNLL, spaCy, Hugging Face, brat.

The command line (``workbench-cli export``) and the export dialog call exactly this API:

- :func:`export` writes one format of one source (``gold``, ``annotator:NAME`` or
  ``majority``) with seeded train/dev/test splits by document into a folder, with a data
  card (``README.md``) and a ``manifest.json``; atomically (see :mod:`.run`);
- :func:`parse_split`, :func:`parse_source` check the options and say what is wrong;
- :func:`tokenize` is the offset-keeping Arabic tokenizer the token formats use;
- :data:`FORMATS` and :data:`BOUNDARIES` (from :mod:`.formats`) are the registry of formats
  and boundary policies (name -> :class:`FormatInfo` / :class:`BoundaryInfo`, in order) that
  the command line's choices and help, the dialog and the data card are built from.

spaCy and ``datasets`` are optional: they are imported only when their format is asked
for, and a missing one raises :class:`MissingExtra` naming the extra to install.
No Qt here.
"""

from workbench.core.export.formats import BOUNDARIES, FORMATS, BoundaryInfo, FormatInfo
from workbench.core.export.layers import Source, parse_source
from workbench.core.export.options import (
    BOUNDARY_POLICIES,
    ExportCancelled,
    ExportError,
    ExportOptions,
    ExportReport,
    MissingExtra,
)
from workbench.core.export.run import export
from workbench.core.export.splits import parse_split
from workbench.core.export.tokens import tokenize

__all__ = [
    "BOUNDARIES",
    "BOUNDARY_POLICIES",
    "FORMATS",
    "BoundaryInfo",
    "ExportCancelled",
    "ExportError",
    "ExportOptions",
    "ExportReport",
    "FormatInfo",
    "MissingExtra",
    "Source",
    "export",
    "parse_source",
    "parse_split",
    "tokenize",
]
