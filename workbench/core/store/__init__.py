"""The store: every SQL statement of the project file, one module a concept.

Nothing outside this package imports ``sqlite3`` or ``sqlite_utils`` (an
import-linter contract checks it). Functions here run inside the caller's
transaction unless they say otherwise; actions open one per user action.
"""
