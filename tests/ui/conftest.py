"""UI tests never block on a modal message box: an unexpected one fails the test at once
(offscreen, nobody would ever press its button, and the run would hang until CI's limit)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def no_unexpected_message_boxes(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    from PySide6.QtWidgets import QMessageBox

    def refuse(kind: str) -> Any:
        def box(*args: Any, **kwargs: Any) -> Any:
            text = " / ".join(str(a) for a in args[1:3])
            raise AssertionError(f"unexpected QMessageBox.{kind}: {text}")

        return box

    for kind in ("information", "warning", "critical", "question"):
        monkeypatch.setattr(QMessageBox, kind, refuse(kind))

    def unexpected_exec(self: QMessageBox) -> int:
        raise AssertionError(f"unexpected message box: {self.text()}")

    if not request.node.get_closest_marker("answers_message_boxes"):  # it presses them itself
        monkeypatch.setattr(QMessageBox, "exec", unexpected_exec)
    yield


@pytest.fixture
def letterhead(repo: Any) -> None:
    """The shared `repo` with the practitioner's letterhead in Profile: what the referral
    windows print at the top of every document."""
    from tests.ui.test_referral_forms import LETTERHEAD

    repo.set_setting("profile", LETTERHEAD)
