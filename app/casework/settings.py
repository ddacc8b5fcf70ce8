"""The vault's own settings, read and written by name for the windows and the command line.

Each setting has one function here, so a window never reaches into the repository for a
key by its spelling, and the app and `python -m app` read the same key the same way. A
setting write is audited, so the writers here write only when the value changes.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the windows call these before the vault stack has loaded
    from app.storage import Repository

PROFILE = "profile"
DEMO = "demo"
AUTO_LOCK = "auto_lock_minutes"
EXPORT_FOLDER = "export_folder"
LAST_TOOLKIT = "last_toolkit"
STATISTICS_PERIOD = "statistics_period"
STATS_SOURCE = "stats_source_id"
WINDOW_SIZES = "window_sizes"
AUTO_LOCK_DEFAULT = 10


def _write(repo: Repository, key: str, value: Any) -> bool:
    """Write only a changed value (every write is an audit entry); True when it wrote."""
    if repo.get_setting(key) == value:
        return False
    repo.set_setting(key, value)
    return True


def profile(repo: Repository) -> dict[str, Any]:
    """The practitioner's own details (a copy: changes go through `oversight.set_profile`,
    which also retires a signing identity made for another name)."""
    stored = repo.get_setting(PROFILE, {}) or {}
    return dict(stored) if isinstance(stored, dict) else {}


def is_demo(repo: Repository) -> bool:
    """A vault of fictional cases, made by `demo`: every window title says so."""
    return bool(repo.get_setting(DEMO))


def auto_lock_minutes(repo: Repository, default: int = AUTO_LOCK_DEFAULT) -> int:
    """Minutes of no use before the app locks itself; `default` until the user chose."""
    try:
        return int(repo.get_setting(AUTO_LOCK, default))
    except (TypeError, ValueError):  # a hand-edited or damaged value: the safe default
        return default


def set_auto_lock_minutes(repo: Repository, minutes: int) -> None:
    if minutes < 1:
        raise ValueError("Lock after: choose at least one minute.")
    _write(repo, AUTO_LOCK, int(minutes))


def export_folder(repo: Repository) -> str | None:
    """The folder the user last chose for exports, as typed (None until one is chosen)."""
    stored = repo.get_setting(EXPORT_FOLDER)
    return str(stored) if stored else None


def set_export_folder(repo: Repository, folder: str | None) -> None:
    _write(repo, EXPORT_FOLDER, (folder or "").strip() or None)


def last_toolkit(repo: Repository) -> str | None:
    """The toolkit of the last new assessment: the practitioner's own partnership, offered
    first next time."""
    stored = repo.get_setting(LAST_TOOLKIT)
    return str(stored) if stored else None


def set_last_toolkit(repo: Repository, toolkit_id: str) -> None:
    _write(repo, LAST_TOOLKIT, toolkit_id)


def statistics_period(repo: Repository) -> tuple[str, str] | None:
    """The statistics period last asked for, as typed (from, to); None for the default."""
    stored = repo.get_setting(STATISTICS_PERIOD)
    if isinstance(stored, list) and len(stored) == 2:
        return str(stored[0]), str(stored[1])
    return None


def set_statistics_period(repo: Repository, period: Sequence[str] | None) -> None:
    """Keep the typed period, from and to (None: follow the calendar again)."""
    if period is not None and len(period) != 2:
        raise ValueError("A statistics period is a from date and a to date.")
    _write(repo, STATISTICS_PERIOD, [str(p) for p in period] if period is not None else None)


def statistics_source_id(repo: Repository) -> str:
    """The vault's anonymous id in statistics bundles, made once, so a partnership merging
    bundles counts this vault once however many times it sends one."""
    stored = repo.get_setting(STATS_SOURCE)
    if stored:
        return str(stored)
    made = str(uuid.uuid4())
    repo.set_setting(STATS_SOURCE, made)
    return made


def window_size(repo: Repository, key: str) -> tuple[int, int] | None:
    """The size the user last gave this kind of window, if any."""
    saved = (repo.get_setting(WINDOW_SIZES, {}) or {}).get(key)
    if isinstance(saved, list) and len(saved) == 2:
        try:
            return int(saved[0]), int(saved[1])
        except (TypeError, ValueError):
            return None
    return None


def remember_window_size(repo: Repository, key: str, width: int, height: int) -> None:
    sizes = dict(repo.get_setting(WINDOW_SIZES, {}) or {})
    if sizes.get(key) != [width, height]:
        sizes[key] = [width, height]
        repo.set_setting(WINDOW_SIZES, sizes)
