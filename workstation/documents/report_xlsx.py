"""The denial report as an Excel workbook: a Summary sheet (the period and the headline figures),
then one sheet per table. Every number is a number with its format (dollars `#,##0.00`, rates
`0.00%`, counts `#,##0`), every date a date; text a payer typed stays text, never a formula.

openpyxl rather than XlsxWriter: the tests must read the workbook back to check its cells, which
only openpyxl can do, so one library serves both and the program carries one, not two (both are
pure Python and small; XlsxWriter cannot read)."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from workstation.documents.report_tables import Cell, Kind, ReportBook, ReportTable, month_text

FORMATS = {Kind.COUNT: "#,##0", Kind.MONEY: "#,##0.00", Kind.RATE: "0.00%", Kind.DAYS: "General",
           Kind.DATE: "yyyy-mm-dd", Kind.MONTH: "mmm yyyy", Kind.TEXT: "@"}
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
MAX_WIDTH = 60  # characters; longer text wraps
WRAP = Alignment(wrap_text=True, vertical="top")


def sheet_name(table: ReportTable) -> str:
    """"by_reason" -> "By reason" (Excel allows 31 characters)."""
    return (table.sheet or table.name.replace("_", " ").capitalize())[:31]


def report_xlsx(book: ReportBook) -> bytes:
    """The workbook's bytes."""
    workbook = Workbook()
    summary = workbook.active
    summary.title = "Summary"
    _summary(summary, book)
    for table in book.tables:
        _table(workbook.create_sheet(sheet_name(table)), table)
    workbook.properties.creator = "Appeal Workstation"
    workbook.properties.title = f"Denials and appeals, {book.start.isoformat()} to {book.end.isoformat()}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _summary(sheet: Worksheet, book: ReportBook) -> None:
    rows: list[tuple[str, Cell, Kind]] = [("Period from", book.start, Kind.DATE), ("Period to", book.end, Kind.DATE),
                                          ("Payer", book.scope, Kind.TEXT)]
    rows += [(f.label, f.value, f.kind) for f in book.figures]
    _header(sheet, ["Figure", "Value"])
    for number, (label, value, kind) in enumerate(rows, start=2):
        _put(sheet.cell(number, 1), label, Kind.TEXT)
        _put(sheet.cell(number, 2), value, kind)
    start = len(rows) + 3
    _header(sheet, ["Sheet", "What it counts"], row=start)
    for number, table in enumerate(book.tables, start=start + 1):
        _put(sheet.cell(number, 1), sheet_name(table), Kind.TEXT)
        _put(sheet.cell(number, 2), table.note or table.title, Kind.TEXT)
    sheet.column_dimensions["A"].width = 42
    sheet.column_dimensions["B"].width = 18
    for row in sheet.iter_rows(min_row=start + 1, min_col=2, max_col=2):
        row[0].alignment = Alignment(wrap_text=False)
    sheet.freeze_panes = "A2"


def _table(sheet: Worksheet, table: ReportTable) -> None:
    _header(sheet, [c.title for c in table.columns])
    for number, row in enumerate(table.rows, start=2):
        for column, (value, spec) in enumerate(zip(row, table.columns, strict=True), start=1):
            _put(sheet.cell(number, column), value, spec.kind)
    lines = 1
    for column, spec in enumerate(table.columns, start=1):
        texts = [max(spec.title.split(), key=len)] + [_shown(row[column - 1], spec.kind) for row in table.rows]
        width = max(min(max(len(t) for t in texts) + 2, MAX_WIDTH), 12)
        sheet.column_dimensions[get_column_letter(column)].width = width
        lines = max(lines, _lines(spec.title, width - 2))
        if width >= MAX_WIDTH:
            for cell in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                cell[0].alignment = WRAP
    sheet.row_dimensions[1].height = 15 * lines  # the titles wrap at their spaces
    sheet.freeze_panes = "A2"
    if table.rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{len(table.rows) + 1}"


def _lines(title: str, width: int) -> int:
    """How many lines a title takes when wrapped at its spaces in `width` characters."""
    count, used = 1, 0
    for word in title.split():
        if used and used + 1 + len(word) > width:
            count, used = count + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return count


def _header(sheet: Worksheet, titles: list[str], row: int = 1) -> None:
    for column, title in enumerate(titles, start=1):
        cell = sheet.cell(row, column)
        _put(cell, title, Kind.TEXT)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _put(cell: SheetCell, value: Cell, kind: Kind) -> None:
    """A value with its format; text is stored as text even when it starts with '=' (no formula)."""
    if value is None:
        return
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # openpyxl would take "=..." for a formula
        return
    if isinstance(value, date) and not isinstance(value, datetime):
        cell.value = value
        cell.number_format = FORMATS[Kind.MONTH if kind is Kind.MONTH else Kind.DATE]
        return
    cell.value = value if isinstance(value, int) else Decimal(value)
    cell.number_format = FORMATS.get(kind, "General") if kind is not Kind.TEXT else "General"


def _shown(value: Cell, kind: Kind) -> str:
    """Roughly what Excel shows, to size the column."""
    if value is None:
        return ""
    if isinstance(value, date):
        return month_text(value) if kind is Kind.MONTH else value.isoformat()
    if kind is Kind.MONEY:
        return f"{Decimal(value):,.2f}"
    if kind is Kind.RATE:
        return f"{Decimal(value) * 100:.2f}%"
    return str(value)
