"""A fictional practitioner's signing identity, shared by the document tests."""

from __future__ import annotations

import pytest

from app.documents.signing import Identity, generate_identity


@pytest.fixture(scope="session")
def identity() -> Identity:
    return generate_identity("Test Practitioner Ŵyn", "Test Agency")
