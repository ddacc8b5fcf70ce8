"""Named storage errors: callers show their message; none of them carries personal data."""

from __future__ import annotations


class VaultError(Exception):
    """Base class for every problem opening, reading or writing a vault."""


class WrongPassphraseError(VaultError):
    """The passphrase does not open the vault; `unsure` when damage cannot be ruled out
    (no anchor, or an anchor that no longer matches the file), so the message says both."""

    def __init__(self, unsure: bool = False) -> None:
        text = "Wrong passphrase: the vault was not opened and nothing was changed."
        if unsure:
            text = (
                "Wrong passphrase, or the vault file is damaged: the vault was not opened and "
                "nothing was changed. If you are sure of your passphrase, restore a backup."
            )
        super().__init__(text)


class VaultNotFoundError(VaultError):
    def __init__(self, path: str) -> None:
        super().__init__(f"There is no vault at {path}.")


class VaultExistsError(VaultError):
    def __init__(self, path: str) -> None:
        super().__init__(f"A file already exists at {path}; choose another name.")


class VaultDamagedError(VaultError):
    def __init__(self, path: str, detail: str) -> None:
        super().__init__(
            f"The vault file {path} is damaged ({detail}); your passphrase may be right; "
            "restore a backup. The file has been kept as it is."
        )


class VaultInUseError(VaultError):
    """Another program holds the vault; nothing is wrong with the file."""

    def __init__(self, path: str) -> None:
        super().__init__(
            f"The vault at {path} is in use by another program on this computer. "
            "Close the other CRE Toolkit window or command, then try again."
        )


class VaultWriteError(VaultError):
    """The disk, not the vault: full, read-only or failing (SQLITE_FULL / SQLITE_IOERR)."""

    def __init__(self, path: str) -> None:
        super().__init__(
            f"The vault at {path} could not be written: the disk is full or failing. "
            "Nothing was changed; free some space and try again."
        )


class WeakPassphraseError(VaultError):
    """The passphrase does not meet the minimum; the message says what is needed."""


class VaultLockedError(VaultError):
    def __init__(self) -> None:
        super().__init__("The vault is locked.")


class RecordNotFoundError(VaultError):
    def __init__(self, kind: str, record_id: int) -> None:
        super().__init__(f"No {kind} with id {record_id}.")


class ImmutableRecordError(VaultError):
    def __init__(self, kind: str, record_id: int, status: str) -> None:
        super().__init__(
            f"{kind.capitalize()} {record_id} is {status} and cannot be changed; "
            "start a new version instead."
        )
