"""`python -m app export CASE.json --out DIR [--sign-p12 FILE] [--encrypt] [--eml]`."""

from __future__ import annotations

import argparse
import os
import secrets
from pathlib import Path

from app.cli import CliError

CERT_NAME_LIMIT = 64  # X.509 upper bound for a common name or organisation name


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("export", help="signed PDFs of a case file")
    p.add_argument("case", type=Path)
    p.add_argument("--out", type=Path, required=True, help="folder for the PDFs")
    p.add_argument(
        "--sign-p12", type=Path, help="PKCS#12 signing identity (password: CRE_P12_PASSWORD)"
    )
    p.add_argument(
        "--encrypt", action="store_true", help="AES-256 (password: CRE_PDF_PASSWORD or generated)"
    )
    p.add_argument("--eml", action="store_true", help="also write send.eml with the PDFs attached")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from reportlab.platypus.doctemplate import LayoutError

    from app.cli.assess import read_case_file
    from app.documents.export import export_case
    from app.documents.signing import Identity, generate_identity
    from app.forms import load_registry
    from app.rules import CaseFileError

    data = read_case_file(args.case)
    if args.sign_p12:
        try:
            identity = Identity(
                args.sign_p12.read_bytes(), os.environ.get("CRE_P12_PASSWORD", "").encode()
            )
        except OSError as exc:
            raise CliError(f"{args.sign_p12}: cannot be read ({exc.__class__.__name__})") from None
    else:
        practitioner = data.get("practitioner") if isinstance(data, dict) else None
        practitioner = practitioner if isinstance(practitioner, dict) else {}
        name = str(practitioner.get("name") or "Practitioner")
        agency = str(practitioner.get("agency") or "")
        for field, value in (("practitioner.name", name), ("practitioner.agency", agency)):
            if len(value) > CERT_NAME_LIMIT:
                raise CliError(
                    f"{args.case}: {field}: at most {CERT_NAME_LIMIT} characters fit in a "
                    f"signing certificate (it has {len(value)}); shorten it or use --sign-p12"
                )
        identity = generate_identity(name, agency)
        print("note: no --sign-p12 given; signed with a new self-signed certificate")
    password = None
    if args.encrypt:
        password = os.environ.get("CRE_PDF_PASSWORD") or secrets.token_urlsafe(12)
    try:
        result = export_case(
            data, load_registry(), args.out, identity, password=password, eml=args.eml
        )
    except CaseFileError as exc:
        raise CliError(f"{args.case}: {exc}") from None
    except ValueError as exc:  # a PKCS#12 that does not open with the given password
        raise CliError(f"signing identity: {exc}") from None
    except LayoutError:
        raise CliError(
            f"{args.case}: a text in it is too long to lay out on a PDF page "
            "(a very long unbroken word or field); shorten it (nothing was written)"
        ) from None
    if not args.sign_p12:
        from app.fileio import atomic_write_bytes

        cert = args.out / "signer-certificate.pem"
        atomic_write_bytes(cert, identity.certificate_pem())  # 0600 like every export
        print(f"wrote {cert} (give it to the receiver so they can trust the signature)")
    for path in result.written:
        print(f"wrote {path}")
    if result.letter_refused:
        print("disruption letter NOT produced:")
        for reason in result.letter_refused:
            print(f"  - {reason}")
    if password and not os.environ.get("CRE_PDF_PASSWORD"):
        print(f"PDF password (send it by another route, never in the same email): {password}")
    print(f"reference {result.reference}")
    return 0
