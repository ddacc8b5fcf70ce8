"""Closing the lid or locking the screen locks the app, where the system says so."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.forms import Registry
from app.rules import new_case
from app.storage import Repository, Vault
from app.ui.main_window import MainWindow
from tests.ui.test_lock import texts_on_screen

PASS = "fictional ui passphrase"


@pytest.mark.parametrize("how", ["sleep", "session lock", "application suspended"])
def test_the_system_going_to_sleep_locks_every_window(
    qtbot: QtBot, registry: Registry, tmp_path: Path, how: str
) -> None:
    path = tmp_path / "sleep.cre"
    vault = Vault.create(path, PASS)
    repo = Repository(vault)
    tk = registry.get("derby-cre-2020")
    data = new_case(tk, dt.date(2026, 6, 1))
    data["child"]["name"] = "Test Child Asleep"
    record = repo.create_case(tk, data)
    seen: dict[str, list[str]] = {}

    def relock() -> Vault:
        seen["screen"] = texts_on_screen()
        seen["visible"] = [w.windowTitle() for w in QApplication.topLevelWidgets() if w.isVisible()]
        return Vault.open(path, PASS)

    window = MainWindow(registry, vault, relock=relock)
    qtbot.addWidget(window)
    window.show()
    window.open_wizard(record.id)
    assert any("Test Child Asleep" in t for t in texts_on_screen())
    watcher = window.suspend
    if how == "sleep":
        watcher.prepare_for_sleep(True)
    elif how == "session lock":
        watcher.session_locked()
    else:
        watcher.application_state(Qt.ApplicationState.ApplicationSuspended)
    qtbot.waitUntil(lambda: "visible" in seen, timeout=3000)
    assert seen["visible"] == []
    assert not any("Test Child" in t for t in seen["screen"])
    restored = lambda: any(w.isVisible() for w in window.windows.windows())  # noqa: E731
    qtbot.waitUntil(restored, timeout=3000)  # unlocked: the assessment is back
    for w in list(window.windows.windows()):
        w.close()
    window.close()
    seen.clear()
    watcher.prepare_for_sleep(True)  # a closed window never locks anything later
    QApplication.processEvents()
    assert seen == {}
    window.vault.close()


EMITTER = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QCoreApplication, QTimer
    from PySide6.QtDBus import QDBusConnection, QDBusMessage
    from app.ui.suspend import SuspendWatcher

    app = QCoreApplication([])
    watcher = SuspendWatcher()
    heard = []
    watcher.sleeping.connect(lambda: heard.append("sleeping"))
    watcher.woke.connect(lambda: heard.append("woke"))
    logind = QDBusConnection.connectToBus(sys.argv[1], "fictional-logind")
    assert logind.registerService("org.freedesktop.login1"), logind.lastError().message()

    def emit(going):
        message = QDBusMessage.createSignal(
            "/org/freedesktop/login1", "org.freedesktop.login1.Manager", "PrepareForSleep"
        )
        message.setArguments([going])
        logind.send(message)

    def lock_screen():
        logind.send(QDBusMessage.createSignal(
            "/org/freedesktop/login1/session/_31", "org.freedesktop.login1.Session", "Lock"
        ))

    QTimer.singleShot(200, lambda: emit(True))
    QTimer.singleShot(400, lambda: emit(False))
    QTimer.singleShot(600, lock_screen)
    QTimer.singleShot(5000, app.quit)
    watcher.sleeping.connect(lambda: len(heard) == 3 and QTimer.singleShot(50, app.quit))
    app.exec()
    print(watcher.listening, heard)
    """
)


@pytest.mark.skipif(not shutil.which("dbus-daemon"), reason="needs dbus-daemon (package dbus)")
def test_logind_announcing_sleep_reaches_the_watcher(tmp_path: Path) -> None:
    """A private bus stands in for the system bus; a fictional logind announces sleep."""
    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert daemon.stdout is not None
        address = daemon.stdout.readline().strip()
        env = {**os.environ, "DBUS_SYSTEM_BUS_ADDRESS": address, "QT_QPA_PLATFORM": "offscreen"}
        done = subprocess.run(
            [sys.executable, "-c", EMITTER, address],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            cwd=Path(__file__).resolve().parents[2],
        )
    finally:
        daemon.terminate()
        daemon.wait(10)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True ['sleeping', 'woke', 'sleeping']"


@pytest.mark.parametrize(
    ("message", "wparam", "heard"),
    [
        (0x0218, 0x0004, ["sleeping"]),  # WM_POWERBROADCAST, PBT_APMSUSPEND
        (0x0218, 0x0012, ["woke"]),  # PBT_APMRESUMEAUTOMATIC
        (0x02B1, 0x0007, ["sleeping"]),  # WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK
        (0x02B1, 0x0008, []),  # WTS_SESSION_UNLOCK: nothing to do
        (0x0200, 0x0004, []),  # a mouse move with the same wParam
    ],
)
def test_windows_power_and_session_messages_reach_the_watcher(
    qtbot: QtBot, message: int, wparam: int, heard: list[str]
) -> None:
    """The MSG Windows would hand Qt, built in memory: what the filter reads from it."""
    import ctypes

    from app.ui.suspend import SuspendWatcher, WindowsMessages, _Msg

    watcher = SuspendWatcher()
    seen: list[str] = []
    watcher.sleeping.connect(lambda: seen.append("sleeping"))
    watcher.woke.connect(lambda: seen.append("woke"))
    msg = _Msg(None, message, wparam)
    handled = WindowsMessages(watcher).nativeEventFilter(
        b"windows_generic_MSG", ctypes.addressof(msg)
    )
    assert handled == (False, 0)  # Qt still gets every message
    assert seen == heard
    WindowsMessages(watcher).nativeEventFilter(b"xcb_generic_event_t", ctypes.addressof(msg))
    assert seen == heard  # other platforms' events are not read as MSGs
