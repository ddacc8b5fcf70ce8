"""The keyed SQLCipher connection: probing the key, connecting, tuning and migrating.

The key is the first statement on every connection and is a raw key (`app.storage.keys`),
so no passphrase text is ever formatted into SQL. Errors are classified once, here:
a wrong passphrase, a vault in use (SQLITE_BUSY) and real damage are never confused.
"""

from __future__ import annotations

import contextlib
import urllib.parse
from importlib import resources
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import StaticPool

from app.storage import keys, pages
from app.storage.errors import (
    VaultDamagedError,
    VaultError,
    VaultInUseError,
    VaultWriteError,
    WrongPassphraseError,
)

PAGE_SIZE = 4096
SQLITE_NOTADB = 26
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_IOERR = 10
SQLITE_FULL = 13


def probe(path: Path, key: keys.RawKey) -> None:
    """Check the key without any chance of writing, honouring a leftover -wal.

    A normal connection with a wrong key still checkpoints a leftover -wal into the file
    when it closes. A `mode=ro` connection reads the WAL (so a main file left half
    checkpointed by a crash is read as SQLite will replay it) but can never checkpoint or
    write the main file or the -wal. It may create a -shm index, which is removed again
    when it did not exist before: nothing of the vault changes on a wrong passphrase.
    """
    shm = Path(f"{path}-shm")
    had_shm = shm.exists()
    uri = f"file:{urllib.parse.quote(str(path.resolve()))}?mode=ro"
    conn = sqlcipher3.connect(uri, uri=True)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f'PRAGMA key = "{key.pragma()}"')
        conn.execute("PRAGMA cipher_compatibility = 4")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
    except sqlcipher3.DatabaseError as exc:
        raise classify(path, key, exc) from None
    finally:
        conn.close()
        if not had_shm:
            with contextlib.suppress(OSError):
                shm.unlink()


