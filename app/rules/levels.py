"""The ordered levels every toolkit shares, so floors and comparisons mean one thing."""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    EXPLOITED = "exploited"

    @property
    def rank(self) -> int:
        return _ORDER.index(self)

    @property
    def label(self) -> str:
        return self.value.capitalize()

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank >= other.rank


_ORDER = [Level.NONE, Level.LOW, Level.MEDIUM, Level.HIGH, Level.EXPLOITED]

BAND_LEVEL = {"low": Level.LOW, "medium": Level.MEDIUM, "high": Level.HIGH}
RATING_LEVEL = {"L": Level.LOW, "M": Level.MEDIUM, "H": Level.HIGH}
