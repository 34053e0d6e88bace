"""Deadlines for the worklist, the command line and the calendar, from the workspace's ladders."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from workstation.casefile.index import DeadlineOf
from workstation.casefile.workspace import Workspace
from workstation.core.audit import AuditAction
from workstation.core.deadlines import Deadline, DeadlineFacts, DeadlineKind, deadline_for
from workstation.core.money import ZERO, dollars
from workstation.core.payer_kinds import Ladder, default_ladders
from workstation.core.summary import CaseSummary
from workstation.core.vocabulary import PayerKind
from workstation.core.workspace_model import PayerEntry
from workstation.ops.audit import file_digest, record_rows
from workstation.ops.files import write_file

BUFFER_SETTING = "mailing_buffer_days"
_UNSEEN = Deadline(DeadlineKind.UNKNOWN, "")  # a marker: None is a real answer


class LadderBook:
    """Finds the ladder for a case's payer: the directory entry's own, else its kind's default."""

    def __init__(self, payers: list[PayerEntry]) -> None:
        self.by_id = {pid.strip().upper(): p for p in payers for pid in p.payer_ids if pid.strip()}
        self.by_name = {p.name.strip().upper(): p for p in payers}

    def ladder(self, payer_id: str, payer_name: str, kind: str) -> Ladder:
        entry = self.by_id.get(payer_id.strip().upper()) or self.by_name.get(payer_name.strip().upper())
        if entry is not None:
            return entry.effective_ladder()
        return default_ladders()[PayerKind(kind) if kind else PayerKind.OTHER]


def buffer_days(workspace: Workspace) -> int:
    """Days allowed for the mail to reach the payer (a workspace setting, default 10)."""
    return workspace.settings().mailing_buffer_days


def with_deadlines(workspace: Workspace, rows: list[CaseSummary], *, today: date | None = None) -> list[CaseSummary]:
    """Each row with its deadline computed now (a ladder edit changes every open case's dates)."""
    today = today or date.today()
    book, buffer = LadderBook(workspace.payers()), buffer_days(workspace)
    return [dataclasses.replace(row, deadline=_deadline(row, book, today, buffer)) for row in rows]


def rows_with_deadlines(workspace: Workspace, *, today: date | None = None) -> list[CaseSummary]:
    """Every row of the index with its deadline, computed as each row is read (for 10,000 rows
    this saves copying every row afterwards, as `with_deadlines` must)."""
    return workspace.index.rows(deadline=deadline_of(workspace, today=today))


def deadline_of(workspace: Workspace, *, today: date | None = None, open_only: bool = False) -> DeadlineOf:
    """What computes a row's deadline as the index reads it, with the workspace's ladders and mailing
    buffer read now; `open_only` leaves closed cases without one (the report needs no more)."""
    book, buffer, today = LadderBook(workspace.payers()), buffer_days(workspace), today or date.today()
    known: dict[tuple[DeadlineFacts, str, str, str], Deadline | None] = {}  # the cases of one remittance share theirs

    def deadline(facts: DeadlineFacts, payer_id: str, payer: str, kind: str) -> Deadline | None:
        if open_only and not facts.status.is_open:
            return None
        key = (facts, payer_id, payer, kind)
        found = known.get(key, _UNSEEN)
        if found is _UNSEEN:
            found = known[key] = deadline_for(facts, book.ladder(payer_id, payer, kind), today=today,
                                              buffer_days=buffer)
        return found
    return deadline


def _deadline(row: CaseSummary, book: LadderBook, today: date, buffer: int) -> Deadline | None:
    if row.facts is None:
        return None
    return deadline_for(row.facts, book.ladder(row.payer_id, row.payer, row.payer_kind), today=today,
                        buffer_days=buffer)


def due_within(rows: list[CaseSummary], days: int) -> list[CaseSummary]:
    """Open cases whose next date to act (send-by or follow-up) is within `days`, overdue included;
    cases whose deadline is unknown are always listed (never silently ignored)."""
    return [r for r in rows if r.deadline is not None and (r.deadline.days_left is None or r.deadline.days_left <= days)
            and r.deadline.kind.value != "exhausted"]


