"""Deadlines for the worklist, the command line and the calendar, from the workspace's ladders."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from icalendar import Calendar, Event

from workstation.casefile.workspace import Workspace
from workstation.core.deadlines import Deadline, deadline_for
from workstation.core.money import ZERO, dollars
from workstation.core.payer_kinds import Ladder, default_ladders
from workstation.core.summary import CaseSummary
from workstation.core.vocabulary import PayerKind
from workstation.core.workspace_model import PayerEntry
from workstation.ops.files import write_file

BUFFER_SETTING = "mailing_buffer_days"


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
    """An .ics calendar: one all-day event per open send-by date and follow-up. Events name the
    claim number and payer, never the patient: calendars sync to phones and clouds."""
    calendar = Calendar()
    calendar.add("prodid", "-//Appeal Workstation//deadlines//EN")
    calendar.add("version", "2.0")
    stamp = stamp or datetime.now()
    for row in open_deadlines(rows):
        for event in _events(row, stamp):
            calendar.add_component(event)
    return calendar.to_ical()


def _events(row: CaseSummary, stamp: datetime) -> list[Event]:
    d = row.deadline
    assert d is not None
    claim = row.claim_number or row.account_number or row.case_id[:8]
    events = []
    if d.send_by:
        what = "Corrected claim" if d.kind.value == "timely_filing" else f"Appeal ({d.level_name})"
        events.append(_event(f"{row.case_id}-send", d.send_by, f"Send: {what}, claim {claim}, {row.payer}",
                             f"{d.basis}. Case file {row.path.name}.", stamp))
    if d.follow_up:
        events.append(_event(f"{row.case_id}-follow-up", d.follow_up, f"Follow up: claim {claim}, {row.payer}",
                             f"{d.basis}. Case file {row.path.name}.", stamp))
    return events


def _event(uid: str, day: date, summary: str, description: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"{uid}@appeal-workstation")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    return event


def export_calendar(rows: list[CaseSummary], target: Path) -> int:
    """Write the .ics aside and rename it into place; returns how many cases it holds."""
    write_file(target, calendar_bytes(rows))
    return sum(1 for row in open_deadlines(rows) if row.deadline and row.deadline.reminder_date)


def deadline_alert(rows: list[CaseSummary]) -> str:
    """"3 overdue ($1,200.00), 2 due within 7 days" for the window's banner; empty when nothing is."""
    overdue = [r for r in rows if r.deadline and (r.deadline.days_left is None or r.deadline.days_left < 0)
               and r.deadline.kind.value not in ("exhausted",)]
    soon = [r for r in rows if r.deadline and r.deadline.days_left is not None and 0 <= r.deadline.days_left <= 7]
    parts = []
    if overdue:
        parts.append(f'<a href="overdue">{len(overdue)} overdue or without a date</a> ({_total(overdue)})')
    if soon:
        parts.append(f'<a href="week">{len(soon)} due within 7 days</a> ({_total(soon)})')
    return "Needs attention: " + "; ".join(parts) + "." if parts else ""


def _total(rows: list[CaseSummary]) -> str:
    return dollars(sum((r.amount_at_stake for r in rows), ZERO))
