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

from workbench.core.lazy import lazy_getattr

# Imported on first use (PEP 562): the window and the command line import the registry
# or one name at start-up without loading every writer and numpy with it.
_LAZY = {
    "BOUNDARIES": "workbench.core.export.formats",
    "FORMATS": "workbench.core.export.formats",
    "BoundaryInfo": "workbench.core.export.formats",
    "FormatInfo": "workbench.core.export.formats",
    "Source": "workbench.core.export.layers",
    "parse_source": "workbench.core.export.layers",
    "BOUNDARY_POLICIES": "workbench.core.export.options",
    "ExportCancelled": "workbench.core.export.options",
    "ExportError": "workbench.core.export.options",
    "ExportOptions": "workbench.core.export.options",
    "ExportReport": "workbench.core.export.options",
    "MissingExtra": "workbench.core.export.options",
    "export": "workbench.core.export.run",
    "parse_split": "workbench.core.export.splits",
    "tokenize": "workbench.core.export.tokens",
}


__getattr__ = lazy_getattr(__name__, _LAZY, globals())

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
