"""The lifecycle states of an assessment or document, one vocabulary for every layer.

A `StrEnum`, so the values stored in the vault stay the plain words they always were.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    DRAFT = "draft"
    COMPLETED = "completed"
    SIGNED = "signed"
    DISCARDED = "discarded"

    @property
    def is_final(self) -> bool:
        """Completed or signed: what may be exported as final and counted."""
        return self in (Status.COMPLETED, Status.SIGNED)


CLOSED = "closed"  # a case's status once closed; never an assessment's
