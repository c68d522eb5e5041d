"""Traces of what went wrong, in the app's log file, even when the process dies.

A Python error reaching the event loop goes through ``sys.excepthook`` (``ui/app.py``
logs it and shows a dialog). What that cannot catch is written here:

- a native crash (a segmentation fault in Qt, an abort): :mod:`faulthandler` writes
  the Python stack of every thread into the log file as the process dies;
- an error in a worker thread (``threading.excepthook``) and an error Python can only
  report as "unraisable" (in a ``__del__``, a callback during teardown);
- Qt's own warnings and fatal messages (``qInstallMessageHandler``).

Every record is flushed as it is written (``logging.FileHandler`` does; the
faulthandler stream is unbuffered), so a log read after a crash holds what led to it.
The app calls :func:`install` once, right after its log file is set up.
"""

from __future__ import annotations

import faulthandler
import logging
import platform
import sys
import threading
from pathlib import Path
from typing import IO, Any

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QtMsgType, qInstallMessageHandler

from workbench import __version__

log = logging.getLogger("workbench")

_stream: IO[str] | None = None  # the faulthandler's file: open for the life of the process

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _qt_message(kind: QtMsgType, context: Any, message: str) -> None:
    level = _QT_LEVELS.get(kind, logging.WARNING)
    if level >= logging.WARNING:
        where = f" ({context.file}:{context.line})" if getattr(context, "file", None) else ""
        logging.getLogger("workbench.qt").log(level, "%s%s", message, where)


def _thread_error(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    log.error(
        "unexpected error in thread %s",
        getattr(args.thread, "name", "?"),
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback),  # type: ignore[arg-type]
    )


def _unraisable(info: Any) -> None:
    log.error(
        "unraisable error (%s) in %r",
        info.err_msg or "exception ignored",
        info.object,
        exc_info=(info.exc_type, info.exc_value, info.exc_traceback),
    )


def install(log_path: Path, *, qt_messages: bool = True) -> None:
    """Send native crashes, thread errors, unraisable errors and Qt's warnings to ``log_path``
    (the file ``setup_logging`` writes to), and note the start of this run in it."""
    global _stream
    if _stream is None:
        _stream = open(log_path, "a", encoding="utf-8", buffering=1)  # noqa: SIM115 (kept open)
    faulthandler.enable(file=_stream, all_threads=True)
    threading.excepthook = _thread_error
    sys.unraisablehook = _unraisable
    if qt_messages:
        qInstallMessageHandler(_qt_message)
    log.info(
        "workbench %s started (Python %s, PySide6 %s, %s); native crashes are traced here",
        __version__,
        platform.python_version(),
        pyside_version,
        platform.platform(),
    )
    for handler in logging.getLogger().handlers:
        handler.flush()