def classify(path: Path, key: keys.RawKey, exc: sqlcipher3.DatabaseError) -> VaultError:
    """Wrong passphrase, busy or damaged: page authentication tells the first from the last."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code in (SQLITE_BUSY, SQLITE_LOCKED) or "locked" in str(exc):
        return VaultInUseError(str(path))
    text = str(exc)
    if (code is not None and code & 0xFF in (SQLITE_IOERR, SQLITE_FULL)) or (
        "disk I/O error" in text or "disk is full" in text
    ):
        return VaultWriteError(str(path))
    if code == SQLITE_NOTADB or "not a database" in str(exc):
        if pages.key_fits(path, key):
            return VaultDamagedError(
                str(path), "its first page, which holds the key salt, is damaged"
            )
        return WrongPassphraseError()
    return VaultDamagedError(str(path), str(exc))


def connect(path: Path, key: keys.RawKey, *, check: bool = True) -> sqlcipher3.Connection:
    if check:
        probe(path, key)
    conn = sqlcipher3.connect(str(path), check_same_thread=False, isolation_level=None)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute("PRAGMA cipher_memory_security = ON")
        conn.execute(f'PRAGMA key = "{key.pragma()}"')
        conn.execute("PRAGMA cipher_compatibility = 4")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        raise classify(path, key, exc) from None
    return conn


def tune(conn: sqlcipher3.Connection) -> None:
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")


def looks_damaged(path: Path) -> str | None:
    size = path.stat().st_size
    if size < keys.SALT_BYTES + 64:
        return "the file is too short to be a vault"
    if size % PAGE_SIZE:
        return "the file has been cut short"
    return None


def engine_for(conn: sqlcipher3.Connection, *, immediate: bool = True) -> Engine:
    """An engine over the one keyed connection; each transaction starts BEGIN IMMEDIATE.

    The driver runs in autocommit mode (isolation_level=None) so SQLAlchemy, not the
    driver, decides where transactions start: SQLAlchemy's documented pysqlite recipe.
    """
    engine = create_engine(
        "sqlite://", creator=lambda: conn, poolclass=StaticPool, hide_parameters=True
    )

    @event.listens_for(engine, "begin")
    def _begin(sa_conn: Any) -> None:
        sa_conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


# The newest migration (app/storage/migrations/versions); tests/storage/test_repository.py
# checks it against Alembic's own head, so a new migration cannot be forgotten here.
HEAD_REVISION = "0006"


def migrate(conn: sqlcipher3.Connection, current: str | None = None) -> None:
    """Bring the schema to the newest revision, on the keyed connection itself.

    `current`: the revision the caller read from alembic_version; at the head, Alembic is
    neither imported nor run (~10% of opening a vault, and most of `python -m app`'s
    start-up for a vault command). The write lock is still taken and let go, as the upgrade
    would: a vault another program is writing is "in use" at open, not at the first save."""
    if current == HEAD_REVISION:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return
    from alembic import command
    from alembic.config import Config

    engine = engine_for(conn)
    cfg = Config()
    location = resources.files("app.storage").joinpath("migrations")
    cfg.set_main_option("script_location", str(location))
    with engine.begin() as sa_conn:
        cfg.attributes["connection"] = sa_conn
        command.upgrade(cfg, "head")


def read_only_check(path: Path, key: keys.RawKey) -> list[str]:
    """Both integrity checks on a read-only connection (nothing written, a -shm it made
    removed again): every damaged page of a vault that cannot be opened normally."""
    shm = Path(f"{path}-shm")
    had_shm = shm.exists()
    uri = f"file:{urllib.parse.quote(str(path.resolve()))}?mode=ro"
    problems: list[str] = []
    conn = sqlcipher3.connect(uri, uri=True)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f'PRAGMA key = "{key.pragma()}"')
        conn.execute("PRAGMA cipher_compatibility = 4")
        for sql in ("PRAGMA cipher_integrity_check", "PRAGMA integrity_check"):
            try:
                problems += [str(r[0]) for r in conn.execute(sql).fetchall() if r[0] != "ok"]
            except sqlcipher3.DatabaseError as exc:
                problems.append(f"{sql.split()[1]}: {exc}")
    finally:
        conn.close()
        if not had_shm:
            with contextlib.suppress(OSError):
                shm.unlink()
    return problems


def copy_read_only(source: Path, source_key: keys.RawKey, target: Path, key: keys.RawKey) -> None:
    """Copy a vault file into a new (empty, private) file under `key`, opening the source
    read-only: restoring never writes to the backup (no checkpoint, no page 1 rewrite, no
    lock or anchor beside it), so a backup on read-only media restores as well."""
    from urllib.parse import quote

    conn = sqlcipher3.connect(f"file:{quote(str(target.resolve()))}", uri=True)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute("PRAGMA cipher_memory_security = ON")
        conn.execute(f'PRAGMA key = "{key.pragma()}"')
        conn.execute("PRAGMA cipher_compatibility = 4")
        conn.execute("PRAGMA journal_mode = DELETE")
        uri = f"file:{quote(str(source.resolve()))}?mode=ro"
        try:
            conn.execute("ATTACH DATABASE ? AS source KEY ?", (uri, source_key.pragma()))
            conn.execute("SELECT count(*) FROM source.sqlite_master").fetchall()
        except sqlcipher3.DatabaseError:
            with contextlib.suppress(sqlcipher3.Error):
                conn.execute("DETACH DATABASE source")
            # a read-only folder cannot take a -shm: read the file as it stands
            conn.execute(
                "ATTACH DATABASE ? AS source KEY ?", (uri + "&immutable=1", source_key.pragma())
            )
        try:
            conn.execute("SELECT sqlcipher_export('main', 'source')")
        finally:
            conn.execute("DETACH DATABASE source")
    except sqlcipher3.DatabaseError as exc:
        raise classify(source, source_key, exc) from None
    finally:
        conn.close()
