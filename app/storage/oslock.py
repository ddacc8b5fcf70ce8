"""One process at a time per vault: an OS lock on a side file, held while unlocked.

`flock` (Linux, macOS) and `msvcrt.locking` (Windows) locks belong to the open file,
so the kernel drops them when the process dies: a crash never leaves a stale lock.
The lock is on `<vault>.lock`, not on the vault itself, because SQLite's own POSIX
locks on the vault would be released by any close of another descriptor on it, and
because a passphrase change replaces the vault file by a rename.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from pathlib import Path

from app.storage.errors import VaultInUseError


def lock_path(vault: Path) -> Path:
    return vault.with_name(f"{vault.name}.lock")


class VaultLock:
    """An exclusive, non-blocking lock; `acquire()` raises VaultInUseError when held."""

    def __init__(self, vault: Path) -> None:
        self.vault = vault
        self.path = lock_path(vault)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> VaultLock:
        if self._fd is not None:
            return self
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                return self  # read-only media: nothing here can write the vault either
            raise
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            raise VaultInUseError(str(self.vault)) from None
        if not _still_linked(fd, self.path):
            # the holder removed the file as we opened it: lock the new one instead
            _unlock(fd)
            os.close(fd)
            return self.acquire()
        self._fd = fd
        return self

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                if sys.platform != "win32":
                    with contextlib.suppress(OSError):
                        self.path.unlink()  # still locked: anyone who opened it re-checks
                _unlock(fd)
            finally:
                os.close(fd)


def _still_linked(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except OSError:
        return False


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