def deadline_json(row: CaseSummary) -> dict[str, Any]:
    """A row of `workstation deadlines --json` (DESIGN.md section 5)."""
    d = row.deadline
    assert d is not None
    return {
        "path": str(row.path.resolve()), "case_id": row.case_id, "level": d.level, "level_name": d.level_name,
        "due": _iso(d.due), "due_unrolled": _iso(d.due_unrolled), "rolled": d.rolled, "send_by": _iso(d.send_by),
        "days_left": d.days_left, "basis": d.basis, "kind": d.kind.value, "follow_up": _iso(d.follow_up),
        "late": d.late, "claim_number": row.claim_number, "payer": row.payer,
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def open_deadlines(rows: list[CaseSummary]) -> list[CaseSummary]:
    return [r for r in rows if r.deadline is not None and not r.problem]


def calendar_bytes(rows: list[CaseSummary], *, stamp: datetime | None = None) -> bytes:
    """An .ics calendar (RFC 5545): one all-day event per open send-by date and follow-up. Events
    name the claim number and payer, never the patient: calendars sync to phones and clouds.

    Written as text here rather than through icalendar's Event objects: for 10,000 cases those
    took about 2 s (ten times computing the deadlines, `make bench`), nearly all of it in
    icalendar's property objects and line folding. The tests parse the output back with icalendar."""
    stamp_text = _utc_text(stamp or datetime.now(UTC))
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Appeal Workstation//deadlines//EN"]
    for row in open_deadlines(rows):
        for event in _events(row, stamp_text):
            lines.extend(event)
    lines.append("END:VCALENDAR")
    return "".join(f"{_folded(line)}\r\n" for line in lines).encode("utf-8")


def _events(row: CaseSummary, stamp: str) -> list[list[str]]:
    d = row.deadline
    assert d is not None
    claim = row.claim_number or row.account_number or row.case_id[:8]
    where = f"{d.basis}. Case file {row.path.name}."
    events = []
    if d.send_by:
        what = "Corrected claim" if d.kind.value == "timely_filing" else f"Appeal ({d.level_name})"
        events.append(_event(f"{row.case_id}-send", d.send_by, f"Send: {what}, claim {claim}, {row.payer}",
                             where, stamp))
    if d.follow_up:
        events.append(_event(f"{row.case_id}-follow-up", d.follow_up, f"Follow up: claim {claim}, {row.payer}",
                             where, stamp))
    return events


def _event(uid: str, day: date, summary: str, description: str, stamp: str) -> list[str]:
    """The lines of one all-day VEVENT (DTEND is the day after: RFC 5545 ends are exclusive)."""
    return ["BEGIN:VEVENT", f"SUMMARY:{_text(summary)}", f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}", f"DTSTAMP:{stamp}",
            f"UID:{_text(uid)}@appeal-workstation", f"DESCRIPTION:{_text(description)}", "END:VEVENT"]


def _utc_text(stamp: datetime) -> str:
    """DTSTAMP is in UTC; a naive time is taken as UTC already."""
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(UTC)
    return f"{stamp:%Y%m%dT%H%M%S}Z"


def _text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 section 3.3.11 says (backslash first)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


_FOLD_OCTETS = 74  # a content line is at most 75 octets; continuations begin with a space


def _folded(line: str) -> str:
    """RFC 5545 section 3.1 folding: pieces of at most 74 octets joined by CRLF and a space, never
    inside a UTF-8 character nor just after a backslash (an escape stays in one piece)."""
    if len(line) <= _FOLD_OCTETS and line.isascii():
        return line
    pieces: list[str] = []
    if line.isascii():
        start = 0
        while len(line) - start > _FOLD_OCTETS:
            piece = line[start:start + _FOLD_OCTETS]
            if piece[-1] == "\\":
                piece = piece[:-1]
            pieces.append(piece)
            start += len(piece)
        pieces.append(line[start:])
        return "\r\n ".join(pieces)
    chars: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if chars and size + width > _FOLD_OCTETS:
            carried = chars.pop() if len(chars) > 1 and chars[-1] == "\\" else ""
            pieces.append("".join(chars))
            chars, size = ([carried], 1) if carried else ([], 0)
        chars.append(char)
        size += width
    pieces.append("".join(chars))
    return "\r\n ".join(pieces)


def export_calendar(rows: list[CaseSummary], target: Path) -> int:
    """Write the .ics aside and rename it into place (recorded in the audit trail for every case in
    it); returns how many cases it holds."""
    data = calendar_bytes(rows)
    write_file(target, data)
    held = [row for row in open_deadlines(rows) if row.deadline and row.deadline.reminder_date]
    record_rows(held, AuditAction.CALENDAR, detail=f"calendar of {len(held)} cases' dates, {file_digest(data)}")
    return len(held)


def deadline_alert(rows: list[CaseSummary]) -> str:
    """"3 overdue ($1,200.00), 2 due within 7 days" for the window's banner; empty when nothing is.
    One pass over the rows: the window says it again after every action, over 10,000 rows."""
    overdue, soon = [], []
    for row in rows:
        d = row.deadline
        if d is None:
            continue
        if d.days_left is None or d.days_left < 0:
            if d.kind is not DeadlineKind.EXHAUSTED:
                overdue.append(row)
        elif d.days_left <= 7:
            soon.append(row)
    parts = []
    if overdue:
        parts.append(f'<a href="overdue">{len(overdue)} overdue or without a date</a> ({_total(overdue)})')
    if soon:
        parts.append(f'<a href="week">{len(soon)} due within 7 days</a> ({_total(soon)})')
    return "Needs attention: " + "; ".join(parts) + "." if parts else ""


def _total(rows: list[CaseSummary]) -> str:
    return dollars(sum((r.amount_at_stake for r in rows), ZERO))
