"""Faults at the Nth write SQLite makes, through SQLite's own test hook.

SQLite's unix VFS makes every write to a database, its -wal and its journals through
one entry ("pwrite": glibc's pwrite64) in a table of system calls that `xSetSystemCall` may replace (the
way SQLite's own test suite injects I/O faults). `arm()` puts a counting wrapper there:
at write N it kills the process with SIGKILL before the write happens (as strace's
`inject=pwrite64:signal=SIGKILL:when=N` does), or from write N on it fails every write
with ENOSPC without writing (as `error=ENOSPC:when=N+`). Nothing is traced, so a run
costs what the command costs. The sweeps check once per fixture that the count here
equals strace's count of `pwrite64` system calls in a fresh `python -c` of the same
command: the same writes, so the same positions.
"""

from __future__ import annotations

import ctypes
import errno
import os
import signal
from typing import Any

_SYSCALL = ctypes.CFUNCTYPE(None)  # sqlite3_syscall_ptr: void (*)(void)
_PWRITE = ctypes.CFUNCTYPE(
    ctypes.c_ssize_t, ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int64,
    use_errno=True,
)  # fmt: skip


class _Vfs(ctypes.Structure):
    pass


_METHODS = (
    "xOpen", "xDelete", "xAccess", "xFullPathname", "xDlOpen", "xDlError", "xDlSym",
    "xDlClose", "xRandomness", "xSleep", "xCurrentTime", "xGetLastError", "xCurrentTimeInt64",
)  # fmt: skip
_SET = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(_Vfs), ctypes.c_char_p, _SYSCALL)
_GET = ctypes.CFUNCTYPE(_SYSCALL, ctypes.POINTER(_Vfs), ctypes.c_char_p)
_Vfs._fields_ = [  # sqlite3.h's struct sqlite3_vfs, version 3
    ("iVersion", ctypes.c_int),
    ("szOsFile", ctypes.c_int),
    ("mxPathname", ctypes.c_int),
    ("pNext", ctypes.POINTER(_Vfs)),
    ("zName", ctypes.c_char_p),
    ("pAppData", ctypes.c_void_p),
    *[(name, ctypes.c_void_p) for name in _METHODS],
    ("xSetSystemCall", _SET),
    ("xGetSystemCall", _GET),
    ("xNextSystemCall", ctypes.c_void_p),
]

_state: dict[str, Any] = {"writes": 0, "kill": None, "fail_from": None}
_keep: list[Any] = []  # the wrapper must outlive every call SQLite makes through it


def _library() -> ctypes.CDLL:
    """The SQLCipher build inside sqlcipher3 (dlopen of a loaded library is that library)."""
    import sqlcipher3._sqlite3 as native

    lib = ctypes.CDLL(native.__file__)
    lib.sqlite3_vfs_find.restype = ctypes.POINTER(_Vfs)
    lib.sqlite3_vfs_find.argtypes = [ctypes.c_char_p]
    return lib


def _address(vfs: _Vfs, name: bytes) -> int | None:
    return ctypes.cast(vfs.xGetSystemCall(ctypes.byref(vfs), name), ctypes.c_void_p).value


def arm(kill: int | None = None, fail_from: int | None = None) -> None:
    """Count SQLite's writes from now; SIGKILL at write `kill`, or ENOSPC from write
    `fail_from` on. Call once per process (the forked child of a sweep)."""
    vfs = _library().sqlite3_vfs_find(None).contents
    assert vfs.iVersion >= 3, "this SQLite cannot replace its system calls"
    # "pwrite": glibc's pwrite64 in a build with 64-bit offsets (the system call strace
    # names pwrite64); older builds list "pwrite64" separately
    name = next(n for n in (b"pwrite64", b"pwrite") if _address(vfs, n))
    real = _PWRITE(_address(vfs, name) or 0)
    _state.update(writes=0, kill=kill, fail_from=fail_from)

    def pwrite64(fd: int, buf: int, count: int, offset: int) -> int:
        _state["writes"] += 1
        n = _state["writes"]
        if n == _state["kill"]:
            os.kill(os.getpid(), signal.SIGKILL)
        if _state["fail_from"] is not None and n >= _state["fail_from"]:
            ctypes.set_errno(errno.ENOSPC)
            return -1
        return int(real(fd, buf, count, offset))

    wrapper = _PWRITE(pwrite64)
    _keep.extend([real, wrapper])
    pointer = ctypes.cast(wrapper, _SYSCALL)
    assert vfs.xSetSystemCall(ctypes.byref(vfs), name, pointer) == 0


def writes() -> int:
    """SQLite's writes since `arm()`."""
    return int(_state["writes"])
