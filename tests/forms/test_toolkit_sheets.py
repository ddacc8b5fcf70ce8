"""A partnership's own toolkit from a spreadsheet: written, checked, refused, signed, installed
and then used for a whole assessment, exactly as a shipped toolkit would be."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import Workbook, load_workbook

from app.cli import main as cli_main
from app.forms import Registry, load_registry
from app.forms.errors import ErrorCode
from app.forms.installed import check_sheet, install, install_source
from app.forms.sheets import read_workbook, write_workbook
from tests.rules.cases import case, tick

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ("derby-cse-2017", "derby-cre-2020", "portsmouth-cse-2016", "bedfordshire-cse")


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli_main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


_SHEETS: dict[str, bytes] = {}  # each sheet below written once per process, then copied


def shipped_sheet(registry: Registry, toolkit: str, path: Path) -> Path:
    if toolkit not in _SHEETS:
        write_workbook(install_source(registry, toolkit), path)
        _SHEETS[toolkit] = path.read_bytes()
    path.write_bytes(_SHEETS[toolkit])
    return path


def edit(path: Path, sheet: str, change: Callable[[Any], None]) -> None:
    book = load_workbook(path)
    change(book[sheet])
    book.save(path)


def set_setting(ws: Any, setting: str, value: Any) -> None:
    for row in ws.iter_rows(min_row=2):
        if row[0].value == setting:
            row[1].value = value
            return
    ws.append([setting, value])


def column(ws: Any, heading: str) -> int:
    return [c.value for c in ws[1]].index(heading) + 1


@pytest.mark.parametrize("toolkit", SHIPPED)
def test_each_shipped_toolkit_round_trips_with_the_same_content_hash(
    registry: Registry, toolkit: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / f"{toolkit}.xlsx"
    code, out, err = cli(capsys, "toolkits", "export-sheet", toolkit, str(sheet))
    assert code == 0, err
    data = yaml.safe_load((ROOT / "app/forms/definitions" / f"{toolkit}.yaml").read_text("utf-8"))
    assert read_workbook(sheet).data == data  # every value, list and order as in the YAML
    code, out, err = cli(capsys, "toolkits", "check", str(sheet), "--json")
    assert code == 0, out
    result = json.loads(out)
    assert result == {
        "id": toolkit,
        "content_hash": registry.get(toolkit).content_hash,
        "issuer": "made locally, unsigned",
        "errors": [],
    }
    code, out, err = cli(capsys, "toolkits", "import-sheet", str(sheet))
    assert code == 0, err
    assert out.startswith(f"already installed, identical: {toolkit}")
    assert registry.get(toolkit).content_hash in out


def new_toolkit_sheet(registry: Registry, path: Path) -> Path:
    """Derby 2017 revised by a fictional partnership under an id of its own."""
    if "new" in _SHEETS:
        path.write_bytes(_SHEETS["new"])
        return path
    shipped_sheet(registry, "derby-cse-2017", path)

    def details(ws: Any) -> None:
        set_setting(ws, "id", "fictional-shire-cse-2027")
        set_setting(ws, "title", "Fictional Shire CSE Risk Assessment Toolkit")
        set_setting(ws, "short_title", "Fictional Shire CSE 2027")
        set_setting(ws, "version", "Version 2, January 2027")
        set_setting(ws, "partnership", "Fictional Shire Safeguarding Children Partnership")

    edit(path, "Toolkit", details)

    def first_indicator(ws: Any) -> None:
        ws.cell(
            row=2, column=column(ws, "text")
        ).value = "Seen with an adult not known to the family"

    edit(path, "Section 1", first_indicator)
    _SHEETS["new"] = path.read_bytes()
    return path


def test_an_edited_copy_installs_under_a_new_id_and_is_used_end_to_end(
    registry: Registry, installed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = new_toolkit_sheet(registry, tmp_path / "shire.xlsx")
    code, out, err = cli(capsys, "toolkits", "import-sheet", str(sheet))
    assert code == 0, out + err
    assert out.startswith("installed fictional-shire-cse-2027")
    assert (installed / "fictional-shire-cse-2027.yaml").is_file()

    fresh = load_registry()
    tk = fresh.get("fictional-shire-cse-2027")
    assert fresh.origin(tk.id) == "made locally, unsigned"
    assert fresh.origin("derby-cse-2017") == "shipped with the app"
    assert tk.section1_items[0].text == "Seen with an adult not known to the family"
    assert tk.content_hash != registry.get("derby-cse-2017").content_hash

    # complete and assess: the rules run on it as on the shipped toolkit
    data = case(fresh, tk.id, age=15, identified=tick(tk, "high"), final="high")
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(data), "utf-8")
    code, out, err = cli(capsys, "assess", str(case_file), "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["toolkit"]["id"] == tk.id if isinstance(result["toolkit"], dict) else True
    assert result["suggested_level"] == "high"

    # export: a PDF made from the installed definition, naming it
    out_dir = tmp_path / "out"
    code, out, err = cli(capsys, "export", str(case_file), "--out", str(out_dir), "--draft")
    assert code == 0, err
    pdfs = sorted(out_dir.rglob("*.pdf"))
    assert pdfs
    from pypdf import PdfReader

    text = "".join(page.extract_text() or "" for page in PdfReader(pdfs[0]).pages)
    assert "Fictional Shire" in text

    # count: the partnership statistics count it like any other assessment
    from app.stats import build_report
    from app.stats.source import facts_from_vault
    from app.storage import Repository, Vault
    from app.storage.casefiles import import_cases
    from tests.casework.support import sign_off

    data["analysis"] = sign_off(tk, data["assessment_date"])
    vault = Vault.create(tmp_path / "v.cre", "correct horse battery staple 2027")
    repo = Repository(vault)
    import_cases(repo, fresh, {"format": "cre-case-export", "version": 1, "cases": [data]})
    report = build_report(facts_from_vault(repo, fresh), dt.date(2026, 4, 1), dt.date(2027, 3, 31))
    vault.close()
    assert report.row("Assessments", "assessments").total == 1
    assert report.row("Level at first assessment", "high").total == 1


def test_a_shipped_id_with_other_content_is_refused_and_nothing_installed(
    registry: Registry, installed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = shipped_sheet(registry, "derby-cre-2020", tmp_path / "cre.xlsx")
    edit(sheet, "Toolkit", lambda ws: set_setting(ws, "title", "Derby CRE, edited"))
    code, out, err = cli(capsys, "toolkits", "import-sheet", str(sheet))
    assert code == 2
    assert "DEF017 Toolkit, row 3, column value" in out
    assert "shipped with the app" in out
    assert "nothing was installed" in err
    assert not installed.exists() or not any(installed.iterdir())
    assert (
        load_registry().get("derby-cre-2020").content_hash
        == registry.get("derby-cre-2020").content_hash
    )


def test_an_installed_id_is_never_reused_with_another_meaning(
    registry: Registry, installed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = new_toolkit_sheet(registry, tmp_path / "shire.xlsx")
    assert cli(capsys, "toolkits", "import-sheet", str(sheet))[0] == 0
    before = (installed / "fictional-shire-cse-2027.yaml").read_bytes()
    edit(sheet, "Toolkit", lambda ws: set_setting(ws, "version", "Version 3"))
    code, out, _ = cli(capsys, "toolkits", "import-sheet", str(sheet))
    assert code == 2
    assert "already installed with other content" in out
    assert (installed / "fictional-shire-cse-2027.yaml").read_bytes() == before


# --- broken sheets: each kind refused with its code, sheet and row ----------------------


def _band_typo(ws: Any) -> None:
    ws.cell(row=3, column=column(ws, "band")).value = "hihg"


def _dangling_parent(ws: Any) -> None:
    ws.cell(row=4, column=column(ws, "parent")).value = "medium_rsik"


def _duplicate_id(ws: Any) -> None:
    ws.cell(row=3, column=column(ws, "id")).value = ws.cell(row=2, column=column(ws, "id")).value


def _formula(ws: Any) -> None:
    ws.cell(row=5, column=column(ws, "text")).value = "=A1&B1"


def _renamed_parent(ws: Any) -> None:
    ws.cell(row=1, column=column(ws, "parent")).value = "group"


def _date_cell(ws: Any) -> None:
    set_setting(ws, "source_date", dt.datetime(2027, 1, 1))


def _unknown_column(ws: Any) -> None:
    ws.cell(row=1, column=ws.max_column + 1).value = "colour"
    ws.cell(row=2, column=ws.max_column).value = "red"


def _empty_text(ws: Any) -> None:
    ws.cell(row=6, column=column(ws, "text")).value = None


def _bad_placeholder(ws: Any) -> None:
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "disruption_letter.body[]":
            row[1].value = str(row[1].value) + "\nYou were seen with {victim_address}."


def _number_as_text(ws: Any) -> None:
    set_setting(ws, "version", 2.5)


def _missing_name_field(ws: Any) -> None:
    for row in ws.iter_rows(min_row=2):
        if row[column(ws, "id") - 1].value == "name":
            row[column(ws, "id") - 1].value = "child_name"


BROKEN: dict[str, tuple[str, Callable[[Any], None], str, str | None, int | None, str | None]] = {
    # name: (sheet edited, edit, code, sheet reported, row, column)
    "band typo": ("Section 1 groups", _band_typo, "DEF002", "Section 1 groups", 3, "band"),
    "dangling parent": ("Section 1", _dangling_parent, "DEF014", "Section 1", 4, "parent"),
    "duplicate id": ("Section 1", _duplicate_id, "DEF003", "Section 1", 3, "id"),
    "formula": ("Section 1", _formula, "DEF013", "Section 1", 5, None),
    "renamed heading": ("Section 1", _renamed_parent, "DEF012", "Section 1", 1, "parent"),
    "Excel date": ("Toolkit", _date_cell, "DEF015", "Toolkit", None, "source_date"),
    "unknown column": ("Section 1", _unknown_column, "DEF002", "Section 1", 2, "colour"),
    "empty required text": ("Section 1", _empty_text, "DEF002", "Section 1", 6, "text"),
    "letter placeholder": ("Toolkit", _bad_placeholder, "DEF004", None, None, None),
    "number for text": ("Toolkit", _number_as_text, "DEF002", "Toolkit", None, "value"),
    "no name field": ("Child details", _missing_name_field, "DEF005", None, None, None),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_a_broken_sheet_is_refused_naming_code_sheet_row_and_column(
    registry: Registry,
    installed: Path,
    kind: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sheet_name, change, code, sheet, row, col = BROKEN[kind]
    path = new_toolkit_sheet(registry, tmp_path / "broken.xlsx")
    edit(path, sheet_name, change)
    status, out, err = cli(capsys, "toolkits", "check", str(path), "--json")
    assert status == 1, out + err
    result = json.loads(out)
    assert "Traceback" not in out + err
    codes = [(e["code"], e["sheet"], e["row"], e["column"]) for e in result["errors"]]
    match = [c for c in codes if c[0] == code]
    assert match, codes
    got = match[0]
    if sheet is not None:
        assert got[1] == sheet, codes
    if row is not None:
        assert got[2] == row, codes
    if col is not None:
        assert got[3] == col, codes
    assert all(e["message"] for e in result["errors"])
    assert all(e["code"] in {c.code for c in ErrorCode} for e in result["errors"])
    # and import installs nothing
    status, out, err = cli(capsys, "toolkits", "import-sheet", str(path))
    assert status == 2 and "nothing was installed" in err
    assert not installed.exists() or not list(installed.glob("*.yaml"))


def test_every_problem_is_reported_at_once_not_the_first_only(
    registry: Registry, tmp_path: Path
) -> None:
    path = new_toolkit_sheet(registry, tmp_path / "many.xlsx")
    edit(path, "Section 1 groups", _band_typo)
    edit(path, "Section 1", _empty_text)
    edit(path, "Toolkit", _number_as_text)
    check = check_sheet(path)
    lines = [i.line() for i in check.issues]
    assert len(lines) >= 3, lines
    assert any(line.startswith("DEF002 Section 1 groups, row 3, column band:") for line in lines)
    assert any("'hihg' is not one of low, medium, high, null" in line for line in lines)
    assert any(line.startswith("DEF002 Section 1, row 6, column text:") for line in lines)
    assert any(line.startswith("DEF002 Toolkit, row 6, column value: version") for line in lines)


def test_missing_sheets_and_files_that_are_not_workbooks(tmp_path: Path) -> None:
    not_zip = tmp_path / "notes.xlsx"
    not_zip.write_text("Name,Date of birth\n", "utf-8")
    assert [i.code for i in check_sheet(not_zip).issues] == ["DEF010"]
    bomb = tmp_path / "bomb.xlsx"
    import zipfile

    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (120 * 1024 * 1024))
    assert "unpacks to more than 100 MB" in check_sheet(bomb).issues[0].message
    empty = tmp_path / "empty.xlsx"
    Workbook().save(empty)
    codes = [(i.code, i.sheet) for i in check_sheet(empty).issues]
    assert ("DEF011", "Sheets") in codes and ("DEF011", "Toolkit") in codes


LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 2 else "") + ";") * 10}">'
        for n in range(2, 10)
    )
    + "]>"
)


def test_an_xml_entity_bomb_is_refused_without_expanding(
    registry: Registry, tmp_path: Path
) -> None:
    import zipfile

    source = new_toolkit_sheet(registry, tmp_path / "shire.xlsx")
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/") and b"Seen with" in data:
                text = data.decode()
                cut = text.index("?>") + 2 if "?>" in text else 0
                text = text[:cut] + LAUGHS + text[cut:]
                data = text.replace("Seen with an adult", "&lol9;", 1).encode()
            zout.writestr(item, data)
    issues = check_sheet(bomb).issues
    assert [i.code for i in issues] == ["DEF010"]
    assert "entities or a DTD" in issues[0].message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_is_refused_without_hanging(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "toolkit.xlsx"
    os.mkfifo(fifo)
    code, _, err = cli(capsys, "toolkits", "check", str(fifo))
    assert code == 2 and "must be a regular file" in err


def test_a_sheet_with_too_many_rows_is_refused(registry: Registry, tmp_path: Path) -> None:
    path = new_toolkit_sheet(registry, tmp_path / "big.xlsx")

    def grow(ws: Any) -> None:
        for n in range(5200):
            ws.append(["low_signs", f"extra_{n}", f"Extra indicator {n}"])

    edit(path, "Section 1", grow)
    assert [i.code for i in check_sheet(path).issues] == ["DEF016"]


def _p12(tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A partnership's signing identity (the app's own key maker), its password in the
    environment as `toolkits sign` reads it."""
    from app.documents.signing import generate_identity

    identity = generate_identity("Toolkit signer", name)
    path = tmp_path / "partnership.p12"
    path.write_bytes(identity.pkcs12)
    monkeypatch.setenv("CRE_P12_PASSWORD", identity.password.decode())
    return path


