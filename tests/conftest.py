"""Shared test set-up: Qt runs offscreen, and the toolkit registry is loaded once."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from app.forms import Registry, load_registry


@pytest.fixture(scope="session")
def registry() -> Registry:
    return load_registry(eager=True)  # every definition checked once per run
