"""Open, create, lock, back up and rekey an encrypted vault (SQLCipher 4 via sqlcipher3).

One long-lived keyed connection serves the whole app (SQLAlchemy `StaticPool`), guarded
by a re-entrant lock so the autosave thread and the UI thread never interleave a
transaction. While a vault is unlocked its process holds an OS lock on it
(`app.storage.oslock`): one program at a time, so no other program's save is ever lost.
Every commit that adds audit entries also moves the anchor (`app.storage.anchor`).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from app.storage import anchor, audit, bindings, files, keys, pages
from app.storage.clock import now
from app.storage.connection import (
    classify,
    connect,
    copy_read_only,
    engine_for,
    looks_damaged,
    migrate,
    probe,
    read_only_check,
    tune,
)
from app.storage.errors import (
    VaultDamagedError,
    VaultError,
    VaultExistsError,
    VaultLockedError,
    VaultNotFoundError,
    WrongPassphraseError,
)
from app.storage.oslock import VaultLock

WARNING = "integrity warning"


def _audit_key(conn: sqlcipher3.Connection) -> bytearray:
    row = conn.execute("SELECT value FROM vault_meta WHERE name = 'audit_key'").fetchone()
    return bytearray(row[0]) if row else bytearray(32)


def _leftovers(path: Path) -> None:
    """Remove what an interrupted rekey, backup or restore left (only ever under the lock)."""
    temps = (".rekey", ".partial", ".anchor.tmp", ".create")
    for name in (f".{path.name}{t}" for t in temps):
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                path.with_name(name + suffix).unlink(missing_ok=True)


def _revision(conn: sqlcipher3.Connection) -> str | None:
    """The schema revision before migrating (None for a vault not yet migrated)."""
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlcipher3.DatabaseError:
        return None
    return str(row[0]) if row else None


def _stub(path: Path) -> bool:
    """An empty file with no anchor: what a create killed before this version left."""
    try:
        return path.is_file() and path.stat().st_size == 0 and anchor.read(path) is None
    except OSError:
        return False


class Vault:
    """An unlocked vault. `close()` (locking) drops the connection and wipes the keys."""

    def __init__(
        self,
        path: Path,
        conn: sqlcipher3.Connection,
        key: keys.RawKey,
        oslock: VaultLock | None = None,
    ) -> None:
        self.path = path
        self.lock = threading.RLock()
        self.warnings: list[str] = []
        self._active: Session | None = None
        self._oslock = oslock
        self._attach(conn, key)

    def _attach(self, conn: sqlcipher3.Connection, key: keys.RawKey) -> None:
        self._conn: sqlcipher3.Connection | None = conn
        self._key: keys.RawKey | None = key
        self._audit_key = _audit_key(conn)
        self.engine: Engine = engine_for(conn)
        self._sessions = sessionmaker(
            self.engine, expire_on_commit=False, info={audit.KEY_INFO: self._audit_key}
        )
        bindings.install(self._sessions)
        self._read_engine: Engine = engine_for(conn, immediate=False)
        self._readers = sessionmaker(self._read_engine, info={audit.KEY_INFO: self._audit_key})

    def _detach(self) -> None:
        """Checkpoint and close the connection, then overwrite the keys in memory."""
        if self._conn is None:
            return
        with contextlib.suppress(sqlcipher3.Error):
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.engine.dispose()
        self._read_engine.dispose()
        self._conn.close()
        self._conn = None
        if self._key is not None:
            self._key.wipe()
        self._key = None
        self._audit_key[:] = bytes(len(self._audit_key))

    # -- opening ---------------------------------------------------------------------
    @classmethod
    def create(cls, path: Path | str, passphrase: str) -> Vault:
        """A new vault, made whole under a temporary name and then linked into place: a
        kill at any moment leaves either no vault or a complete one (with its "created"
        audit entry), never a stub that a second `create` would refuse."""
        path = Path(path)
        keys.check_strength(passphrase)
        files.private_dir(path.parent)
        path = Path(os.path.realpath(path))
        if path.exists() and not _stub(path):
            raise VaultExistsError(str(path))
        oslock = VaultLock(path).acquire()
        try:
            if path.exists():
                if not _stub(path):
                    raise VaultExistsError(str(path))
                for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                    p.unlink(missing_ok=True)  # what an older, killed create left
            _leftovers(path)
            key = keys.new_key(passphrase)
            tmp = path.with_name(f".{path.name}.create")
            files.touch_private(tmp)
            try:
                conn = connect(tmp, key, check=False)
                try:
                    tune(conn)
                    migrate(conn)
                    engine = engine_for(conn)
                    audit_key = _audit_key(conn)
                    with Session(engine, info={audit.KEY_INFO: audit_key}) as s, s.begin():
                        row = audit.append(s, "created", "vault", None, {})
                        head = anchor.Head(row.id, row.hash, key.salt.hex())
                    audit_key[:] = bytes(len(audit_key))
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # all on disk
                    engine.dispose()
                finally:
                    conn.close()
                files.fsync_file(tmp)
                os.link(tmp, path)  # never over a file that appeared meanwhile
                files.fsync_dir(path.parent)
            finally:
                for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), Path(f"{tmp}-journal")):
                    p.unlink(missing_ok=True)
            anchor.write(path, head)
            conn = connect(path, key, check=False)
            tune(conn)
            vault = cls(path, conn, key, oslock)
        except BaseException:
            oslock.release()
            raise
        return vault

    @classmethod
    def open(cls, path: Path | str, passphrase: str) -> Vault:
        """Unlock the vault at `path`. Everything after this works on its real path, so
        a vault reached through a link is locked by one name, and a rekey, backup or
        restore changes the real file while the link stays a link."""
        if not Path(path).is_file():
            raise VaultNotFoundError(str(path))
        path = Path(os.path.realpath(path))
        oslock = VaultLock(path).acquire()
        try:
            _leftovers(path)
            files.tighten(path)
            damage = looks_damaged(path)
            if damage:
                raise VaultDamagedError(str(path), damage)
            key, current = cls._find_key(path, passphrase)
            conn = connect(path, key)
            try:
                tune(conn)
                revision = _revision(conn)
                migrate(conn, revision)
                upgraded = revision is not None and revision != _revision(conn)
            except sqlcipher3.DatabaseError as exc:
                conn.close()
                raise classify(path, key, exc) from None
            vault = cls(path, conn, key, oslock)
        except BaseException:
            oslock.release()
            raise
        try:
            if not current:
                vault._rekey_to(keys.new_key(passphrase), "passphrase protection upgraded")
            vault._compare_anchor(upgraded)
        except BaseException:
            vault.close()
            raise
        return vault

    @staticmethod
    def _find_key(path: Path, passphrase: str) -> tuple[keys.RawKey, bool]:
        """The key that authenticates the vault's pages: current settings first, then older."""
        salt = keys.salt_of(path)
        first: keys.RawKey | None = None
        for key, current in keys.candidates(passphrase, salt):
            if pages.key_fits(path, key):
                if first is not None and first is not key:
                    first.wipe()
                return key, current
            if first is None:
                first = key
            else:
                key.wipe()
        assert first is not None
        try:
            probe(path, first)  # raises WrongPassphraseError, VaultInUseError or damage
        except WrongPassphraseError:
            first.wipe()
            raise Vault._diagnose(path, passphrase, salt) from None
        return first, True

    @staticmethod
    def _diagnose(path: Path, passphrase: str, salt: bytes) -> VaultError:
        """No key fits: a wrong passphrase, or a damaged header? The anchor tells.

        The anchor recorded the key salt. If the file's salt differs and the passphrase
        with the anchored salt authenticates the pages, the first 16 bytes were damaged
        and the passphrase is right. If the salt is the anchored one, the passphrase is
        wrong. Without an anchored salt, both are possible and the message says so.
        """
        anchored = anchor.anchored_salt(path)
        if anchored is None:
            return WrongPassphraseError(unsure=True)
        if anchored == salt:
            return WrongPassphraseError()
        for key, _current in keys.candidates(passphrase, anchored):
            try:
                if pages.key_fits(path, key):
                    return VaultDamagedError(
                        str(path),
                        "its first 16 bytes, the key salt, were changed",
                    )
            finally:
                key.wipe()
        return WrongPassphraseError(unsure=True)

    def _compare_anchor(self, upgraded: bool = False) -> None:
        """Notice a vault gone back in time; record it in the trail, then anchor afresh."""
        anchored = anchor.read(self.path)
        with self.session() as s:
            head = audit.head(s)
            mac_at = audit.hash_at(s, anchored.seq) if anchored else None
            if anchored and mac_at != anchored.mac:  # a purge re-chained the audit (h28)
                from app.storage.purge import remapped

                mac_at = anchored.mac if remapped(s, anchored) == mac_at else mac_at
            problem = anchor.compare(anchored, mac_at, head[0] if head else 0)
            if not problem:
                bindings.bind_all_if_needed(s, upgraded=upgraded)
            if problem:
                self.warnings.append(problem)
                audit.append(s, WARNING, "vault", None, {"problem": problem})
            elif head and (
                anchored is None or anchored.seq != head[0] or anchored.salt != self._salt_hex()
            ):
                s.info["audit_head"] = head

    # -- use -------------------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return self._conn is not None

    def _require(self) -> sqlcipher3.Connection:
        if self._conn is None:
            raise VaultLockedError()
        return self._conn

    def _require_key(self) -> keys.RawKey:
        if self._key is None:
            raise VaultLockedError()
        return self._key

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits on success, rolls back on any error.

        Inside another unit of work (same thread: the lock is held for its whole length)
        it joins that one as a savepoint: its own error undoes only its part, and nothing
        is committed until the outermost unit ends. So a caller can make many repository
        steps one transaction (an import of many cases and their documents).
        """
        with self.lock:
            self._require()
            outer = self._active
            if outer is not None:
                with outer.begin_nested():
                    yield outer
                return
            with self._sessions.begin() as s:
                self._active = s
                try:
                    yield s
                finally:
                    self._active = None
            head = s.info.pop("audit_head", None)
            if head:
                anchor.write(self.path, anchor.Head(head[0], head[1], self._salt_hex()))

    def _salt_hex(self) -> str:
        return self._key.salt.hex() if self._key is not None else ""

    def transaction(self) -> contextlib.AbstractContextManager[Session]:
        """One transaction for everything done inside it, through any repository call."""
        return self.session()

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only unit of work (a deferred BEGIN, always rolled back): it works on a
        vault that SQLCipher has turned read-only after finding a damaged page, so that
        `vault check` can still read the audit trail and the records."""
        with self.lock:
            self._require()
            if self._active is not None:
                yield self._active
                return
            with self._readers() as s:
                try:
                    yield s
                finally:
                    s.rollback()

    def pragma(self, sql: str) -> list[tuple[Any, ...]]:
        with self.lock:
            rows: list[tuple[Any, ...]] = self._require().execute(sql).fetchall()
            return rows

    def check(self) -> list[str]:
        """Both integrity checks and the anchor; an empty list means the file is sound."""
        problems: list[str] = []
        for sql in ("PRAGMA cipher_integrity_check", "PRAGMA integrity_check"):
            try:
                problems += [str(row[0]) for row in self.pragma(sql) if row[0] != "ok"]
            except sqlcipher3.DatabaseError as exc:
                problems.append(f"{sql.split()[1]}: {exc}")
        return problems

    def require_sound_pages(self) -> None:
        """Refuse to add to a vault with a damaged page (every page's HMAC checked): new
        records written beside damage would be lost with it at the restore it needs."""
        try:
            found = [str(r[0]) for r in self.pragma("PRAGMA cipher_integrity_check")]
        except sqlcipher3.DatabaseError as exc:
            found = [str(exc)]
        if found:
            raise VaultDamagedError(str(self.path), found[0])

    def history_problems(self) -> list[str]:
        """Roll-backs noticed at this or an earlier unlock (recorded in the audit trail)."""
        with self.reading() as s:
            return [f"noticed at unlock on {at}: {what}" for at, what in audit.recorded(s, WARNING)]

    def full_check(self) -> CheckReport:
        """Everything `vault check` reports, gathered without ever failing: the audit trail
        and the records are read first (read-only), then every page is authenticated and
        the b-trees checked. A damaged page is a finding, never an error."""
        report = CheckReport()
        with self.reading() as s:
            report.audit = _guarded(lambda: [str(b) for b in audit.verify_all(s)], "audit trail")
            report.records = _guarded(lambda: bindings.record_problems(s), "records")
        report.history = _guarded(self.history_problems, "integrity warnings")
        report.pages = self.check()
        return report

    def close(self) -> None:
        """Lock: checkpoint, close the connection, wipe the keys, release the OS lock."""
        with self.lock:
            self._detach()
            if self._oslock is not None:
                self._oslock.release()
                self._oslock = None

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

    def export_copy(self, target: Path | str) -> Path:
        """An encrypted copy under the same key, written privately and atomically.

        Made by SQLCipher's export (never a file copy, so it is always consistent). The
        vault's own files are refused as targets: copying onto them would destroy it.
        """
        given, target = Path(target), Path(os.path.realpath(target))
        if target in files.vault_files(self.path) or files.same_file(target, self.path):
            raise VaultError(
                f"{given} is the vault itself or one of its files; choose another place."
            )
        if not target.parent.is_dir():
            raise VaultError(f"There is no folder {target.parent}; create it first.")
        tmp = target.with_name(f".{target.name}.partial")
        with self.lock:
            key = self._require_key()
            tmp.unlink(missing_ok=True)
            try:
                files.touch_private(tmp)
                self._export_to(tmp, key)
                files.fsync_file(tmp)
                os.replace(tmp, target)
                files.fsync_dir(target.parent)
            finally:
                tmp.unlink(missing_ok=True)
        return target

    def backup(self, target: Path | str) -> Path:
        """An encrypted copy (same passphrase), audited."""
        target = self.export_copy(target)
        with self.session() as s:
            audit.append(s, "exported", "vault", None, {"what": "backup", "where": str(target)})
        return target

    def confirm(self, passphrase: str) -> bool:
        """Whether this is the open vault's passphrase: asked again before signing and
        exporting, so an unlocked laptop left for a minute cannot send a child's file."""
        with self.lock:
            key = self._require_key()
            salt = key.salt
        given = keys.derive(passphrase, salt)  # the slow part, outside the lock
        try:
            with self.lock:
                return self._key is not None and given.same_key(self._key)
        finally:
            given.wipe()

    def rekey(self, old_passphrase: str, new_passphrase: str) -> None:
        """Change the passphrase; the audit entry is written into the new file only."""
        keys.check_strength(new_passphrase)
        with self.lock:
            key = self._require_key()
            given = keys.derive(old_passphrase, key.salt)
            try:
                if not given.same_key(key):
                    raise WrongPassphraseError()
            finally:
                given.wipe()
            self._rekey_to(keys.new_key(new_passphrase), "passphrase changed")

    def _rekey_to(self, new_key: keys.RawKey, action: str) -> None:
        """Export under the new key, record the change inside that copy, then rename it in.

        A crash before the rename leaves the old file (old passphrase, no entry); after
        it, the new file with its entry: never a mixture, never an entry for a change
        that did not happen. Leftovers are removed at the next unlock.
        """
        with self.lock:
            conn = self._require()
            tmp = self.path.with_name(f".{self.path.name}.rekey")
            _leftovers(self.path)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            files.touch_private(tmp)
            self._export_to(tmp, new_key)
            fresh = connect(tmp, new_key, check=False)
            try:
                tune(fresh)
                engine = engine_for(fresh)
                with Session(engine, info={audit.KEY_INFO: self._audit_key}) as s, s.begin():
                    row = audit.append(s, action, "vault", None, {})
                    head = anchor.Head(row.id, row.hash, new_key.salt.hex())
                fresh.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                engine.dispose()
            finally:
                fresh.close()
            files.fsync_file(tmp)
            self._detach()
            os.replace(tmp, self.path)
            files.fsync_dir(self.path.parent)
            for suffix in ("-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self._attach(connect(self.path, new_key), new_key)
            tune(self._require())
            anchor.write(self.path, head)


@dataclass
class CheckReport:
    """What `vault check` found, by kind; empty lists everywhere mean the vault is sound."""

    pages: list[str] = field(default_factory=list)
    audit: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
    records: list[str] = field(default_factory=list)

    @property
    def damaged(self) -> bool:
        return bool(self.pages)

    @property
    def ok(self) -> bool:
        return not (self.pages or self.audit or self.history or self.records)


def _guarded(step: Callable[[], list[str]], what: str) -> list[str]:
    """A check step's findings; a page it could not read is itself a finding."""
    try:
        return step()
    except (sqlcipher3.Error, DBAPIError) as exc:
        return [f"{what}: cannot be read ({getattr(exc, 'orig', None) or exc})"]


def inspect(path: Path | str, passphrase: str) -> list[str]:
    """The damaged pages of a vault too damaged to open, read without writing anything.

    Only for a vault whose key is known to fit (some page authenticates); the file is
    opened read-only, so checking it never changes it.
    """
    path = Path(path)
    salt = keys.salt_of(path)
    candidates = [salt]
    anchored = anchor.anchored_salt(path)
    if anchored and anchored != salt:
        candidates.append(anchored)
    for candidate in candidates:
        for key, _current in keys.candidates(passphrase, candidate):
            try:
                if pages.key_fits(path, key):
                    return read_only_check(path, key)
            finally:
                key.wipe()
    return []


def _backup_key(backup: Path, passphrase: str) -> keys.RawKey:
    """The key that authenticates the backup's pages, found by reading bytes only."""
    salt = keys.salt_of(backup)
    for key, _current in keys.candidates(passphrase, salt):
        if pages.key_fits(backup, key):
            return key
        key.wipe()
    raise WrongPassphraseError(unsure=True)


def restore(backup: Path | str, target: Path | str, passphrase: str) -> Path:
    """Restore a backup to a new path, proving the passphrase opens it first.

    The backup is only ever read: its pages are authenticated and checked on a
    read-only connection and copied from one, so nothing beside it or in it changes.
    The copy is made under a temporary name and renamed into place, then opened
    (migrated, anchored) and the restore recorded in its audit trail.
    """
    backup, target = Path(backup), Path(os.path.realpath(target))
    if not backup.is_file():
        raise VaultNotFoundError(str(backup))
    if target.exists() or files.same_file(backup, target):
        raise VaultExistsError(str(target))
    damage = looks_damaged(backup)
    if damage:
        raise VaultDamagedError(str(backup), damage)
    files.private_dir(target.parent)
    source_key = _backup_key(backup, passphrase)
    try:
        problems = read_only_check(backup, source_key)
        if problems:
            raise VaultDamagedError(str(backup), problems[0])
        oslock = VaultLock(target).acquire()
        tmp = target.with_name(f".{target.name}.partial")
        try:
            _leftovers(target)
            if target.exists():
                raise VaultExistsError(str(target))
            files.touch_private(tmp)
            copy_read_only(backup, source_key, tmp, source_key)  # the backup's own key
            files.fsync_file(tmp)
            os.link(tmp, target)  # never over a file that appeared meanwhile
            files.fsync_dir(target.parent)
        finally:
            tmp.unlink(missing_ok=True)
            oslock.release()
    finally:
        source_key.wipe()
    with Vault.open(target, passphrase) as restored, restored.session() as s:
        audit.append(s, "imported", "vault", None, {"what": "restore", "from": str(backup)})
    return target


__all__ = ["Vault", "VaultError", "migrate", "now", "restore"]
