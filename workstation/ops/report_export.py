"""The denial report exported (issue 13, point 5): every table as a CSV file in a folder, the
workbook (documents/report_xlsx.py) and the monthly PDF (documents/report_pdf.py), made from the
report's JSON-ready data so every file holds exactly the figures `report --json` prints.

CSV follows the worklist export (worklist_export.py): its `safe_cell` against CSV injection for
text, UTF-8 with a byte-order mark for Excel, CRLF lines; numbers written plain ("1234.50",
"0.1250", "-2.00"), never escaped, dates ISO. Every file is written aside first and renamed into
place only when all were written, so a refusal leaves nothing behind."""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from workstation.casefile.workspace import Workspace
from workstation.core.audit import AuditAction
from workstation.core.errors import UserError
from workstation.core.money import money_text
from workstation.core.patterns import DEFAULT_DAYS
from workstation.core.workspace_model import PracticeProfile
from workstation.documents.report_pdf import report_pdf
from workstation.documents.report_tables import Cell, Column, Figure, Kind, ReportBook, ReportTable
from workstation.documents.report_xlsx import report_xlsx
from workstation.ops.audit import record
from workstation.ops.worklist_export import safe_cell

C, N, M, R, D = Kind.TEXT, Kind.COUNT, Kind.MONEY, Kind.RATE, Kind.DAYS
GROUP_TITLES = {"by_reason": ("Denials by reason", "Reason code"),
                "by_category": ("Denials by category", "Category"),
                "by_payer": ("Denials by payer", "Payer"),
                "by_procedure": ("Denials by procedure", "Procedure (with modifier)"),
                "by_provider": ("Denials by rendering provider", "Rendering provider NPI"),
                "by_month": ("Denials by month", "Month of remittance")}
DEADLINES = {"overdue": "Overdue", "this_week": "Within 7 days", "this_month": "Within 30 days",
             "later": "Later", "unknown": "Date unknown"}


def category_label(category: str) -> str:
    """"coordination_of_benefits" as a biller says it: "Coordination of benefits"."""
    return category.replace("_", " ").capitalize()


