"""Passphrase strength from zxcvbn (a maintained estimator), with its own feedback.

zxcvbn scores 0-4 from the guesses an attacker would need, knowing common passwords,
words, names, dates, keyboard patterns and l33t substitutions. A vault needs 3 ("safely
unguessable": about 10^8 guesses or more, before scrypt's cost on each guess).

zxcvbn does not know the words an attacker of *this* vault tries first: the council,
the partnership, the town, the toolkit, the year. "Derby City Council 2026" scores 4
because each word is rare in its English lists. So the local words are given to zxcvbn
(`user_inputs`) and, besides, a passphrase made only of local words, years and
separators is refused, whatever its length.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

MIN_SCORE = 3
WORDS = ("very weak", "weak", "fair", "good", "strong")
MAX_CHECKED = 72  # zxcvbn refuses longer input; the first 72 characters decide
# The places, partnerships and services of the four toolkits, and the words of the work.
_LOCAL = """
    derby derbyshire city county council borough district partnership board boards
    safeguarding children childrens child young people person persons adult adults
    portsmouth hampshire southampton isle wight bedford bedfordshire pan central luton
    police constabulary social care services service team school college academy health
    nhs trust mash cre cse cce exploitation risk assessment toolkit toolkits vault
    liberty operation ddscp dscb pscb lscb lscp scp and of the for uk
"""
LOCAL_WORDS = frozenset(_LOCAL.split())
_TOKEN = re.compile(r"[a-z]+|\d+")


@dataclass(frozen=True)
class Verdict:
    score: int
    acceptable: bool
    message: str


def only_local(passphrase: str, local: Iterable[str] = ()) -> bool:
    """True when every word of the passphrase is a local word or a number (a year, a
    date, a postcode digit): nothing in it that an attacker of this vault would not try."""
    known = LOCAL_WORDS | {w.lower() for w in local}
    tokens = _TOKEN.findall(passphrase.lower())
    return bool(tokens) and all(t.isdigit() or t in known for t in tokens)


def assess(passphrase: str, local: Iterable[str] = ()) -> Verdict:
    from zxcvbn import zxcvbn

    extra = sorted({w.lower() for w in local})
    if only_local(passphrase, extra):
        return Verdict(
            0,
            False,
            "This passphrase is too easy to guess: it is made of local names (the council, "
            "the partnership, the town, the toolkit) and numbers, which are tried first. "
            "Add words that have nothing to do with your work.",
        )
    result = zxcvbn(passphrase[:MAX_CHECKED], user_inputs=[*sorted(LOCAL_WORDS), *extra])
    score = int(result["score"])
    feedback = result.get("feedback") or {}
    hints = [str(feedback.get("warning") or "").strip()]
    hints += [str(s).strip() for s in feedback.get("suggestions") or []]
    said = " ".join(h if h.endswith(".") else f"{h}." for h in hints if h)
    if score >= MIN_SCORE:
        return Verdict(score, True, f"Passphrase strength: {WORDS[score]}.")
    advice = said or "Add another word or two; uncommon words are better."
    return Verdict(score, False, f"This passphrase is too easy to guess ({WORDS[score]}). {advice}")
