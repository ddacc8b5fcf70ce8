"""Passphrase strength from zxcvbn (a maintained estimator), with its own feedback.

zxcvbn scores 0-4 from the guesses an attacker would need, knowing common passwords,
words, names, dates, keyboard patterns and l33t substitutions. A vault needs 3 ("safely
unguessable": about 10^8 guesses or more, before scrypt's cost on each guess).
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_SCORE = 3
WORDS = ("very weak", "weak", "fair", "good", "strong")
MAX_CHECKED = 72  # zxcvbn refuses longer input; the first 72 characters decide


@dataclass(frozen=True)
class Verdict:
    score: int
    acceptable: bool
    message: str


def assess(passphrase: str) -> Verdict:
    from zxcvbn import zxcvbn

    result = zxcvbn(passphrase[:MAX_CHECKED])
    score = int(result["score"])
    feedback = result.get("feedback") or {}
    hints = [str(feedback.get("warning") or "").strip()]
    hints += [str(s).strip() for s in feedback.get("suggestions") or []]
    said = " ".join(h if h.endswith(".") else f"{h}." for h in hints if h)
    if score >= MIN_SCORE:
        return Verdict(score, True, f"Passphrase strength: {WORDS[score]}.")
    advice = said or "Add another word or two; uncommon words are better."
    return Verdict(score, False, f"This passphrase is too easy to guess ({WORDS[score]}). {advice}")
