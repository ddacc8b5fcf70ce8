"""Named storage errors: callers show their message; none of them carries personal data."""

from __future__ import annotations


class VaultError(Exception):
    """Base class for every problem opening, reading or writing a vault."""


class WrongPassphraseError(VaultError):
    def __init__(self) -> None:
        super().__init__("Wrong passphrase: the vault was not opened and nothing was changed.")


class VaultNotFoundError(VaultError):
    def __init__(self, path: str) -> None:
        super().__init__(f"There is no vault at {path}.")


class VaultExistsError(VaultError):
    def __init__(self, path: str) -> None:
        super().__init__(f"A file already exists at {path}; choose another name.")


class VaultDamagedError(VaultError):
    def __init__(self, path: str, detail: str) -> None:
        super().__init__(
            f"The vault at {path} is damaged ({detail}). It has been kept as it is; "
            "restore it from a backup."
        )


class VaultInUseError(VaultError):
    """Another program holds the vault; nothing is wrong with the file."""

    def __init__(self, path: str) -> None:
        super().__init__(
            f"The vault at {path} is in use by another program on this computer. "
            "Close the other CRE Toolkit window or command, then try again."
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