def _money(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _month(key: str) -> Cell:
    """"2026-02" as the first of February; "(no date)" stays text."""
    try:
        return date.fromisoformat(f"{key}-01")
    except ValueError:
        return key


def _days(value: str | int | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _group_table(report: dict[str, Any], name: str) -> ReportTable:
    title, key_title = GROUP_TITLES[name]
    first = Column(key_title, Kind.MONTH if name == "by_month" else C)
    money = (Column("Claims", N), Column("Dollars denied", M), Column("Still at stake", M))
    rows = []
    for entry in report[name]:
        key: Cell = _month(entry["key"]) if name == "by_month" else entry["key"]
        if name == "by_category":
            key = category_label(entry["key"])
        values = (entry["claims"], _money(entry["denied"]), _money(entry["at_stake"]))
        rows.append((key, category_label(entry["category"]), *values) if name == "by_reason" else (key, *values))
    columns = (first, Column("Category"), *money) if name == "by_reason" else (first, *money)
    if name == "by_month":  # a calendar reads in order; the other groupings go largest first
        rows.sort(key=lambda row: (not isinstance(row[0], date), str(row[0])))
    return ReportTable(name, title, columns, tuple(rows),
                       "Denial adjustments on remittances dated in the period; still at stake: what their open "
                       "cases still have at stake.")


def _appeals_table(report: dict[str, Any]) -> ReportTable:
    a = report["appeals"]
    columns = (Column("Appeals sent", N), Column("Decided", N), Column("Won", N), Column("Partly won", N),
               Column("Lost", N), Column("Overturn rate", R), Column("Recovered", M),
               Column("Days to appeal (median)", D), Column("Days to appeal (90th percentile)", D),
               Column("Days to resolution (median)", D), Column("Days to resolution (90th percentile)", D))
    row = (a["sent"], a["decided"], a["won"], a["partially_won"], a["lost"], Decimal(a["overturn_rate"]),
           _money(a["recovered"]), _days(a["days_to_appeal_median"]), _days(a["days_to_appeal_p90"]),
           _days(a["days_to_resolution_median"]), _days(a["days_to_resolution_p90"]))
    return ReportTable("appeals", "Appeal outcomes", columns, (row,),
                       "Appeals sent and decisions made in the period; overturn rate: won and partly won "
                       "of decided.")


def _appeals_by_level(report: dict[str, Any]) -> ReportTable:
    columns = (Column("Appeal level", N), Column("Decided", N), Column("Won", N), Column("Partly won", N),
               Column("Lost", N))
    rows = tuple((e["level"], e["decided"], e["won"], e["partially_won"], e["lost"])
                 for e in report.get("appeals_by_level", []))
    return ReportTable("appeals_by_level", "Decisions by appeal level", columns, rows)


def _backlog_tables(report: dict[str, Any]) -> list[ReportTable]:
    age = ReportTable("backlog_by_age", "Open cases by age",
                      (Column("Days since the notice"), Column("Open cases", N), Column("Still at stake", M)),
                      tuple((label.capitalize(), v["cases"], _money(v["at_stake"]))
                            for label, v in report["backlog_by_age"].items()),
                      "Open cases today, by days since the payer's notice.")
    deadline = ReportTable("backlog_by_deadline", "Open cases by the date to act",
                           (Column("Date to act"), Column("Open cases", N)),
                           tuple((DEADLINES.get(k, k), v) for k, v in report["backlog_by_deadline"].items()),
                           "Open cases today, by their send-by or follow-up date.")
    return [age, deadline]


def _money_tables(report: dict[str, Any]) -> list[ReportTable]:
    sequestration = Column("Sequestration (CO-253)", M)
    return [
        ReportTable("sequestration_by_month", "Sequestration by month",
                    (Column("Month of remittance", Kind.MONTH), sequestration),
                    tuple((_month(k), Decimal(v)) for k, v in report["sequestration_by_month"].items()),
                    "CO-253 taken on remittances dated in the period (a reversal gives it back)."),
        ReportTable("sequestration_by_payer", "Sequestration by payer", (Column("Payer"), sequestration),
                    tuple((k, Decimal(v)) for k, v in report["sequestration_by_payer"].items())),
        ReportTable("write_offs_by_reason", "Write-offs by reason",
                    (Column("Reason code"), Column("Cases written off", N), Column("Dollars written off", M)),
                    tuple((k, v["cases"], _money(v["amount"])) for k, v in report["write_offs_by_reason"].items()),
                    "Cases written off, by the reason codes that opened them.", sheet="Write-offs by reason"),
    ]


def _patterns_table(report: dict[str, Any]) -> ReportTable:
    columns = (Column("Payer"), Column("Reason code"), Column("Procedure"), Column("Modifier"),
               Column(f"Denials in the last {DEFAULT_DAYS} days", N), Column("Dollars denied", M),
               Column("Check before billing"), Column("Change adopted on", Kind.DATE), Column("What was changed"),
               Column("Denials before the change", N), Column("Denials since the change", N))
    rows = []
    for p in report["patterns"]:
        adopted = p["adopted"] or {}
        rows.append((p["payer"], p["code"], p["procedure"], p["modifier"], p["count"], _money(p["denied"]),
                     p["check"], date.fromisoformat(adopted["on"]) if adopted else None, adopted.get("note"),
                     adopted.get("before"), adopted.get("after")))
    return ReportTable("patterns", "Recurring denials and the check that prevents them", columns, tuple(rows),
                       "The same payer, reason and procedure denied again and again; an adopted change shows "
                       "its denials in equal spans before and since.")


def report_book(report: dict[str, Any], scope: str = "") -> ReportBook:
    """The report's data (as build_report gives it) as typed figures and tables."""
    a = report["appeals"]
    backlog = report["backlog_by_age"].values()
    figures = (
        Figure("Claims with a first remittance", report["claims"], N),
        Figure("Claims denied in full or in part", report["denied_claims"], N),
        Figure("Initial denial rate (claims)", Decimal(report["initial_denial_rate"]), R),
        Figure("Billed on those claims", _money(report.get("billed")), M),
        Figure("Billed on the denied claims", _money(report.get("denied_billed")), M),
        Figure("Initial denial rate (dollars billed)", Decimal(report["initial_denial_rate_dollars"]), R),
        Figure("Appeals sent", a["sent"], N),
        Figure("Appeals decided", a["decided"], N),
        Figure("Won", a["won"], N),
        Figure("Partly won", a["partially_won"], N),
        Figure("Lost", a["lost"], N),
        Figure("Overturn rate", Decimal(a["overturn_rate"]), R),
        Figure("Recovered on appeal", _money(a["recovered"]), M),
        Figure("Days from denial to appeal (median)", _days(a["days_to_appeal_median"]), D),
        Figure("Days from denial to resolution (median)", _days(a["days_to_resolution_median"]), D),
        Figure("Open cases", sum(v["cases"] for v in backlog), N),
        Figure("Open dollars at stake", sum((Decimal(v["at_stake"]) for v in backlog), Decimal("0.00")), M),
        Figure("Open cases overdue", report["backlog_by_deadline"].get("overdue", 0), N),
        Figure("Sequestration (CO-253)", _money(report["sequestration_total"]), M),
    )
    tables = [_group_table(report, name) for name in GROUP_TITLES]
    tables += [_appeals_table(report), _appeals_by_level(report), *_backlog_tables(report), *_money_tables(report),
               _patterns_table(report)]
    period = report["period"]
    return ReportBook(date.fromisoformat(period["from"]), date.fromisoformat(period["to"]),
                      scope.strip() or "All payers", figures, tuple(tables))


def cell_text(value: Cell, kind: Kind) -> str:
    """A cell as CSV text: numbers plain (money with two places, rates with four), dates ISO."""
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_cell(value)
    if isinstance(value, date):
        return f"{value:%Y-%m}" if kind is Kind.MONTH else value.isoformat()
    if kind is Kind.MONEY:
        return money_text(Decimal(value))
    if kind is Kind.RATE:
        return f"{Decimal(value):.4f}"
    return f"{Decimal(value).normalize():f}" if isinstance(value, Decimal) else str(value)


def table_csv(titles: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(t) for t in titles])
    writer.writerows(rows)
    return buffer.getvalue()


def report_csvs(book: ReportBook) -> dict[str, str]:
    """Each table's CSV text by file name ("by_reason.csv"), and summary.csv with the period and figures."""
    summary = [["Period from", book.start.isoformat()], ["Period to", book.end.isoformat()],
               ["Payer", safe_cell(book.scope)]]
    summary += [[f.label, cell_text(f.value, f.kind)] for f in book.figures]
    files = {"summary.csv": table_csv(["Figure", "Value"], summary)}
    for table in book.tables:
        files[f"{table.name}.csv"] = table_csv(
            [c.title for c in table.columns],
            [[cell_text(v, c.kind) for v, c in zip(row, table.columns, strict=True)] for row in table.rows])
    return files


@dataclass(frozen=True)
class Exported:
    paths: tuple[Path, ...]

    def sentence(self) -> str:
        """"Wrote report.xlsx, report.pdf and 17 CSV files in out/csv."."""
        csvs = [p for p in self.paths if p.suffix == ".csv"]
        parts = [str(p) for p in self.paths if p.suffix != ".csv"]
        if csvs:
            parts.append(f"{len(csvs)} CSV files in {csvs[0].parent}")
        text = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
        return f"Wrote {text}."


def export_report(report: dict[str, Any], *, csv_dir: Path | None = None, xlsx: Path | None = None,
                  pdf: Path | None = None, practice: PracticeProfile | None = None, logo: bytes | None = None,
                  scope: str = "", today: date | None = None, root: Path | None = None) -> Exported:
    """Write what was asked (CSV files in a folder, a workbook, the PDF): all of it or, with a
    sentence saying why, none of it. `scope` names the payer the report was limited to; `today`
    is the day its open backlog was counted (both default to what the report says of itself). The
    export is recorded in the audit trail of the workspace at `root`."""
    scope = scope or report.get("payer") or ""
    today = today or (date.fromisoformat(report["as_of"]) if report.get("as_of") else None)
    book = report_book(report, scope)
    files: dict[Path, bytes] = {}
    made_folder = None
    if xlsx is not None:
        files[_file_target(Path(xlsx), ".xlsx")] = report_xlsx(book)
    if pdf is not None:
        files[_file_target(Path(pdf), ".pdf")] = report_pdf(book, practice or PracticeProfile(), logo=logo, today=today)
    if csv_dir is not None:
        folder = Path(csv_dir)
        made_folder = _folder(folder)
        for name, text in report_csvs(book).items():
            files[folder / name] = text.encode("utf-8-sig")
    try:
        _write_all(files)
    except UserError:
        if made_folder is not None:
            _remove_empty(made_folder, Path(csv_dir))
        raise
    record(root, AuditAction.CSV_EXPORT, detail=_exported_words(report, files))
    return Exported(tuple(files))


def _exported_words(report: dict[str, Any], files: dict[Path, bytes]) -> str:
    """"report from 2026-01-01 to 2026-03-31 exported: an Excel workbook, a PDF, 17 CSV files"."""
    kinds = {".xlsx": "an Excel workbook", ".pdf": "a PDF"}
    parts = [kinds[p.suffix] for p in files if p.suffix in kinds]
    csvs = sum(1 for p in files if p.suffix == ".csv")
    parts += [f"{csvs} CSV files"] if csvs else []
    period = report.get("period") or {}
    return f"report from {period.get('from')} to {period.get('to')} exported: {', '.join(parts) or 'no files'}"


def _file_target(target: Path, suffix: str) -> Path:
    if target.is_dir():
        raise UserError(f"{target} is a folder; give a file name for the report, such as "
                        f"{target / ('denial-report' + suffix)}.")
    if not target.parent.is_dir():
        raise UserError(f"The folder {target.parent} does not exist; create it or choose another one.")
    return target


def _folder(folder: Path) -> Path | None:
    """Make the CSV folder when missing; returns the topmost folder made (to remove again on failure)."""
    if folder.is_dir():
        return None
    if folder.exists():
        raise UserError(f"{folder} is a file, not a folder; give a folder for the CSV files.")
    top = folder
    while not top.parent.exists():
        top = top.parent
    try:
        folder.mkdir(parents=True)
    except OSError as error:
        raise UserError(f"The folder {folder} could not be made ({error.strerror or error}); "
                        "choose another one.") from None
    return top


def _remove_empty(top: Path, folder: Path) -> None:
    """Remove the folders made for a failed export, from the deepest up to `top`."""
    current = folder
    while True:
        try:
            current.rmdir()
        except OSError:
            return
        if current == top:
            return
        current = current.parent


def _write_all(files: dict[Path, bytes]) -> None:
    """Each file written aside (".name.partial"), then all renamed into place; a failure removes
    every partial file and says why in one sentence."""
    partials: list[Path] = []
    try:
        for target, data in files.items():
            partial = target.with_name(f".{target.name}.partial")
            partials.append(partial)
            with partial.open("wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        for (target, _data), partial in zip(files.items(), partials, strict=True):
            partial.replace(target)
    except OSError as error:
        for partial in partials:
            partial.unlink(missing_ok=True)
        where = error.filename if isinstance(error.filename, str) else ""
        raise UserError(f"The report could not be written{' to ' + str(Path(where).parent) if where else ''} "
                        f"({error.strerror or error}); choose another folder or free some space.") from None


def export_report_at(root: Path, report: dict[str, Any], *, csv_dir: Path | None = None, xlsx: Path | None = None,
                     pdf: Path | None = None) -> Exported:
    """Export with the letterhead of the workspace at `root`, opened here (the window exports on a
    worker thread)."""
    with Workspace.open(Path(root), backup=False) as workspace:
        practice, logo = workspace.practice(), workspace.practice_image("logo")
    return export_report(report, csv_dir=csv_dir, xlsx=xlsx, pdf=pdf, practice=practice, logo=logo, root=Path(root))
