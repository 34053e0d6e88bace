"""Issue 13, point 5: the report's tables to CSV and Excel and the monthly PDF, read back (csv,
openpyxl, pypdf) and compared with the figures `report --json` gives, on the hand-written
remittances of the measures' tests (tests/ops/test_report.py)."""

from __future__ import annotations

import csv
import io
import re
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from workstation.casefile.workspace import Workspace
from workstation.core.errors import UserError
from workstation.core.model import Address
from workstation.core.workspace_model import PracticeProfile
from workstation.documents.report_tables import Kind
from workstation.ops.report import ReportRequest, build_report
from workstation.ops.report_export import cell_text, export_report

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ops"))
from remit_text import claim, interchange, line, transaction
from remit_text import import_text as run
from test_report import _workspace  # February and March, two payers, an appeal won, a reversal

PRACTICE = PracticeProfile("Clínica Río Ñandú & Associates", Address("12 Rue Élodie", "", "Sampleburg", "ZZ", "00010"),
                           phone="555-0150", npi="1234567893")
TABLES = {"by_reason", "by_category", "by_payer", "by_procedure", "by_provider", "by_month", "appeals",
          "appeals_by_level", "backlog_by_age", "backlog_by_deadline", "sequestration_by_month",
          "sequestration_by_payer", "write_offs_by_reason", "patterns"}


def _report(ws: Workspace) -> dict:
    return build_report(ws, ReportRequest(date(2026, 2, 1), date(2026, 3, 31), today=date(2026, 3, 31)))


@pytest.fixture
def exported(ws: Workspace, tmp_path: Path) -> tuple[dict, Path]:
    """The measures' workspace, its report, and all three exports of it in tmp_path/out."""
    report = _report(_workspace(ws, tmp_path))
    out = tmp_path / "out"
    out.mkdir()
    export_report(report, csv_dir=out / "csv", xlsx=out / "report.xlsx", pdf=out / "report.pdf",
                  practice=PRACTICE, today=date(2026, 3, 31))
    return report, out


def _csv(path: Path) -> list[dict[str, str]]:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for accents
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_every_table_is_a_csv_file_holding_the_json_figures(exported: tuple[dict, Path]) -> None:
    report, out = exported
    folder = out / "csv"
    assert {p.stem for p in folder.iterdir()} == TABLES | {"summary"}
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no partial file left
    reasons = {r["Reason code"]: (r["Category"], r["Claims"], r["Dollars denied"], r["Still at stake"])
               for r in _csv(folder / "by_reason.csv")}
    assert reasons == {r["code"]: (r["category"].replace("_", " ").capitalize(), str(r["claims"]), r["denied"],
                                   r["at_stake"]) for r in report["by_reason"]}
    assert reasons["CO-97"] == ("Coding", "1", "150.00", "150.00")
    assert {r["Payer"]: r["Dollars denied"] for r in _csv(folder / "by_payer.csv")} == {
        "DEMO MEDICARE CONTRACTOR": "350.00", "SECOND PLAN": "80.00"}
    assert [(r["Month of remittance"], r["Dollars denied"]) for r in _csv(folder / "by_month.csv")] == [
        ("2026-02", "350.00"), ("2026-03", "80.00")]  # in calendar order
    # a negative amount is a number, never escaped as if it were a formula
    assert {r["Month of remittance"]: r["Sequestration (CO-253)"]
            for r in _csv(folder / "sequestration_by_month.csv")} == {"2026-02": "2.00", "2026-03": "-2.00"}
    (appeals,) = _csv(folder / "appeals.csv")
    assert (appeals["Appeals sent"], appeals["Won"], appeals["Overturn rate"], appeals["Recovered"],
            appeals["Days to appeal (median)"], appeals["Days to resolution (median)"]) == (
        "1", "1", "1.0000", "200.00", "18", "44")
    assert {r["Days since the notice"]: r["Open cases"] for r in _csv(folder / "backlog_by_age.csv")} == {
        "0-30": "1", "31-60": "1", "61-90": "0", "91-120": "0", "Over 120": "0"}
    summary = {r["Figure"]: r["Value"] for r in _csv(folder / "summary.csv")}
    assert (summary["Period from"], summary["Period to"], summary["Payer"]) == ("2026-02-01", "2026-03-31",
                                                                                "All payers")
    assert (summary["Initial denial rate (claims)"], summary["Initial denial rate (dollars billed)"]) == (
        report["initial_denial_rate"], report["initial_denial_rate_dollars"]) == ("0.6000", "0.7250")
    assert summary["Sequestration (CO-253)"] == "0.00"


