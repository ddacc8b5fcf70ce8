"""Qt-free autosave: edits are queued from the UI thread and committed on a worker.

`submit()` returns at once; the worker coalesces rapid edits to one assessment and
commits within `max_delay` seconds of the first pending edit (default 0.5 s, inside
the one-second promise). `flush()` blocks until everything submitted is durable, which
locking and closing call first. A failed save is reported through `on_error`, and the
edit stays pending so the next flush retries it: nothing is dropped silently.

A closed (locked) vault takes no save, so nothing waits for one: `flush()` returns False at
once and `stop()` leaves the worker to end by itself. Waiting once held a window closing
for two 5 s flushes after the vault had gone; the caller says in words what is not saved.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from app.storage.repository import Repository

Saved = Callable[[int], None]
Failed = Callable[[int, Exception], None]
Save = Callable[[int, dict[str, Any], int | None], object]


class AutosaveWriter:
    def __init__(
        self,
        repo: Repository,
        *,
        on_saved: Saved | None = None,
        on_error: Failed | None = None,
        quiet: float = 0.2,
        max_delay: float = 0.5,
        save: Save | None = None,
    ) -> None:
        """`save` writes one draft (default: the repository's own); the app passes
        casework's, so a typed draft is saved by the same function the command line uses."""
        self._repo = repo
        self._save: Save = save or repo.save_draft
        self._on_saved = on_saved
        self._on_error = on_error
        self._quiet, self._max_delay = quiet, max_delay
        self._pending: dict[int, tuple[dict[str, Any], int | None]] = {}
        self._first: float | None = None
        self._last = 0.0
        self._cond = threading.Condition()
        self._busy = False
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="autosave", daemon=True)
        self._thread.start()

    def submit(self, assessment_id: int, answers: dict[str, Any], page: int | None = None) -> None:
        with self._cond:
            if self._stopped:
                raise RuntimeError("autosave has been stopped")
            self._pending[assessment_id] = (answers, page)
            stamp = time.monotonic()
            self._first = self._first or stamp
            self._last = stamp
            self._cond.notify_all()

    @property
    def writable(self) -> bool:
        """Whether a save can succeed at all: a closed (locked) vault takes none."""
        return self._repo.vault.is_open

    def flush(self, timeout: float = 10.0) -> bool:
        """Write everything now; True when nothing is left pending. False at once when the
        vault is closed: no wait can save anything then."""
        deadline = time.monotonic() + timeout
        with self._cond:
            self._first = 0.0  # due immediately
            self._cond.notify_all()
            while (self._pending or self._busy) and self.writable and time.monotonic() < deadline:
                self._cond.wait(0.05)
            return not self._pending and not self._busy

    def stop(self, timeout: float = 10.0) -> None:
        """Flush, then end the worker; an edit that still cannot be saved was reported.
        With the vault closed the worker is not waited for: it makes its last attempt
        (which fails at once) and ends by itself."""
        saved = self.flush(timeout)
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        if saved or self.writable:
            self._thread.join(timeout=5)

    @property
    def pending(self) -> bool:
        with self._cond:
            return bool(self._pending) or self._busy

    def _due(self) -> bool:
        if not self._pending or self._first is None:
            return False
        now = time.monotonic()
        return now - self._last >= self._quiet or now - self._first >= self._max_delay

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._stopped and not self._due():
                    self._cond.wait(0.05)
                if self._stopped and not self._pending:
                    return
                batch, self._pending = self._pending, {}
                self._first = None
                self._busy = True
            failed: dict[int, tuple[dict[str, Any], int | None]] = {}
            for assessment_id, (answers, page) in batch.items():
                try:
                    self._save(assessment_id, answers, page)
                except Exception as exc:  # reported, and kept for the next attempt
                    failed[assessment_id] = (answers, page)
                    if self._on_error:
                        self._on_error(assessment_id, exc)
                else:
                    if self._on_saved:
                        self._on_saved(assessment_id)
            with self._cond:
                for key, value in failed.items():
                    self._pending.setdefault(key, value)
                if failed:  # back off about a second before retrying
                    self._last = self._first = time.monotonic() + 1.0
                self._busy = False
                self._cond.notify_all()
                if failed and self._stopped:
                    return
