"""Open, create, lock, back up and rekey an encrypted vault (SQLCipher 4 via sqlcipher3).

One long-lived keyed connection serves the whole app (SQLAlchemy `StaticPool`), guarded
by a re-entrant lock so the autosave thread and the UI thread never interleave a
transaction. The key is the first statement on the connection and is a raw key
(`app.storage.keys`), so no passphrase text is ever formatted into SQL.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
import urllib.parse
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from app.storage import keys, pages
from app.storage.errors import (
    VaultDamagedError,
    VaultError,
    VaultExistsError,
    VaultInUseError,
    VaultLockedError,
    VaultNotFoundError,
    WrongPassphraseError,
)

PAGE_SIZE = 4096
SQLITE_NOTADB = 26


SQLITE_BUSY = 5
SQLITE_LOCKED = 6


def _probe(path: Path, key: keys.RawKey) -> None:
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
        raise _classify(path, key, exc) from None
    finally:
        conn.close()
        if not had_shm:
            with contextlib.suppress(OSError):
                shm.unlink()


def _classify(path: Path, key: keys.RawKey, exc: sqlcipher3.DatabaseError) -> VaultError:
    """Wrong passphrase, busy or damaged: page authentication tells the first from the last."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code in (SQLITE_BUSY, SQLITE_LOCKED) or "locked" in str(exc):
        return VaultInUseError(str(path))
    if code == SQLITE_NOTADB or "not a database" in str(exc):
        if pages.key_fits(path, key):
            return VaultDamagedError(
                str(path), "its first page, which holds the key salt, is damaged"
            )
        return WrongPassphraseError()
    return VaultDamagedError(str(path), str(exc))


def _connect(path: Path, key: keys.RawKey) -> sqlcipher3.Connection:
    if path.exists():
        _probe(path, key)
    conn = sqlcipher3.connect(str(path), check_same_thread=False, isolation_level=None)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute("PRAGMA cipher_memory_security = ON")
        conn.execute(f'PRAGMA key = "{key.pragma()}"')
        conn.execute("PRAGMA cipher_compatibility = 4")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        raise _classify(path, key, exc) from None
    return conn


def _tune(conn: sqlcipher3.Connection) -> None:
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")


def _looks_damaged(path: Path) -> str | None:
    size = path.stat().st_size
    if size < keys.SALT_BYTES + 64:
        return "the file is too short to be a vault"
    if size % PAGE_SIZE:
        return "the file has been cut short"
    return None