def test_text_that_looks_like_a_formula_is_escaped_and_numbers_never_are() -> None:
    for text in ("=SUM(A1)", "+1 PLAN", "-CMD", "@HOME PLAN", " =X"):
        assert cell_text(text, Kind.TEXT) == f"'{text}"
    assert cell_text("SECOND PLAN", Kind.TEXT) == "SECOND PLAN"
    assert cell_text(Decimal("-2"), Kind.MONEY) == "-2.00"
    assert cell_text(Decimal("0.125"), Kind.RATE) == "0.1250"
    assert cell_text(date(2026, 3, 1), Kind.DATE) == "2026-03-01"
    assert cell_text(date(2026, 3, 1), Kind.MONTH) == "2026-03"
    assert cell_text(None, Kind.MONEY) == ""


def test_a_payer_named_like_a_formula_stays_text_in_csv_and_excel(ws: Workspace, tmp_path: Path) -> None:
    text = interchange(transaction(
        claim("F-1", "4", "90", "0", *line("99213", "90", "0", "20260210", "CAS*CO*50*90"), icn="I-F1",
              member="M-F1", filing="CI"),
        total="0", trace="FX-1", payer=("=HYPERLINK(1) PLAN", "66666"), notice="20260215", payment_date="20260216"))
    run(ws, tmp_path, "formula.835", text)
    report = _report(ws)
    assert [r["key"] for r in report["by_payer"]] == ["=HYPERLINK(1) PLAN"]
    export_report(report, csv_dir=tmp_path / "csv", xlsx=tmp_path / "r.xlsx")
    (row,) = _csv(tmp_path / "csv" / "by_payer.csv")
    assert row["Payer"] == "'=HYPERLINK(1) PLAN"
    cell = load_workbook(tmp_path / "r.xlsx")["By payer"]["A2"]
    assert (cell.value, cell.data_type) == ("=HYPERLINK(1) PLAN", "s")  # text, not a formula


#: Columns of codes made of digits (a CPT code, an NPI): text, as a biller types them.
CODES = {"Procedure (with modifier)", "Rendering provider NPI", "Procedure", "Modifier"}


def _numbers_as_text(sheet) -> list[str]:
    """Cells holding a number as text (a code column apart)."""
    codes = {c.column for c in sheet[1] if c.value in CODES}
    return [c.coordinate for row in sheet.iter_rows() for c in row if c.column not in codes
            and c.data_type == "s" and re.fullmatch(r"-?[\d,]+(\.\d+)?%?", str(c.value).strip())]


