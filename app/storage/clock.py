"""The one clock for stored timestamps (UTC, whole seconds), shared by vault and audit."""

from __future__ import annotations

import datetime as dt


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
