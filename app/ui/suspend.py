"""Lock before the laptop sleeps or its screen locks, where the system says so.

A practitioner closes the lid between visits: whoever opens it next must not find a
child's details on screen. Qt reports an application being suspended (mobile platforms,
some desktops); on Linux, logind announces sleep (`PrepareForSleep`) and a locked
session (`Lock`) on the system bus; on Windows, every top-level window is sent
WM_POWERBROADCAST before sleep, and WM_WTSSESSION_CHANGE when the session locks once the
window has asked for it. Where none of these is available, the idle lock on the wall
clock still locks on the first check after waking, and a wake makes that check at once.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import SLOT, QAbstractNativeEventFilter, QObject, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

LOGIND = "org.freedesktop.login1"
WM_POWERBROADCAST, PBT_APMSUSPEND, PBT_RESUMED = 0x0218, 0x0004, (0x0007, 0x0012)
WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK = 0x02B1, 0x0007


class _Msg(ctypes.Structure):
    """The head of a Win32 MSG (hwnd, message, wParam), laid out as Windows lays it out."""

    _fields_ = (
        ("hwnd", ctypes.c_void_p),
        ("message", ctypes.c_uint),
        ("wParam", ctypes.c_size_t),  # WPARAM is pointer-sized
    )


class WindowsMessages(QAbstractNativeEventFilter):
    """Hands the power and session messages Windows sends to the watcher."""

    def __init__(self, watcher: SuspendWatcher) -> None:
        super().__init__()
        self.watcher = watcher

    def nativeEventFilter(self, event_type: Any, message: Any) -> Any:
        if bytes(event_type) == b"windows_generic_MSG" and message:
            msg = _Msg.from_address(int(message))
            self.watcher.windows_message(int(msg.message), int(msg.wParam))
        return False, 0


class SuspendWatcher(QObject):
    """Emits `sleeping` when the system is about to sleep or lock, `woke` after sleep."""

    sleeping = Signal()
    woke = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self.application_state)
        self.windows_filter: WindowsMessages | None = None
        if sys.platform == "win32" and app is not None:
            self.windows_filter = WindowsMessages(self)
            app.installNativeEventFilter(self.windows_filter)
        self.listening = self._listen_to_logind() or self.windows_filter is not None

    def watch_session_of(self, window: QWidget) -> None:
        """Windows tells a window its session locked only after it asks (WTS API)."""
        if sys.platform == "win32":
            wtsapi = ctypes.WinDLL("wtsapi32")  # type: ignore[attr-defined,unused-ignore]
            wtsapi.WTSRegisterSessionNotification(ctypes.c_void_p(int(window.winId())), 0)

    def windows_message(self, message: int, wparam: int) -> None:
        if message == WM_POWERBROADCAST and wparam == PBT_APMSUSPEND:
            self.sleeping.emit()
        elif message == WM_POWERBROADCAST and wparam in PBT_RESUMED:
            self.woke.emit()
        elif message == WM_WTSSESSION_CHANGE and wparam == WTS_SESSION_LOCK:
            self.sleeping.emit()

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
