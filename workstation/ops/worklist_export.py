"""The worklist rows a biller chose, as a CSV file a spreadsheet opens safely.

Text a payer or a person typed may start with `=`, `+`, `-` or `@`; a spreadsheet would run it
as a formula (CSV injection), so such a cell is written with a leading apostrophe. Amounts and
day counts are written as plain numbers so they can be summed and sorted. The file is UTF-8 with
a byte-order mark, so accented names open correctly in Excel."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

from workstation.core.audit import AuditAction
from workstation.core.deadlines import DeadlineKind
from workstation.core.errors import UserError
from workstation.core.money import money_text
from workstation.core.summary import CaseSummary
from workstation.core.vocabulary import Route, Status
from workstation.ops.audit import file_digest, record_rows

#: Cells starting with one of these are formulas to a spreadsheet (tab and carriage return too).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(text: str) -> str:
    """Text a spreadsheet shows as text, never runs: a formula-like start gets an apostrophe."""
    return f"'{text}" if text.lstrip(" ").startswith(FORMULA_STARTS) else text


def _status(row: CaseSummary) -> str:
    return "Cannot open" if row.problem else Status(row.status).label if row.status else ""


def _route(row: CaseSummary) -> str:
    return Route(row.route).label if row.route else ""


def _days_left(row: CaseSummary) -> str:
    d = row.deadline
    return "" if d is None or d.kind is DeadlineKind.UNKNOWN or d.days_left is None else str(d.days_left)


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


#: (header, text of a row, whether the text is ours and numeric, so never escaped)
CSV_COLUMNS: tuple[tuple[str, Callable[[CaseSummary, date], str], bool], ...] = (
    ("Patient", lambda r, _t: r.patient, False),
    ("Account number", lambda r, _t: r.account_number, False),
    ("Claim number", lambda r, _t: r.claim_number, False),
    ("Payer", lambda r, _t: r.payer, False),
    ("Payer ID", lambda r, _t: r.payer_id, False),
    ("Reason codes", lambda r, _t: " ".join(r.reasons), False),
    ("Denial reason", lambda r, _t: r.problem or r.reason_text, False),
    ("At stake", lambda r, _t: money_text(r.amount_at_stake), True),
    ("Status", lambda r, _t: _status(r), False),
    ("Route", lambda r, _t: _route(r), False),
    ("Assignee", lambda r, _t: r.assignee, False),
    ("Review", lambda r, _t: r.review_text, False),
    ("Notice date", lambda r, _t: _day(r.notice_date), True),
    ("Send by", lambda r, _t: _day(r.deadline.reminder_date if r.deadline else None), True),
    ("Due", lambda r, _t: _day(r.deadline.due if r.deadline else None), True),
    ("Days left", lambda r, _t: _days_left(r), True),
    ("Age (days)", lambda r, t: "" if r.age_days(t) is None else str(r.age_days(t)), True),
    ("Case file", lambda r, _t: r.path.name, False),
)


def worklist_csv(rows: list[CaseSummary], *, today: date | None = None) -> str:
    """The rows as CSV text (a header line, then one line per case, in the order given)."""
    today = today or date.today()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([title for title, _text, _ours in CSV_COLUMNS])
    for row in rows:
        writer.writerow([text(row, today) if ours else safe_cell(text(row, today))
                         for _title, text, ours in CSV_COLUMNS])
    return buffer.getvalue()


def export_worklist_csv(rows: list[CaseSummary], target: Path, *, today: date | None = None) -> Path:
    """Write the rows to `target` (whole or not at all), and record it in the audit trail."""
    text = worklist_csv(rows, today=today)
    written = write_csv_text(text, Path(target))
    record_rows(rows, AuditAction.CSV_EXPORT,
                detail=f"worklist CSV of {len(rows)} cases, {file_digest(text.encode('utf-8-sig'))}")
    return written


def safe_rows_csv(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """Any table as CSV text, every cell written as text a spreadsheet never runs."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def write_csv_text(text: str, target: Path) -> Path:
    """Write CSV text to `target` (UTF-8 with a byte-order mark, whole or not at all); a folder that
    refuses says so in a sentence."""
    temporary = target.with_name(f".{target.name}.part")
    try:
        temporary.write_text(text, encoding="utf-8-sig", newline="")
        os.replace(temporary, target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise UserError(f"{target.name} could not be written ({error.strerror or error}); "
                        "choose another folder or close the file where it is open.") from None
    return target
