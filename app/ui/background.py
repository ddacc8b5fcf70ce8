"""Work off the UI thread (issue 20): progress after 100 ms, Cancel, and the outcome in words.

No Qt signal crosses threads: the worker writes into its `Job` (plain attribute writes,
atomic in CPython; `finished` set last) and a timer in the window reads it every 50 ms
while the job runs, so a worker that outlives its window (closed, or the app locked)
talks to no deleted object. A cancelled job's result is never used: the worker stops at
its next `step` if it has one, and whatever it still makes is dropped.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QWidget

from app.stats import Cancelled
from app.stats.report import Progress

REVEAL_S = 0.1  # a job that takes longer shows its progress and a Cancel button
POLL_MS = 50  # how often the window looks at what the worker has got to


class Job:
    """What one worker has got to: `percent` of `phase` (None: not measured, a busy bar),
    and at the end its `result` or a `failure` sentence."""

    def __init__(self, phase: str, *, measured: bool = True) -> None:
        self.cancel = threading.Event()  # set by the window: stop at the next step
        self.finished = threading.Event()  # set by the worker, whatever the outcome
        self.started = time.monotonic()
        self.phase = phase
        self.percent: int | None = 0 if measured else None
        self.result: Any = None
        self.failure: str | None = None

    def step(self, phase: str, first: int = 0, share: int = 100) -> Progress:
        """A progress callback for one phase, filling `share` per cent from `first`;
        it raises `Cancelled` once the window has cancelled the job."""

        def report(done: int, steps: int) -> None:
            if self.cancel.is_set():
                raise Cancelled
            self.phase, self.percent = phase, first + share * done // max(steps, 1)

        return report


class Background:
    """Runs one job at a time for a window, showing `bar` and `cancel` when it is slow and
    the outcome in `message`; `busy(True/False)` lets the window disable what must wait."""

    def __init__(
        self,
        owner: QWidget,
        bar: QProgressBar,
        cancel: QPushButton,
        message: QLabel,
        busy: Callable[[bool], None],
    ) -> None:
        self.bar, self.cancel_button, self.message, self.busy = bar, cancel, message, busy
        self.job: Job | None = None
        self.thread: threading.Thread | None = None
        self._done: Callable[[Any], None] = lambda _: None
        self._after_failure: Callable[[str], None] = lambda _: None
        self._patient = False
        self._waiting = self._cancelled = ""
        self._timer = QTimer(owner)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._look)
        bar.hide()
        cancel.hide()
        cancel.clicked.connect(self.cancel)

    @property
    def running(self) -> bool:
        return self.job is not None

    def start(
        self,
        job: Job,
        work: Callable[[Job], Any],
        *,
        done: Callable[[Any], None],
        failed: Callable[[Exception], str],
        waiting: str,
        cancelled: str,
        after_failure: Callable[[str], None] | None = None,
        patient: bool = False,
    ) -> None:
        """Run `work(job)` on a worker thread; `done(result)` on the UI thread when it
        ends; `failed(exc)` (on the worker) turns an exception into the sentence shown,
        then `after_failure(sentence)` runs on the UI thread.

        `patient`: Cancel asks the worker to stop and waits for its own outcome (an export
        that had already written its files says so), instead of dropping the result."""

        def target() -> None:
            try:
                job.result = work(job)
            except Cancelled:
                pass  # the window has already said so
            except Exception as exc:  # every failure becomes a sentence in the window
                job.failure = failed(exc)
            finally:
                job.finished.set()

        self.job, self._done, self._waiting, self._cancelled = job, done, waiting, cancelled
        self._after_failure = after_failure or (lambda _: None)
        self._patient = patient
        self.busy(True)
        self.bar.setRange(0, 100 if job.percent is not None else 0)  # 0, 0: a busy bar
        self.bar.setValue(0)
        self._timer.start()
        self.thread = threading.Thread(target=target, name="background", daemon=True)
        self.thread.start()

    def cancel(self) -> None:
        """Stop the job: its worker stops at its next step, and its result is dropped."""
        if self.job is None:
            return
        self.job.cancel.set()
        if self._patient:  # the worker's own outcome follows
            self.cancel_button.setEnabled(False)
            self.message.setText(self._cancelled)
            return
        self._end()
        self.message.setText(self._cancelled)

    def _end(self) -> None:
        self.job = None
        self._timer.stop()
        self.bar.hide()
        self.cancel_button.hide()
        self.cancel_button.setEnabled(True)
        self.busy(False)

    def _look(self) -> None:
        """Every 50 ms while a job runs: the outcome, or its progress once it is slow."""
        job = self.job
        if job is None:
            self._timer.stop()
            return
        if job.finished.is_set():
            self._end()
            if job.failure is not None:
                self.message.setText(job.failure)
                self._after_failure(job.failure)
            else:
                self._done(job.result)
            return
        if time.monotonic() - job.started < REVEAL_S:
            return
        if self.bar.isHidden():
            self.bar.show()
            self.cancel_button.show()
            self.message.setText(self._waiting)
        if job.percent is not None:
            self.bar.setFormat(f"{job.phase} %p%")
            self.bar.setValue(job.percent)
