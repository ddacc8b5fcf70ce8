"""Lock before the laptop sleeps or its screen locks, where the system says so.

A practitioner closes the lid between visits: whoever opens it next must not find a
child's details on screen. Qt reports an application being suspended (mobile platforms,
some desktops); on Linux, logind announces sleep (`PrepareForSleep`) and a locked
session (`Lock`) on the system bus. Where none of these is available (no bus, Windows),
the idle lock on the wall clock still locks on the first check after waking, and a wake
(`PrepareForSleep(false)`) makes that check at once.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import SLOT, QObject, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication

LOGIND = "org.freedesktop.login1"


class SuspendWatcher(QObject):
    """Emits `sleeping` when the system is about to sleep or lock, `woke` after sleep."""

    sleeping = Signal()
    woke = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self.application_state)
        self.listening = self._listen_to_logind()

    def _listen_to_logind(self) -> bool:
        """True when the system bus is there and the signals are subscribed to."""
        try:
            from PySide6.QtDBus import QDBusConnection
        except ImportError:  # a Qt build without D-Bus (Windows, macOS)
            return False
        bus = QDBusConnection.systemBus()
        if not bus.isConnected():
            return False
        # PySide6 wants the SLOT() string at run time; its stubs say bytes, which it refuses
        connect: Any = bus.connect
        manager = "/org/freedesktop/login1"
        asleep = connect(
            LOGIND, manager, f"{LOGIND}.Manager", "PrepareForSleep", self,
            SLOT("prepare_for_sleep(bool)"),
        )  # fmt: skip
        # every session's Lock (an empty path matches any): locking too often is safe
        locked = connect(LOGIND, "", f"{LOGIND}.Session", "Lock", self, SLOT("session_locked()"))
        return bool(asleep or locked)

    @Slot(Qt.ApplicationState)
    def application_state(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationSuspended:
            self.sleeping.emit()

    @Slot(bool)
    def prepare_for_sleep(self, going: bool) -> None:
        (self.sleeping if going else self.woke).emit()

    @Slot()
    def session_locked(self) -> None:
        self.sleeping.emit()
