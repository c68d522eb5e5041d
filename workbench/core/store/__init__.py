"""The store: every SQL statement of the project file, one module a concept.

Nothing outside this package imports ``sqlite3`` or ``sqlite_utils`` (an
import-linter contract checks it). Functions here run inside the caller's
transaction unless they say otherwise; actions open one per user action.
"""

# First of the store: project.py imports sqlite-utils with pandas and numpy hidden (300-700 ms
# saved on every command and at start-up); a module importing sqlite-utils before it would not.
from workbench.core.store import project as _project  # noqa: F401
