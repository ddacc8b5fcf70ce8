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
