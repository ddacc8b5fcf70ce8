"""Private files and folders (0600 in 0700; the user's profile on Windows), and fsync.

SQLite creates the -wal and -shm with the main file's permissions, so a vault created
0600 keeps all three private. On Windows the files inherit the per-user profile's ACL
(platformdirs places the vault there); chmod only clears the read-only bit there.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
SIDE_FILES = ("-wal", "-shm", "-journal", ".lock", ".anchor")


def private_dir(path: Path) -> None:
    """Create a folder 0700 (with its missing parents); an existing folder is left alone."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=DIR_MODE, exist_ok=True)
        with contextlib.suppress(OSError):
            os.chmod(folder, DIR_MODE)  # mkdir's mode is reduced by the umask


def private_create(path: Path) -> int:
    """A new empty file, 0600 from the first moment; refuses to follow or reuse a file."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    return os.open(path, flags, FILE_MODE)


def touch_private(path: Path) -> None:
    os.close(private_create(path))


def tighten(vault: Path) -> None:
    """Make an existing vault and its side files 0600 (vaults made before this rule), and
    the app's own data folder 0700; a folder the user chose is theirs and left alone."""
    from app.storage.paths import data_dir

    with contextlib.suppress(OSError):
        if vault.parent.resolve() == data_dir().resolve():
            os.chmod(vault.parent, DIR_MODE)
    for p in (vault, *(Path(f"{vault}{s}") for s in SIDE_FILES)):
        with contextlib.suppress(OSError):
            if p.is_file() and (p.stat().st_mode & 0o777) != FILE_MODE:
                os.chmod(p, FILE_MODE)


def vault_files(vault: Path) -> set[Path]:
    """Every file that belongs to a vault: a backup may go onto none of them."""
    from app.fileio import vault_family

    return set(vault_family(vault))


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    if hasattr(os, "O_DIRECTORY"):
        fd = os.open(path, os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