def engine_for(conn: sqlcipher3.Connection) -> Engine:
    """An engine over the one keyed connection; each transaction starts BEGIN IMMEDIATE.

    The driver runs in autocommit mode (isolation_level=None) so SQLAlchemy, not the
    driver, decides where transactions start: SQLAlchemy's documented pysqlite recipe.
    """
    engine = create_engine(
        "sqlite://", creator=lambda: conn, poolclass=StaticPool, hide_parameters=True
    )

    @event.listens_for(engine, "begin")
    def _begin(sa_conn: Any) -> None:
        sa_conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def migrate(conn: sqlcipher3.Connection) -> None:
    """Bring the schema to the newest revision, on the keyed connection itself."""
    from alembic import command
    from alembic.config import Config

    engine = engine_for(conn)
    cfg = Config()
    location = resources.files("app.storage").joinpath("migrations")
    cfg.set_main_option("script_location", str(location))
    with engine.begin() as sa_conn:
        cfg.attributes["connection"] = sa_conn
        command.upgrade(cfg, "head")


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Vault:
    """An unlocked vault. `close()` (locking) drops the connection and the key."""

    def __init__(self, path: Path, conn: sqlcipher3.Connection, key: keys.RawKey) -> None:
        self.path = path
        self._conn: sqlcipher3.Connection | None = conn
        self._key: keys.RawKey | None = key
        self.lock = threading.RLock()
        self.engine: Engine = engine_for(conn)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    # -- opening ---------------------------------------------------------------------
    @classmethod
    def create(cls, path: Path | str, passphrase: str) -> Vault:
        path = Path(path)
        keys.check_strength(passphrase)
        if path.exists():
            raise VaultExistsError(str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        key = keys.new_key(passphrase)
        conn = _connect(path, key)
        _tune(conn)
        migrate(conn)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # page 1 (with the salt) on disk now
        vault = cls(path, conn, key)
        from app.storage.audit import append

        with vault.session() as s:
            append(s, "created", "vault", None, {})
        return vault

    @classmethod
    def open(cls, path: Path | str, passphrase: str) -> Vault:
        path = Path(path)
        if not path.is_file():
            raise VaultNotFoundError(str(path))
        damage = _looks_damaged(path)
        if damage:
            raise VaultDamagedError(str(path), damage)
        key = keys.derive(passphrase, keys.salt_of(path))
        conn = _connect(path, key)
        try:
            _tune(conn)
            migrate(conn)
        except sqlcipher3.DatabaseError as exc:
            conn.close()
            raise VaultDamagedError(str(path), exc.__class__.__name__) from None
        return cls(path, conn, key)

    # -- use -------------------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return self._conn is not None

    def _require(self) -> sqlcipher3.Connection:
        if self._conn is None:
            raise VaultLockedError()
        return self._conn

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits on success, rolls back on any error."""
        with self.lock:
            self._require()
            with self._sessions.begin() as s:
                yield s

    def pragma(self, sql: str) -> list[tuple[Any, ...]]:
        with self.lock:
            rows: list[tuple[Any, ...]] = self._require().execute(sql).fetchall()
            return rows

    def check(self) -> list[str]:
        """Both integrity checks; an empty list means the file is sound."""
        problems: list[str] = []
        for sql in ("PRAGMA cipher_integrity_check", "PRAGMA integrity_check"):
            try:
                problems += [str(row[0]) for row in self.pragma(sql) if row[0] != "ok"]
            except sqlcipher3.DatabaseError as exc:
                problems.append(f"{sql.split()[1]}: {exc}")
        return problems

    def close(self) -> None:
        """Lock: checkpoint, close the connection, forget the key."""
        with self.lock:
            if self._conn is None:
                return
            with contextlib.suppress(sqlcipher3.Error):
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.engine.dispose()
            self._conn.close()
            self._conn = None
            self._key = None

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- copies ----------------------------------------------------------------------
    def _export_to(self, target: Path, key: keys.RawKey) -> None:
        conn = self._require()
        conn.execute("ATTACH DATABASE ? AS export KEY ?", (str(target), key.pragma()))
        try:
            conn.execute("SELECT sqlcipher_export('export')")
        finally:
            conn.execute("DETACH DATABASE export")

    def backup(self, target: Path | str) -> Path:
        """An encrypted copy (same passphrase) made by SQLCipher's export, never a file copy."""
        target = Path(target)
        tmp = target.with_name(f".{target.name}.partial")
        with self.lock:
            assert self._key is not None
            tmp.unlink(missing_ok=True)
            try:
                self._export_to(tmp, self._key)
                _fsync(tmp)
                os.replace(tmp, target)
            finally:
                tmp.unlink(missing_ok=True)
        from app.storage.audit import append

        with self.session() as s:
            append(s, "exported", "vault", None, {"what": "backup", "where": str(target)})
        return target

    def rekey(self, old_passphrase: str, new_passphrase: str) -> None:
        """Change the passphrase: export to a new file under the new key, then rename.

        A crash before the rename leaves the old file (old passphrase); after it, the new
        file (new passphrase): never a mixture.
        """
        keys.check_strength(new_passphrase)
        with self.lock:
            assert self._key is not None
            if keys.derive(old_passphrase, self._key.salt).key != self._key.key:
                raise WrongPassphraseError()
            from app.storage.audit import append

            with self.session() as s:
                append(s, "passphrase changed", "vault", None, {})
            new_key = keys.new_key(new_passphrase)
            tmp = self.path.with_name(f".{self.path.name}.rekey")
            tmp.unlink(missing_ok=True)
            self._require().execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._export_to(tmp, new_key)
            _fsync(tmp)
            self.close()
            os.replace(tmp, self.path)
            _fsync_dir(self.path.parent)
            for suffix in ("-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            conn = _connect(self.path, new_key)
            _tune(conn)
            self.__init__(self.path, conn, new_key)  # type: ignore[misc]


def restore(backup: Path | str, target: Path | str, passphrase: str) -> Path:
    """Restore a backup to a new path, proving the passphrase opens it first."""
    backup, target = Path(backup), Path(target)
    if target.exists():
        raise VaultExistsError(str(target))
    with Vault.open(backup, passphrase) as source:
        problems = source.check()
        if problems:
            raise VaultDamagedError(str(backup), problems[0])
        tmp = target.with_name(f".{target.name}.partial")
        tmp.unlink(missing_ok=True)
        assert source._key is not None
        with source.lock:
            source._export_to(tmp, source._key)
        _fsync(tmp)
        os.replace(tmp, target)
    with Vault.open(target, passphrase) as restored:
        from app.storage.audit import append

        with restored.session() as s:
            append(s, "imported", "vault", None, {"what": "restore", "from": str(backup)})
    return target


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    if hasattr(os, "O_DIRECTORY"):
        fd = os.open(path, os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


__all__ = ["Vault", "VaultError", "migrate", "now", "restore"]