def test_the_workbook_holds_numbers_and_dates_with_their_formats(exported: tuple[dict, Path]) -> None:
    report, out = exported
    book = load_workbook(out / "report.xlsx")
    assert book.sheetnames[0] == "Summary" and len(book.sheetnames) == 1 + len(TABLES)
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title  # the header row stays in view
        assert not _numbers_as_text(sheet), sheet.title
        assert sheet.column_dimensions["A"].width >= 10
    reasons = book["By reason"]
    assert [c.value for c in reasons[1]] == ["Reason code", "Category", "Claims", "Dollars denied", "Still at stake"]
    rows = {r[0].value: r for r in reasons.iter_rows(min_row=2)}
    assert set(rows) == {r["code"] for r in report["by_reason"]}
    for entry in report["by_reason"]:
        _code, _category, claims, denied, at_stake = rows[entry["code"]]
        assert (claims.value, claims.number_format) == (entry["claims"], "#,##0")
        assert isinstance(denied.value, int | float) and denied.number_format == "#,##0.00"
        assert Decimal(str(denied.value)) == Decimal(entry["denied"])
        assert Decimal(str(at_stake.value)) == Decimal(entry["at_stake"])
    summary = {r[0].value: r[1] for r in book["Summary"].iter_rows(min_row=2, max_col=2) if r[0].value}
    assert summary["Period from"].value == datetime(2026, 2, 1) and summary["Period from"].is_date
    assert summary["Period from"].number_format == "yyyy-mm-dd"
    rate = summary["Initial denial rate (claims)"]
    assert (Decimal(str(rate.value)), rate.number_format) == (Decimal("0.6"), "0.00%")
    assert Decimal(str(summary["Recovered on appeal"].value)) == Decimal("200.00")
    month = book["By month"]["A2"]
    assert (month.value, month.is_date, month.number_format) == (datetime(2026, 2, 1), True, "mmm yyyy")
    sequestration = [Decimal(str(r[1].value)) for r in book["Sequestration by month"].iter_rows(min_row=2)]
    assert sequestration == [Decimal("2.00"), Decimal("-2.00")]
    appeals = book["Appeals"]
    assert (appeals["F2"].value, appeals["F2"].number_format) == (1, "0.00%")  # the overturn rate, 100.00%


def _pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def test_the_pdf_holds_the_headline_figures_page_numbers_and_no_patient(exported: tuple[dict, Path]) -> None:
    _report_data, out = exported
    pages = _pdf_pages(out / "report.pdf")
    text = "\n".join(pages)
    assert "Clínica Río Ñandú & Associates" in text and "12 Rue Élodie" in text  # the letterhead, accents printed
    assert "February 1, 2026 to March 31, 2026 · All payers · open cases as of March 31, 2026" in text
    for figure in ("60.0%", "3 of 5 claims", "72.5%", "$580.00 of $800.00", "100.0%", "$200.00",
                   "Dollars denied by reason", "Dollars denied by payer", "CO-50", "SECOND PLAN"):
        assert figure in text, figure
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
    # counts and dollars only: the remittances' patient (NM1*QC TESTPERSON, ALPHA) is nowhere
    assert "TESTPERSON" not in text.upper() and "ALPHA" not in text.upper()
    first = PdfReader(out / "report.pdf").pages[0]
    assert not list(first.images)  # the charts are drawn, not pictures
    fonts = {str(f.get("/BaseFont")) for f in first["/Resources"]["/Font"].values()}
    assert any("DejaVuSans" in f for f in fonts)


def test_an_empty_period_still_prints_a_whole_report(ws: Workspace, tmp_path: Path) -> None:
    report = build_report(ws, ReportRequest(date(2026, 2, 1), date(2026, 2, 28), today=date(2026, 3, 31)))
    export_report(report, pdf=tmp_path / "empty.pdf", xlsx=tmp_path / "empty.xlsx", practice=PracticeProfile())
    text = "\n".join(_pdf_pages(tmp_path / "empty.pdf"))
    assert "No denials on remittances in this period." in text and "Page 1 of" in text
    assert load_workbook(tmp_path / "empty.xlsx")["By reason"].max_row == 1  # the header alone


def test_a_file_path_that_is_a_folder_is_one_sentence_and_nothing_is_written(ws: Workspace, tmp_path: Path) -> None:
    report = _report(ws)
    (tmp_path / "taken").mkdir()
    with pytest.raises(UserError, match=r"taken is a folder; give a file name") as refused:
        export_report(report, csv_dir=tmp_path / "new" / "csv", pdf=tmp_path / "taken")
    assert str(refused.value).count(". ") == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken", "ws"]  # no CSV folder made, nothing inside
    assert not list((tmp_path / "taken").iterdir())
