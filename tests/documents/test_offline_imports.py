"""Signing and verifying offline never load the network clients (aiohttp), yet a
timestamp client or fetcher asked for still is the real one. A fresh interpreter each,
since other tests may already have imported pyHanko."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SIGN_AND_VERIFY = """
import io, sys
from reportlab.pdfgen import canvas
from app.documents.signing import generate_identity, sign, verify
buffer = io.BytesIO()
c = canvas.Canvas(buffer); c.drawString(72, 720, "Fictional"); c.showPage(); c.save()
identity = generate_identity("Test Signer", "Test Agency")
signed = sign(buffer.getvalue(), identity, signer_name="Test Signer", slot={"page": 1})
verdict = verify(signed, identity.certificate_pem())
assert verdict.intact and verdict.trusted, verdict
assert "aiohttp" not in sys.modules, "offline signing imported aiohttp"
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.validation.ades import AIOHttpFetcherBackend
stamper = HTTPTimeStamper("http://tsa.invalid")
from pyhanko.sign.timestamps.aiohttp_client import HTTPTimeStamper as Real
assert type(stamper) is Real, type(stamper)
assert type(AIOHttpFetcherBackend()).__name__ == "AIOHttpFetcherBackend"
assert "aiohttp" in sys.modules
print("ok")
"""


def test_offline_signing_does_not_import_network_clients_but_they_still_work() -> None:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SIGN_AND_VERIFY)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
