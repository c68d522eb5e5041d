"""Guard against PySide6 6.12.0's bug on CPython 3.11: a reference to None dropped per void call.

With that version the count falls by one per call and the process later dies
with 'Fatal Python error: none_dealloc'. pyproject.toml pins <6.12; this test
fails if an upgrade brings the bug back.
"""

import sys

from PySide6.QtCore import QObject

CALLS = 100_000


def test_void_qt_calls_keep_the_reference_count_of_none():
    obj = QObject()
    obj.setObjectName("warm-up")
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        QObject().setObjectName("x")
    after = sys.getrefcount(None)
    # Unrelated code may take or drop a handful of references; the bug drops 100,000.
    assert abs(after - before) < 100, f"sys.getrefcount(None) moved by {after - before} over {CALLS} calls"
