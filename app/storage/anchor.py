"""The audit head (entry number + MAC) kept beside the vault, to notice a vault gone back.

A rolled-back vault (an older copy put in place, a -wal cut short or flipped so SQLite
stops replaying it, the newest audit rows deleted) still has a valid chain. The anchor
file `<vault>.anchor` records the newest committed head; it is written after each commit,
so it can lag behind the vault after a crash (harmless) but is never ahead of it unless
the vault lost committed changes. What it cannot catch: someone who replaces the vault
and its anchor together with an older pair, or deletes the anchor (it is then re-made
from the vault at the next unlock and `vault check` says so).

The anchor also keeps the vault's key salt (the file's first 16 bytes, not a secret: they
are stored in the clear in the vault). A vault whose salt no longer matches, but whose
pages authenticate under the passphrase with the anchored salt, has a damaged header, not
a wrong passphrase: the anchor is what tells the two apart.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path


def anchor_path(vault: Path) -> Path:
    return vault.with_name(f"{vault.name}.anchor")


@dataclass(frozen=True)
class Head:
    seq: int
    mac: str
    salt: str = ""  # hex of the vault's key salt when the head was written ("" if unknown)


def read(vault: Path) -> Head | None:
    try:
        data = json.loads(anchor_path(vault).read_text("utf-8"))
        return Head(int(data["seq"]), str(data["mac"]), str(data.get("salt") or ""))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def anchored_salt(vault: Path) -> bytes | None:
    """The key salt the anchor recorded, if it recorded one."""
    head = read(vault)
    if head is None or not head.salt:
        return None
    try:
        return bytes.fromhex(head.salt)
    except ValueError:
        return None


def write(vault: Path, head: Head) -> None:
    """Atomic and private; a failure (full disk, power cut) only leaves the anchor behind."""
    from app.storage.files import private_create

    target = anchor_path(vault)
    tmp = target.with_name(f".{target.name}.tmp")
    with contextlib.suppress(OSError):
        tmp.unlink(missing_ok=True)
        fd = private_create(tmp)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"seq": head.seq, "mac": head.mac, "salt": head.salt}, handle)
        os.replace(tmp, target)  # no fsync: the commit it follows is already durable, and
        # an anchor lost to a power cut only lags behind (never ahead), which is harmless
    with contextlib.suppress(OSError):
        tmp.unlink(missing_ok=True)


def compare(anchored: Head | None, mac_at: str | None, newest: int) -> str | None:
    """What went wrong, in words, or None. `mac_at` is the vault's MAC at `anchored.seq`."""
    if anchored is None:
        return None
    if anchored.seq > newest:
        missing = anchored.seq - newest
        return (
            f"the last {missing} change{'s are' if missing != 1 else ' is'} missing: the vault "
            "file or its -wal went back in time (an older copy, a crash-damaged or edited file)"
        )
    if mac_at != anchored.mac:
        return (
            f"audit entry {anchored.seq} is not the one recorded when it was written: "
            "the vault was replaced by another copy or rewritten"
        )
    return None
