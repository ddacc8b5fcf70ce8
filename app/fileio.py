"""Atomic, private file writes and guarded reads of input files.

Writes go to a temporary file (0600) in the same folder, are fsynced, then renamed: a
crash or a full disk leaves either the old file or the new one, never half of one.
Reads refuse what is not a regular file of a sensible size, so a FIFO cannot hang the
program and /dev/zero cannot fill its memory.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    if hasattr(os, "O_DIRECTORY"):
        dir_fd = os.open(path.parent, os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def make_private_dir(path: Path) -> None:
    """Create `path` and any missing parents as 0700 folders (the README's promise: the
    folders the app creates are its user's alone); an existing folder is left as it is."""
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
            if os.name == "posix":
                os.chmod(folder, 0o700)  # whatever the umask
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True)  # raises the right error (a file there)


MAX_INPUT_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64


class InputFileError(ValueError):
    """A file that cannot be taken as input; the message names the file and says why,
    on one line (a file name may hold a line break or other control characters)."""

    def __init__(self, message: str) -> None:
        from app.rules.safe import one_line

        super().__init__(one_line(message))


class _Duplicate(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """A JSON object whose keys are all different: with two "name" keys, the second would
    silently win (a hidden second child name)."""
    out: dict[str, object] = {}
    for key, value in pairs:
        if key in out:
            raise _Duplicate(key)
        out[key] = value
    return out


def _no_constant(name: str) -> object:
    raise _NotANumber(name)


class _NotANumber(ValueError):
    pass


def read_input_bytes(path: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """Bytes of a regular file of at most `limit` bytes.

    Folders, FIFOs and devices (/dev/zero) are refused before reading; the file is opened
    non-blocking so that a FIFO swapped in after the check cannot hang the program.
    """
    path = Path(path)
    try:
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputFileError(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    import stat

    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputFileError(f"{path}: is a folder, not a file")
        raise InputFileError(f"{path}: is not a regular file (a pipe or a device)")
    with os.fdopen(fd, "rb") as handle:
        if info.st_size > limit:
            raise InputFileError(
                f"{path}: is too large ({info.st_size:,} bytes; the limit is {limit:,})"
            )
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise InputFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise InputFileError(f"{path}: is too large (the limit is {limit:,} bytes)")
    return data


def read_json_file(path: Path, limit: int = MAX_INPUT_BYTES) -> object:
    """A JSON document from a file, every failure as an InputFileError in words.

    UTF-8 with or without a byte-order mark; nesting deeper than MAX_DEPTH, numbers
    beyond Python's digit limit, NaN and Infinity, a key twice in one object and text
    that is not valid Unicode (lone surrogates, written as \\ud800 escapes) are refused
    here so no later step meets them.
    """
    import json

    data = read_input_bytes(path, limit)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(f"{path}: is not UTF-8 text (byte {exc.start})") from None
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise InputFileError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except _Duplicate as exc:
        from app.rules.safe import quote

        raise InputFileError(
            f"{path}: the field {quote(exc.args[0])} appears twice in one object "
            "(which one is meant cannot be told)"
        ) from None
    except _NotANumber as exc:
        raise InputFileError(
            f"{path}: {exc.args[0]} is not a number JSON allows (write a number or null)"
        ) from None
    except RecursionError:
        raise InputFileError(
            f"{path}: (case file): nested too deeply (the limit is {MAX_DEPTH} levels)"
        ) from None
    except ValueError:  # an integer of more than 4300 digits
        raise InputFileError(f"{path}: a number in it has far too many digits") from None
    problem = check_json_value(value)
    if problem:
        raise InputFileError(f"{path}: {problem}")
    return value


def check_json_value(value: object) -> str | None:
    """Depth, text and number problems in a decoded JSON value, found without recursion;
    the problem is said as `path: what is wrong`, like every field problem."""
    stack: list[tuple[object, int, str]] = [(value, 1, "")]
    while stack:
        item, depth, where = stack.pop()
        field = where or "(case file)"
        if depth > MAX_DEPTH:
            return f"{field}: nested too deeply (the limit is {MAX_DEPTH} levels)"
        if isinstance(item, dict):
            for key, sub in item.items():
                if not _encodable(key):
                    return f"{field}: a field name in it is not valid text (a lone surrogate)"
                stack.append((sub, depth + 1, f"{where}.{key}" if where else str(key)))
        elif isinstance(item, list):
            stack.extend((sub, depth + 1, f"{where}[{i}]") for i, sub in enumerate(item))
        elif isinstance(item, str):
            if not _encodable(item):
                return f"{field}: is not valid text (a lone surrogate escape)"
        elif isinstance(item, float) and (item != item or item in (float("inf"), float("-inf"))):
            return f"{field}: is not a finite number"
        elif isinstance(item, int) and not isinstance(item, bool) and abs(item) > 10**18:
            return f"{field}: is far too large a number"
    return None


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# -- outputs: never onto the vault, its side files or an input -------------------------------

VAULT_SIDE_SUFFIXES = ("-wal", "-shm", "-journal", ".lock", ".anchor")


class OutputRefused(ValueError):
    """An output path that would overwrite the vault or an input; the message names the
    option and says that nothing was written."""


def vault_family(vault: Path) -> list[Path]:
    """The vault and every file beside it that belongs to it (real paths)."""
    base = Path(os.path.realpath(vault))
    names = [base, *(Path(f"{base}{s}") for s in VAULT_SIDE_SUFFIXES)]
    for temp in (".rekey", ".partial", ".anchor.tmp", ".create"):
        names.append(base.with_name(f".{base.name}{temp}"))
    return names


def _same(a: Path, b: Path) -> bool:
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)  # hard links
    except OSError:
        return False


def looks_like_vault(path: Path) -> bool:
    """Whether an existing file is (or may be) an encrypted vault or a backup of one.

    A vault keeps an anchor or a lock beside it; a vault or backup is whole pages whose
    first 16 bytes are a random salt (or a plain SQLite header), never text, a PDF or JSON.
    """
    path = Path(path)
    if any(Path(f"{path}{s}").exists() for s in (".anchor", ".lock", "-wal")):
        return True
    try:
        size = path.stat().st_size
        if size < 1024 or size % 1024:
            return False
        with open(path, "rb") as handle:
            head = handle.read(16)
    except OSError:
        return False
    if head.startswith(b"SQLite format 3\x00"):
        return True
    if head.startswith((b"%PDF", b"PK\x03\x04")):
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text)


def guard_output(
    out: Path,
    option: str,
    *,
    inputs: tuple[Path | None, ...] | list[Path | None] = (),
    vaults: tuple[Path | None, ...] | list[Path | None] = (),
    folder: bool = False,
) -> None:
    """Refuse an output that would land on a vault (or its -wal, -shm, lock, anchor or
    temporary files), on an input the command reads, or on something that is not a plain
    file (a folder, a FIFO, a device). Real paths are compared and hard links noticed, so a
    symlink or a second name is no way round it. `folder` outputs are folders of files.
    """
    out = Path(out)
    kind = "folder" if folder else "file"
    refusal = f"{option} {out}: {{}}; nothing was written, choose another {kind}"
    for vault in vaults:
        if vault is None:
            continue
        for member in vault_family(Path(vault)):
            if _same(out, member):
                what = (
                    "the vault" if member == vault_family(Path(vault))[0] else "a file of the vault"
                )
                raise OutputRefused(refusal.format(f"that is {what} ({Path(vault).name})"))
    for given in inputs:
        if given is not None and _same(out, Path(given)):
            raise OutputRefused(refusal.format("that is an input of this command"))
    if folder:
        if out.exists() and not out.is_dir():
            raise OutputRefused(refusal.format("that is a file, not a folder"))
        return
    if out.exists() or out.is_symlink():
        import stat

        try:
            mode = os.stat(out).st_mode
        except OSError:
            raise OutputRefused(refusal.format("that is a link to nowhere")) from None
        if stat.S_ISDIR(mode):
            raise OutputRefused(refusal.format("that is a folder"))
        if not stat.S_ISREG(mode):
            raise OutputRefused(refusal.format("that is not a plain file (a pipe or a device)"))
        if looks_like_vault(out):
            raise OutputRefused(refusal.format("that looks like a vault or a vault backup"))


def guard_distinct(outputs: dict[str, Path | None]) -> None:
    """Two outputs of one command on one file: the second would overwrite the first."""
    seen: dict[str, str] = {}
    for option, path in outputs.items():
        if path is None:
            continue
        real = os.path.realpath(path)
        if real in seen:
            raise OutputRefused(
                f"{option} {path}: the same file as {seen[real]}; nothing was written"
            )
        seen[real] = option
