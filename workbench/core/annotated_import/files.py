"""Reading an annotated file's bytes and text with errors a user understands.

Which files an import reads is :func:`workbench.core.sources.discover`, for plain and
annotated imports alike; a :class:`Unit` is one of the :class:`~workbench.core.sources.InputFile`
it finds.
"""

from __future__ import annotations

from workbench.core.errors import RefusedInput
from workbench.core.sources import InputFile, read_bytes
from workbench.core.text.decoding import decode

Unit = InputFile

__all__ = ["Unit", "read_bytes", "read_text"]


def read_text(path: str, what: str = "the file") -> tuple[str, str, bool]:
    """``(text, encoding, had_bom)`` of a text file; empty and binary files are refused."""
    data = read_bytes(path)
    if not data.strip():
        raise RefusedInput(f"{what} is empty" if not data else f"{what} contains only whitespace")
    text, encoding = decode(data)
    had_bom = encoding in ("utf-8-sig", "utf-16-le", "utf-16-be") and data[:2] in (
        b"\xef\xbb",
        b"\xff\xfe",
        b"\xfe\xff",
    )
    return text, encoding, had_bom