def test_a_signed_toolkit_shows_its_issuer_and_a_tampered_one_is_refused(
    registry: Registry,
    installed: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sheet = new_toolkit_sheet(registry, tmp_path / "shire.xlsx")
    p12 = _p12(tmp_path, "Fictional Shire Safeguarding Children Partnership", monkeypatch)
    signed = tmp_path / "signed.xlsx"
    code, out, err = cli(
        capsys, "toolkits", "sign", str(sheet), "--p12", str(p12), "--out", str(signed)
    )
    assert code == 0, err
    assert "issued by Fictional Shire Safeguarding Children Partnership" in out
    check = check_sheet(signed)
    assert check.ok and check.issuer is not None

    tampered = tmp_path / "tampered.xlsx"
    tampered.write_bytes(signed.read_bytes())

    edit(tampered, "Toolkit", lambda ws: set_setting(ws, "partnership", "Someone Else"))
    code, out, err = cli(capsys, "toolkits", "import-sheet", str(tampered))
    assert code == 2
    assert "DEF018" in out and "changed after it was signed" in out
    assert not installed.exists() or not list(installed.glob("*.yaml"))

    code, out, err = cli(capsys, "toolkits", "import-sheet", str(signed))
    assert code == 0, out + err
    assert (
        load_registry()
        .origin("fictional-shire-cse-2027")
        .startswith("issued by Fictional Shire Safeguarding Children Partnership")
    )


def _doc_workbook(path: Path) -> Path:
    """Build the workbook exactly as docs/toolkit-sheets.md's worked example shows it."""
    text = (ROOT / "docs" / "toolkit-sheets.md").read_text("utf-8")
    example = text.split("## Worked example", 1)[1]
    book = Workbook()
    book.remove(book.worksheets[0])
    for title, table in re.findall(r'#### Sheet "([^"]+)"\n\n((?:\|.*\n?)+)', example):
        ws = book.create_sheet(title)
        lines = [
            line for line in table.strip().splitlines() if not re.fullmatch(r"\|(-+\|)+", line)
        ]
        for line in lines:
            cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            ws.append([_doc_value(c) for c in cells])
    book.save(path)
    return path


def _doc_value(cell: str) -> Any:
    if cell == "":
        return None
    if cell in ("TRUE", "FALSE"):
        return cell == "TRUE"
    if re.fullmatch(r"-?\d+", cell):
        return int(cell)
    return cell.replace("<br>", "\n")


def test_the_documented_worked_example_checks_installs_and_assesses(
    installed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _doc_workbook(tmp_path / "example.xlsx")
    check = check_sheet(path, load_registry())
    assert check.ok, [i.line() for i in check.issues]
    assert install(check, path) is not None
    tk = load_registry().get("fictional-borough-ce-2027")
    data = case(load_registry(), tk.id, age=12, identified=tick(tk, "low"))
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(data), "utf-8")
    code, out, err = cli(capsys, "assess", str(case_file), "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["minimum_level"] == "medium"  # the example's under-13 floor
    assert result["suggested_level"] == "medium"


def test_checking_a_toolkit_never_runs_or_installs_anything(
    registry: Registry, installed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = new_toolkit_sheet(registry, tmp_path / "shire.xlsx")
    code, out, _ = cli(capsys, "toolkits", "check", str(sheet))
    assert code == 0 and out.startswith("ok: fictional-shire-cse-2027")
    assert not installed.exists()


# --- adversarial: hidden characters and huge names in a hostile workbook -------------------


def _patched(source: Path, out: Path, marks: dict[bytes, bytes]) -> Path:
    """The workbook with text replaced in its XML, as a hostile file is made (openpyxl
    itself refuses to write control characters)."""
    import zipfile

    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            for old, new in marks.items():
                data = data.replace(old, new)
            dst.writestr(info, data)
    return out


def test_hidden_characters_are_refused_and_never_echoed(
    registry: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A right-to-left override makes an indicator read other than it is stored; a C1
    control in a sheet name would be obeyed by a terminal printing the error. The cell is
    refused by sheet, row and column, and every message is one short visible line."""
    path = new_toolkit_sheet(registry, tmp_path / "clean.xlsx")
    edit(path, "Section 1", lambda ws: setattr(ws.cell(row=2, column=column(ws, "text")),
                                               "value", "MARKTEXT"))  # fmt: skip

    def index(ws: Any) -> None:
        ws.append(["MARKSHEET" + "x" * 20_000, "extra_list[]"])

    edit(path, "Sheets", index)
    hostile = _patched(
        path,
        tmp_path / "hostile.xlsx",
        {b"MARKTEXT": "Seen with \u202eylimaf".encode(), b"MARKSHEET": "\u009b31m".encode()},
    )
    status, out, err = cli(capsys, "toolkits", "check", str(hostile), "--json")
    assert status == 1 and "Traceback" not in out + err
    errors = json.loads(out)["errors"]
    hidden = [e for e in errors if "U+202E" in e["message"]]
    assert hidden and (hidden[0]["sheet"], hidden[0]["row"], hidden[0]["column"]) == (
        "Section 1", 2, "text"
    )  # fmt: skip
    assert all(len(e["message"]) <= 300 and len(e["sheet"] or "") <= 300 for e in errors)
    assert "\u009b" not in out and "\u202e" not in out
    status, out, err = cli(capsys, "toolkits", "check", str(hostile))
    assert status == 1 and "\u009b" not in out + err and "\u202e" not in out + err
    assert all(len(line) < 1000 for line in (out + err).splitlines())


def test_signing_in_place_that_fails_midway_leaves_the_authors_workbook_as_it_was(
    registry: Registry,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`toolkits sign FILE` without --out signs the file itself: a save that dies halfway
    (a full disk, a killed process) must not leave a broken workbook where it was."""
    from openpyxl.workbook.workbook import Workbook as Book

    sheet = new_toolkit_sheet(registry, tmp_path / "shire.xlsx")
    before = sheet.read_bytes()
    p12 = _p12(tmp_path, "Fictional Shire Safeguarding Children Partnership", monkeypatch)

    def dies_halfway(self: Any, filename: Any) -> None:
        Path(filename).write_bytes(before[: len(before) // 2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Book, "save", dies_halfway)
    code, out, err = cli(capsys, "toolkits", "sign", str(sheet), "--p12", str(p12))
    assert code != 0 and "Traceback" not in out + err
    assert sheet.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["partnership.p12", "shire.xlsx"]
