"""The application-wide handler: an exception escaping a slot becomes a message and a log
entry, never a traceback on screen and never a silent end of the program.

PySide6 passes an exception raised in a slot to `sys.excepthook`; the default hook prints
a traceback to the terminal, which a practitioner never sees, and the action just stops.
Here the practitioner is told in words, and the log gets what a developer needs: the
exception's class and where it was raised (files, lines, functions). Never its message
or any value: an exception's text may quote a child's name or an answer.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

import platformdirs
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

APP_NAME = "CRE Toolkit"
MESSAGE = (
    "Something went wrong in the app and that action was stopped. What you have typed "
    "is saved as you type; check the last change you made. A note of where it went wrong "
    "(with no case details) was written to {log}."
)


def log_path() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)) / "errors.log"


def describe(kind: type[BaseException], tb: TracebackType | None) -> str:
    """One log line: time, exception class, and the frames (file:line in function),
    innermost last. Nothing from the exception's message or any variable."""
    frames = [f"{Path(f.filename).name}:{f.lineno} in {f.name}" for f in traceback.extract_tb(tb)]
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{stamp} {kind.__module__}.{kind.__qualname__} at {' <- '.join(reversed(frames))}"


def write_log(line: str, path: Path | None = None) -> Path:
    """Append one line to the error log (0600, its folder 0700); failures are ignored:
    reporting a fault must not raise another."""
    path = path or log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
    except OSError:
        pass
    return path


class Handler:
    """`sys.excepthook` for the app: log, then one message box at a time."""

    def __init__(self, log: Path | None = None) -> None:
        self.log = log
        self.box: QMessageBox | None = None
        self.previous: Callable[..., object] = sys.excepthook

    def __call__(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self.previous(kind, exc, tb)
            return
        where = write_log(describe(kind, tb), self.log)
        if QApplication.instance() is None:
            print(MESSAGE.format(log=where), file=sys.stderr)
            return
        if self.box is not None and self.box.isVisible():
            return  # one message for a burst of failures
        parent: QWidget | None = QApplication.activeWindow()
        box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, MESSAGE.format(log=where))
        if parent is not None:
            box.setParent(parent, box.windowFlags())
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.open()  # not exec(): no nested event loop inside a failing slot
        self.box = box


def install(log: Path | None = None) -> Handler:
    """Make every exception escaping a slot a message and a log entry; one escaping a
    worker thread a log entry (a window must not be made outside the GUI thread; the
    runner that started it reports its failure in words)."""
    import threading

    handler = Handler(log)
    sys.excepthook = handler

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        write_log(describe(args.exc_type, args.exc_traceback), handler.log)

    threading.excepthook = thread_hook
    return handler
