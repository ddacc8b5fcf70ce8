"""How a level looks: a word and a colour together (colour is never the only signal)."""

from __future__ import annotations

COLOURS = {
    "none": ("#e6e6e6", "#1a1a1a"),
    "low": ("#cfe8d4", "#0b3d1a"),
    "medium": ("#ffe2a8", "#4a3000"),
    "high": ("#f6c1c1", "#5c0000"),
    "exploited": ("#dccbf0", "#2e0b52"),
}


def chip_style(level: str | None) -> str:
    background, foreground = COLOURS.get(level or "", ("#ffffff", "#1a1a1a"))
    return (
        f"background:{background}; color:{foreground}; border:1px solid {foreground};"
        "border-radius:6px; padding:2px 8px; font-weight:bold;"
    )


def word(level: str | None) -> str:
    """One wording everywhere: "No risk identified", never "None" beside it."""
    from app.forms import NO_RISK_LABEL

    return (level or "not assessed").capitalize() if level != "none" else NO_RISK_LABEL
