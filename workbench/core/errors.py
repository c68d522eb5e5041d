"""Errors whose message is meant for the user, not for a developer.

Every failure a user can cause (a bad file, a bad argument, a name or a value
that does not fit) raises a :class:`WorkbenchError` subclass whose ``str`` is a
complete sentence they can act on. The command line turns these into
``Error: ...`` and exit status 1 in one place; the window shows them in a
dialog. Anything else escaping is a bug.
"""


class WorkbenchError(Exception):
    """Base class: ``str(error)`` is a complete sentence a user can act on."""


class ProjectError(WorkbenchError):
    """The project file cannot be opened or used (wrong file, newer version, locked)."""


class InvalidInput(WorkbenchError, ValueError):
    """A value the user gave does not fit: a name, a label, a status, an option.

    Also a ``ValueError``, so code that validates values can catch either.
    """


class NotFound(WorkbenchError, LookupError):
    """A document, span or annotator named by the user does not exist in the project."""


class RefusedInput(WorkbenchError):
    """An input file (or one record of it) is refused; nothing of it was imported."""

    def __init__(self, reason: str, path: str | None = None):
        self.reason = reason
        self.path = path
        super().__init__(f"{path}: {reason}" if path else reason)
