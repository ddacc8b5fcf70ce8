"""Crash safety: a writer process is SIGKILLed at random moments, hundreds of times.

The child reports each commit only after `commit()` returned; after every kill the
parent opens the vault and checks that every reported commit is there and that both
integrity checks and the audit chain pass. The KDF cost is lowered here only so that
200 kills fit in the default run; durability does not depend on it.
"""

from __future__ import annotations

import os
import random
import select
import signal
import sys
import time
from pathlib import Path

import pytest

from app.storage import Repository, Vault, WrongPassphraseError

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses fork and SIGKILL")

A = "first fictional passphrase"
B = "second fictional passphrase"


def _child_writer(path: Path, write_fd: int, start: int) -> None:
    try:
        with os.fdopen(write_fd, "w") as out:
            vault = Vault.open(path, A)
            repo = Repository(vault)
            n = start
            while True:
                repo.set_setting(f"k{n:06d}", {"n": n, "text": "fictional " * (n % 7)})
                out.write(f"{n}\n")
                out.flush()
                n += 1
    finally:
        os._exit(0)


def _read_all(fd: int) -> str:
    chunks = []
    while True:
        ready, _, _ = select.select([fd], [], [], 0)
        if not ready:
            break
        data = os.read(fd, 65536)
        if not data:
            break
        chunks.append(data)
    return b"".join(chunks).decode()


def _kill_loop(path: Path, kills: int, seed: int) -> None:
    rng = random.Random(seed)
    reported: set[int] = set()
    start = 0
    for _ in range(kills):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            _child_writer(path, write_fd, start)
        os.close(write_fd)
        time.sleep(rng.uniform(0.0, 0.12))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        text = _read_all(read_fd)
        os.close(read_fd)
        lines = [line for line in text.splitlines() if line.strip()]
        if text and not text.endswith("\n"):
            lines = lines[:-1]  # a half-written report is not a report
        reported.update(int(line) for line in lines)
        with Vault.open(path, A) as vault:
            assert vault.check() == []
            stored = {
                int(r[0][1:]) for r in vault.pragma("SELECT key FROM settings WHERE key LIKE 'k%'")
            }
            missing = reported - stored
            assert not missing, f"reported commits lost: {sorted(missing)[:5]}"
            assert Repository(vault).verify_audit() is None
        start = max(stored | {start}) + 1


@pytest.mark.long
def test_two_hundred_kills_lose_no_reported_commit(tmp_path: Path) -> None:
    path = tmp_path / "vault.cre"
    Vault.create(path, A).close()
    _kill_loop(path, kills=200, seed=1)


@pytest.mark.slow
def test_a_thousand_kills(tmp_path: Path) -> None:
    path = tmp_path / "vault.cre"
    Vault.create(path, A).close()
    _kill_loop(path, kills=1000, seed=2)


def _child_rekeyer(path: Path, write_fd: int) -> None:
    try:
        with os.fdopen(write_fd, "w") as out:
            current = A
            try:
                vault = Vault.open(path, A)
            except WrongPassphraseError:
                vault, current = Vault.open(path, B), B
            while True:
                other = B if current == A else A
                vault.rekey(current, other)
                current = other
                out.write(("A" if current == A else "B") + "\n")
                out.flush()
    finally:
        os._exit(0)


def _opens_with(path: Path, secret: str) -> bool:
    try:
        with Vault.open(path, secret) as vault:
            assert vault.check() == []
            assert Repository(vault).get_setting("marker") == "fictional marker"
        return True
    except WrongPassphraseError:
        return False


def _rekey_loop(path: Path, kills: int, seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(kills):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            _child_rekeyer(path, write_fd)
        os.close(write_fd)
        time.sleep(rng.uniform(0.0, 0.15))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(read_fd)
        works = [_opens_with(path, A), _opens_with(path, B)]
        assert works.count(True) == 1, f"exactly one passphrase must open the vault: {works}"


@pytest.mark.long
def test_passphrase_change_survives_fifty_kills(tmp_path: Path) -> None:
    path = tmp_path / "vault.cre"
    with Vault.create(path, A) as vault:
        Repository(vault).set_setting("marker", "fictional marker")
    _rekey_loop(path, kills=50, seed=3)


@pytest.mark.slow
def test_passphrase_change_survives_three_hundred_kills(tmp_path: Path) -> None:
    path = tmp_path / "vault.cre"
    with Vault.create(path, A) as vault:
        Repository(vault).set_setting("marker", "fictional marker")
    _rekey_loop(path, kills=300, seed=4)
