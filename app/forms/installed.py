"""Toolkits a partnership brings: checked from a spreadsheet, installed for this user.

Why here (app.forms): an installed toolkit is a definition like the shipped ones, kept as
YAML in the user's data folder, so the registry, wizard, rules, documents and statistics
use it exactly as a shipped one. Ids are never reused with another meaning: an id that is
shipped, or installed with other content, is refused; a revised toolkit takes a new id.
The folder is `CRE_TOOLKITS_DIR` when set (a partnership may push toolkits to a managed
folder), otherwise `toolkits` in the app's per-user data folder.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs
import yaml

from app.forms import validated
from app.forms.errors import DefinitionError
from app.forms.loader import (
    Registry,
    _content_hash,
    _schema,
    definition_from_data,
)
from app.forms.model import Toolkit
from app.forms.shared_files import load_monitoring_fields
from app.forms.sheets import (
    ROOT_SHEET,
    SIGNATURE_SHEET,
    Location,
    SheetIssue,
    SheetRead,
    read_workbook,
)

APP_NAME = "CRE Toolkit"
ORIGIN_SUFFIX = ".origin.json"
SIGNED_CONTEXT = b"cre-toolkit-sheet-1\0"
UNSIGNED = "made locally, unsigned"


def installed_dir() -> Path:
    override = os.environ.get("CRE_TOOLKITS_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "toolkits"


def definition_hash(data: Mapping[str, Any]) -> str:
    """The hash a partnership signs: the definition as authored (no monitoring fields)."""
    return _content_hash(data)


@dataclass(frozen=True)
class Issuer:
    """Who signed a toolkit file, as its certificate says."""

    name: str
    fingerprint: str

    def describe(self) -> str:
        return f"issued by {self.name} (certificate {self.fingerprint[:16]}…)"


@dataclass
class SheetCheck:
    """The result of checking a toolkit workbook: every problem at once, and the toolkit
    when there are none."""

    toolkit_id: str | None
    content_hash: str | None
    issues: list[SheetIssue]
    data: dict[str, Any] | None = None
    toolkit: Toolkit | None = None
    issuer: Issuer | None = None
    same_as_installed: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues and self.toolkit is not None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.toolkit_id,
            "content_hash": self.content_hash,
            "issuer": self.issuer.describe() if self.issuer else UNSIGNED,
            "errors": [i.as_json() for i in self.issues],
        }


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "TRUE or FALSE",
    "array": "a list",
    "object": "a set of values",
    "null": "null",
}


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE or FALSE"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value[:60]}'"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    return "a set of values"


def _schema_message(err: Any) -> tuple[str, str | None]:
    """(message in the author's words, the column it is about if not the cell's own)."""
    kind = err.validator
    value = err.validator_value
    inst = err.instance
    if kind == "enum":
        allowed = ", ".join("null" if v is None else str(v) for v in value)
        return f"{_kind(inst)} is not one of {allowed}", None
    if kind == "const":
        return f"must be {value}", None
    if kind == "type":
        wanted = value if isinstance(value, list) else [value]
        words = " or ".join(_TYPE_WORDS.get(str(w), str(w)) for w in wanted)
        hint = (
            "; format the cell as Text" if "string" in wanted and not isinstance(inst, str) else ""
        )
        return f"expected {words}, found {_kind(inst)}{hint}", None
    if kind == "required":
        missing = [p for p in value if isinstance(inst, Mapping) and p not in inst]
        name = missing[0] if missing else str(value)
        return f"'{name}' is needed: the cell is empty or the column is missing", name
    if kind == "additionalProperties" and isinstance(inst, Mapping):
        known = set(err.schema.get("properties", {}))
        extra = [k for k in inst if k not in known]
        name = extra[0] if extra else None
        return f"'{name}' is not a column (or setting) this part of a toolkit can have", name
    if kind == "pattern":
        hint = ""
        if "a-z" in str(value):
            hint = " (use lower-case letters, digits, _ or -, starting with a letter)"
        if "[0-9]{4}" in str(value):
            hint = " (write the year and month as text, e.g. 2026-09)"
        return f"{_kind(inst)} is not written as expected{hint}", None
    if kind in ("minLength", "minItems"):
        return "must not be empty", None
    if kind == "maxLength":
        return f"longer than {value} characters", None
    return str(err.message)[:200], None


def _schema_issues(read: SheetRead) -> list[SheetIssue]:
    errors = validated.schema_errors(_schema(), read.data)
    issues: list[SheetIssue] = []
    seen: set[tuple[Any, ...]] = set()
    for err in errors:
        path = tuple(err.absolute_path)
        message, column = _schema_message(err)
        loc = read.locate((*path, column) if column else path)
        key = (loc, message)
        if key in seen:
            continue
        seen.add(key)
        if loc is None:
            loc = Location(ROOT_SHEET, 0, column)
        col = loc.column
        if column and loc.column is None:
            col = column
        where = "/".join(str(p) for p in path)
        if loc.sheet == ROOT_SHEET and not path:
            message = f"{message} (a setting of the toolkit)"
        elif loc.sheet == ROOT_SHEET and col == "value":
            message = f"{where}: {message}"
        issues.append(SheetIssue("DEF002", loc.sheet, loc.row or None, col, message))
    return issues


def _verify_signature(read: SheetRead, data_hash: str) -> tuple[Issuer | None, SheetIssue | None]:
    sig = read.signature
    if not sig:
        return None, None
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    def refused(why: str) -> tuple[None, SheetIssue]:
        return None, SheetIssue("DEF018", SIGNATURE_SHEET, None, None, why)

    try:
        cert = x509.load_der_x509_certificate(base64.b64decode(sig.get("certificate", "")))
        signature = base64.b64decode(sig.get("signature", ""))
    except ValueError:
        return refused("the signature sheet is damaged; ask the partnership for a fresh copy")
    if sig.get("content_hash") != data_hash:
        return refused(
            "the toolkit was changed after it was signed; ask the partnership for the "
            "signed original"
        )
    key = cert.public_key()
    payload = SIGNED_CONTEXT + data_hash.encode("ascii")
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, payload, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, payload, ec.ECDSA(hashes.SHA256()))
        else:
            return refused("the signature uses a kind of key the app does not accept")
    except InvalidSignature:
        return refused("the signature does not match; the file was changed after signing")
    from cryptography.x509.oid import NameOID

    names = [
        a.value
        for oid in (NameOID.ORGANIZATION_NAME, NameOID.COMMON_NAME)
        for a in cert.subject.get_attributes_for_oid(oid)
    ]
    name = str(names[0]) if names else "an unnamed signer"
    fingerprint = hashlib.sha256(cert.public_bytes(_der())).hexdigest()
    return Issuer(name, fingerprint), None


def _der() -> Any:
    from cryptography.hazmat.primitives.serialization import Encoding

    return Encoding.DER


def check_sheet(path: Path, registry: Registry | None = None) -> SheetCheck:
    """Check a toolkit workbook in stages (sheets, schema, meaning, signature, id), naming
    every problem by sheet, row and column; nothing is installed."""
    read = read_workbook(path)
    if read.data is None:
        return SheetCheck(None, None, read.issues)
    data = read.data
    toolkit_id = data.get("id") if isinstance(data.get("id"), str) else None
    issues = list(read.issues)
    if not issues:
        order = {name: n for n, name in enumerate(read.sheets)}
        issues.extend(
            sorted(_schema_issues(read), key=lambda i: (order.get(i.sheet or "", 99), i.row or 0))
        )
    check = SheetCheck(toolkit_id, None, issues, data=data)
    if issues:
        return check
    monitoring = load_monitoring_fields()
    try:
        toolkit = definition_from_data(
            copy.deepcopy(data), path.name, monitoring, schema_checked=True
        )
    except DefinitionError as exc:
        loc = read.locate_id(exc.item)
        check.issues.append(
            SheetIssue(
                exc.code.code,
                loc.sheet if loc else None,
                loc.row if loc else None,
                loc.column if loc else None,
                f"{exc.code.summary}: {exc.detail}",
            )
        )
        return check
    check.content_hash = toolkit.content_hash
    issuer, broken = _verify_signature(read, definition_hash(data))
    if broken:
        check.issues.append(broken)
        return check
    check.issuer = issuer
    if registry is not None and toolkit.id in registry:
        existing = registry.get(toolkit.id)
        if existing.content_hash == toolkit.content_hash:
            check.same_as_installed = True
        else:
            where = (
                "is a toolkit shipped with the app"
                if registry.is_shipped(toolkit.id)
                else ("is already installed with other content")
            )
            check.issues.append(
                SheetIssue(
                    "DEF017",
                    ROOT_SHEET,
                    (read.locate(("id",)) or Location(ROOT_SHEET, 0, None)).row or None,
                    "value",
                    f"the id '{toolkit.id}' {where}; an id never changes its meaning, so give "
                    f"this toolkit a new id (e.g. '{toolkit.id}-v2')",
                )
            )
            return check
    check.toolkit = toolkit
    return check


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def install(check: SheetCheck, source: Path, directory: Path | None = None) -> Path | None:
    """Install a checked toolkit for this user; None when it was already there, identical.

    The YAML and its origin are written before the stamp, each atomically, so a crash
    leaves either the old state or a toolkit that is simply re-checked on its next load.
    """
    if not check.ok or check.data is None or check.toolkit_id is None:
        raise ValueError("only a toolkit whose check passed can be installed")
    if check.same_as_installed:
        return None
    base = directory or installed_dir()
    base.mkdir(parents=True, exist_ok=True, mode=0o700)
    text = yaml.safe_dump(check.data, sort_keys=False, allow_unicode=True, width=100)
    target = base / f"{check.toolkit_id}.yaml"
    origin = {
        "issuer": check.issuer.describe() if check.issuer else UNSIGNED,
        "fingerprint": check.issuer.fingerprint if check.issuer else None,
        "sheet": source.name,
        "installed": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "content_hash": check.content_hash,
    }
    _write_atomic(base / f"{check.toolkit_id}{ORIGIN_SUFFIX}", json.dumps(origin, indent=1))
    _write_atomic(target, text)
    stamps = dict(_stamps(base))
    stamps[target.name] = validated.stamp(_schema(), text)
    validated.write(base, stamps)
    return target


def _stamps(base: Path) -> dict[str, str]:
    try:
        data = json.loads((base / validated.STAMP_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    stamps = data.get("stamps") if isinstance(data, dict) else None
    return {k: v for k, v in (stamps or {}).items() if isinstance(v, str)}


def origin_of(toolkit_id: str, directory: Path | None = None) -> str:
    """How the app describes where an installed toolkit came from."""
    base = directory or installed_dir()
    try:
        data = json.loads((base / f"{toolkit_id}{ORIGIN_SUFFIX}").read_text("utf-8"))
    except (OSError, ValueError):
        return UNSIGNED
    issuer = data.get("issuer") if isinstance(data, dict) else None
    return issuer if isinstance(issuer, str) else UNSIGNED


def sign_sheet(path: Path, pkcs12: bytes, password: bytes, out: Path) -> Issuer:
    """Sign a checked workbook as its partnership: a hidden 'Signature' sheet holding the
    definition's hash, the signature and the certificate, so any later edit is refused."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
    from cryptography.hazmat.primitives.serialization import pkcs12 as p12
    from openpyxl import load_workbook

    check = check_sheet(path)
    if not check.ok or check.data is None:
        first = check.issues[0].line() if check.issues else "it does not check"
        raise ValueError(f"only a toolkit that checks can be signed: {first}")
    key, cert, _ = p12.load_key_and_certificates(pkcs12, password or None)
    if key is None or cert is None:
        raise ValueError("the PKCS#12 file holds no key and certificate")
    data_hash = definition_hash(check.data)
    payload = SIGNED_CONTEXT + data_hash.encode("ascii")
    if isinstance(key, rsa.RSAPrivateKey):
        signature = key.sign(payload, padding.PKCS1v15(), hashes.SHA256())
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        signature = key.sign(payload, ec.ECDSA(hashes.SHA256()))
    else:
        raise ValueError("only RSA and EC keys can sign a toolkit")
    book = load_workbook(path)
    if SIGNATURE_SHEET in book.sheetnames:
        del book[SIGNATURE_SHEET]
    ws = book.create_sheet(SIGNATURE_SHEET)
    rows = [
        ("field", "value"),
        ("content_hash", data_hash),
        ("signature", base64.b64encode(signature).decode("ascii")),
        ("certificate", base64.b64encode(cert.public_bytes(_der())).decode("ascii")),
    ]
    for r, (a, b) in enumerate(rows, 1):
        ws.cell(row=r, column=1, value=a)
        ws.cell(row=r, column=2, value=b)
    ws.sheet_state = "hidden"
    # written beside the target and moved into place only once it verifies: signing in
    # place never leaves a half-written workbook where the author's was
    tmp = out.with_name(f".{out.name}.signing.xlsx")
    try:
        book.save(tmp)
        issuer, broken = _verify_signature(read_workbook(tmp), data_hash)
        if broken or issuer is None:
            raise ValueError("the signed file did not verify")
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return issuer


def install_source(registry: Registry, toolkit_id: str) -> dict[str, Any]:
    """A toolkit's definition as authored (without the monitoring fields appended)."""
    tk = registry.get(toolkit_id)
    monitoring = {f["id"] for f in load_monitoring_fields()}
    data: dict[str, Any] = copy.deepcopy(dict(tk.data))
    data["child_fields"] = [f for f in data["child_fields"] if f.get("id") not in monitoring]
    return data
