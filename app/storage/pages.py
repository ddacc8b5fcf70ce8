"""Read-only checks of SQLCipher 4 page authentication, without opening SQLite.

SQLCipher 4 ends every page with a 16-byte IV and an HMAC-SHA512 over the page's
ciphertext, the IV and the page number (little-endian). The HMAC key comes from the
encryption key by PBKDF2-HMAC-SHA512 (2 iterations) with the salt XOR 0x3a. If any page
of the file or its -wal authenticates under a key, that key is the vault's key: this
tells a damaged first page apart from a wrong passphrase, reading bytes only.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
from pathlib import Path

from app.storage import keys

PAGE_SIZE = 4096
HMAC_BYTES = 64
WAL_HEADER = 32
FRAME_HEADER = 24
MAX_PAGES = 16


def _hmac_key(key: keys.RawKey) -> bytes:
    salt = bytes(b ^ 0x3A for b in key.salt)
    return hashlib.pbkdf2_hmac("sha512", bytes(key.key), salt, 2, 32)


def page_authenticates(page: bytes, pgno: int, hmac_key: bytes) -> bool:
    """True when `page` (one whole page) carries a valid SQLCipher 4 HMAC for `pgno`."""
    if len(page) != PAGE_SIZE or pgno < 1:
        return False
    body = page[keys.SALT_BYTES if pgno == 1 else 0 : PAGE_SIZE - HMAC_BYTES]
    mac = hmac.new(hmac_key, body + struct.pack("<I", pgno), hashlib.sha512).digest()
    return hmac.compare_digest(mac, page[PAGE_SIZE - HMAC_BYTES :])


def key_fits(path: Path, key: keys.RawKey) -> bool:
    """Whether any of the first pages of the vault, or of its -wal, authenticates under key."""
    hk = _hmac_key(key)
    try:
        with open(path, "rb") as handle:
            for pgno in range(1, MAX_PAGES + 1):
                page = handle.read(PAGE_SIZE)
                if len(page) < PAGE_SIZE:
                    break
                if page_authenticates(page, pgno, hk):
                    return True
        wal = Path(f"{path}-wal")
        if wal.is_file():
            with open(wal, "rb") as handle:
                handle.seek(WAL_HEADER)
                for _ in range(MAX_PAGES):
                    header = handle.read(FRAME_HEADER)
                    page = handle.read(PAGE_SIZE)
                    if len(header) < FRAME_HEADER or len(page) < PAGE_SIZE:
                        break
                    if page_authenticates(page, struct.unpack(">I", header[:4])[0], hk):
                        return True
    except OSError:
        return False
    return False
