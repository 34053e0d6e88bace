"""The calendar's text is written by hand (ops/deadlines.py, for speed): RFC 5545 escaping and
line folding checked by parsing it back with icalendar and by reading the raw lines."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from icalendar import Calendar

from workstation.core.deadlines import Deadline, DeadlineKind
from workstation.core.summary import CaseSummary
from workstation.ops.deadlines import calendar_bytes

AWKWARD = "Ñandú, Zoë & Sons; back\\slash plan\nsecond line — " + "ü" * 40 + " Mutual Health Assurance Company"
BASIS = "notice 2026-03-02 + 5 days presumed receipt + 120 days = 2026-07-05, a Sunday: due Monday 2026-07-06"


def _row(number: int, payer: str, *, send_by: date | None, follow_up: date | None = None) -> CaseSummary:
    kind = DeadlineKind.FOLLOW_UP if follow_up else DeadlineKind.APPEAL
    deadline = Deadline(kind, BASIS, level=1, level_name="redetermination", send_by=send_by, follow_up=follow_up,
                        days_left=10)
    return CaseSummary(path=Path(f"2026-03-0000000{number}.appeal"), case_id=f"case-{number}",
                       claim_number=f"CLM,{number};X", payer=payer, status="in_review", deadline=deadline)


def _calendar(stamp: datetime) -> bytes:
    return calendar_bytes([_row(1, AWKWARD, send_by=date(2026, 6, 25)),
                           _row(2, "Plain Payer", send_by=None, follow_up=date(2026, 5, 19))], stamp=stamp)


def test_awkward_text_reads_back_exactly():
    data = _calendar(datetime(2026, 3, 31, 9, 0))
    found = {str(e["uid"]): e for e in Calendar.from_ical(data).walk("VEVENT")}
    send = found["case-1-send@appeal-workstation"]
    assert str(send["summary"]) == f"Send: Appeal (redetermination), claim CLM,1;X, {AWKWARD}"
    assert str(send["description"]) == f"{BASIS}. Case file 2026-03-00000001.appeal."
    assert send.decoded("dtstart") == date(2026, 6, 25) and send.decoded("dtend") == date(2026, 6, 26)
    follow = found["case-2-follow-up@appeal-workstation"]
    assert str(follow["summary"]) == "Follow up: claim CLM,2;X, Plain Payer"
    assert follow.decoded("dtstart") == date(2026, 5, 19)


def test_every_line_is_at_most_75_octets_whole_characters_and_crlf():
    data = _calendar(datetime(2026, 3, 31, 9, 0))
    assert data.endswith(b"END:VCALENDAR\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines)
    for line in lines:
        line.decode("utf-8")  # a fold never splits a character
    assert any(line.startswith(b" ") for line in lines)  # the long lines were folded


def test_the_stamp_is_written_in_utc():
    eastern = timezone(timedelta(hours=-5))
    data = _calendar(datetime(2026, 3, 31, 9, 0, tzinfo=eastern))
    assert b"DTSTAMP:20260331T140000Z\r\n" in data
