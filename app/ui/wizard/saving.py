"""The wizard's autosave, which cannot stop while its window is open, and an honest
"Saved" indicator: news from the worker thread reaches the UI thread by queued signals;
a failed save is shown in words and retried by the writer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from shiboken6 import isValid

from app.casework.assessments import draft_autosave
from app.storage import Repository, VaultLockedError
from app.storage.autosave import AutosaveWriter

Show = Callable[..., None]  # show(text, error=False)


LOCKED = "the vault was locked (closed) while this window was open"


def in_words(exc: Exception) -> str:
    """A save failure as a sentence, never a traceback."""
    if isinstance(exc, VaultLockedError):
        return LOCKED
    if isinstance(exc, OSError):
        return f"the vault file could not be written ({exc.strerror or exc})"
    text = str(exc).strip() or type(exc).__name__
    return f"the vault refused the change ({text})"


class DraftSaver(QObject):
    saved = Signal(int)
    failed = Signal(int, str)

    def __init__(self, repo: Repository, assessment_id: int, show: Show, parent: QObject) -> None:
        super().__init__(parent)
        self.repo, self.assessment_id, self.show = repo, assessment_id, show
        self.saved.connect(self._saved)
        self.failed.connect(self._failed)
        self.writer = self._writer()
        self.last_failure: str | None = None  # the newest failed save, in words

    def _writer(self) -> AutosaveWriter:
        return draft_autosave(
            self.repo,
            on_saved=self.saved.emit,
            on_error=lambda i, e: self.failed.emit(i, in_words(e)),
        )

    def submit(self, answers: dict[str, Any], page: int) -> None:
        """Queue the draft; a writer that was stopped is replaced (the window is open)."""
        try:
            self.writer.submit(self.assessment_id, answers, page)
        except RuntimeError:
            self.writer = self._writer()
            self.writer.submit(self.assessment_id, answers, page)

    def unsaved(self, timeout: float) -> str | None:
        """Save what is pending, waiting at most `timeout` seconds (none when the vault is
        closed: nothing can be saved then); None when all is saved, else why not, in words."""
        if self.writer.flush(timeout):
            return None
        if not self.writer.writable:
            return LOCKED
        return self.last_failure or "it is still being written"

    def _saved(self, assessment_id: int) -> None:
        if self.writer.pending:
            # a newer edit is queued (it reports itself), or the worker has not yet marked
            # this batch done: look again shortly, so "Saving…" never sticks
            # (the timer belongs to this saver: it dies with the window, never firing later)
            QTimer.singleShot(150, self, lambda: self._saved(assessment_id))
            return
        self._show(f"Saved ✓ {dt.datetime.now():%H:%M:%S}")

    def _show(self, text: str, *, error: bool = False) -> None:
        """A window closing while a save reports back: nothing is left to tell."""
        owner = getattr(self.show, "__self__", None)
        if isinstance(owner, QObject) and not isValid(owner):
            return  # the status line was deleted with its window
        self.show(text, error=error)

    def _failed(self, _assessment_id: int, message: str) -> None:
        self.last_failure = message
        self._show(
            f"NOT saved: {message}. Trying again every few seconds; keep this window open.",
            error=True,
        )
