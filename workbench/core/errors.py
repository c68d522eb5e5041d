"""Errors whose message is meant for the user, not for a developer."""


class WorkbenchError(Exception):
    """Base class: ``str(error)`` is a complete sentence a user can act on."""


class ProjectError(WorkbenchError):
    """The project file cannot be opened or used (wrong file, newer version, locked)."""


class RefusedInput(WorkbenchError):
    """An input file (or one record of it) is refused; nothing of it was imported."""

    def __init__(self, reason: str, path: str | None = None):
        self.reason = reason
        self.path = path
        super().__init__(f"{path}: {reason}" if path else reason)
