"""Values quoted in messages: shortened, control characters shown escaped, one line.

A case file is untrusted: a name may hold a form feed, a line separator or a right-to-left
override. Echoed raw, such characters split a message over lines or reorder it on the
terminal or in a window; shown as `\\x0c` or `U+2028` they say what is actually there.
"""

from __future__ import annotations

import unicodedata
from typing import Any

QUOTED = 40  # characters of a value quoted in a message


def is_control(ch: str) -> bool:
    """Control, format (bidi overrides, zero-width), separator and surrogate characters."""
    return unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def code_point(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def escape_controls(text: str) -> str:
    """`text` with every control character written out (`\\x1f`, `U+2028`): one line."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch == " " or (not is_control(ch) and ch.isprintable()):
            out.append(ch)
        elif ord(ch) < 0x100:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(code_point(ch))
    return "".join(out)


def one_line(text: str, limit: int | None = None) -> str:
    """A message made safe to print on one line; `limit` shortens it with an ellipsis."""
    if limit is not None and len(text) > limit:
        text = text[:limit] + "…"
    return escape_controls(text)


def quote(value: Any, limit: int = QUOTED) -> str:
    """A value as a message shows it: text in quotes (shortened, escaped), else its kind."""
    if isinstance(value, str):
        short = value if len(value) <= limit else value[:limit] + "…"
        more = f" ({len(value):,} characters)" if len(value) > limit else ""
        return f'"{escape_controls(short)}"{more}'
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        text = repr(value)
        return text if len(text) <= limit else f"a number of {len(text):,} digits"
    return type(value).__name__


def describe_character(ch: str) -> str:
    """One character as a reader can identify it: `form feed (U+000C)`, `"中" (U+4E2D)`."""
    name = unicodedata.name(ch, "")
    if is_control(ch) or not ch.isprintable():
        known = {
            "\x0c": "form feed",
            "\x0b": "vertical tab",
            "\x00": "null character",
            "\x1b": "escape character",
            "\x85": "next line (NEL)",
        }
        words = known.get(ch) or (name.lower() if name else "control character")
        return f"{words} ({code_point(ch)})"
    return f'"{ch}" ({code_point(ch)}{", " + name.lower() if name else ""})'
