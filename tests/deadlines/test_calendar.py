"""The .ics calendar (ops/deadlines.py): parsed back with icalendar, one all-day event per open
send-by date and follow-up, the claim number in each event and never the patient's name."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.core.errors import UserError
from workstation.core.model import Submission
from workstation.core.summary import CaseSummary
from workstation.core.vocabulary import Status
from workstation.ops.deadlines import calendar_bytes, export_calendar, open_deadlines, with_deadlines

TODAY = date(2026, 3, 31)
STAMP = datetime(2026, 3, 31, 9, 0)
LAST, FIRST = "ZQXWY", "VORBLENKA"


@pytest.fixture
def rows(tmp_path: Path, make_case) -> list[CaseSummary]:
    """Five cases of the Medicare payer in make_case() (notice overridden to 2026-03-03), each with
    the patient ZQXWY, VORBLENKA:
      open:     in review             -> send by 2026-06-26
      sent:     submitted 2026-03-20  -> follow up 2026-05-19
      unknown:  no notice date        -> no date to put in a calendar
      won, off: settled               -> nothing
    plus a damaged file, which has no dates either."""
    ws = Workspace.create(tmp_path / "ws")

    def add(name: str, number: int, claim: str, **overrides) -> None:
        case = make_case(case_id=f"0b0c0d0e-0000-4000-8000-00000000000{number}", **overrides)
        case.patient = dataclasses.replace(case.patient, last_name=LAST, first_name=FIRST)
        case.insured = dataclasses.replace(case.insured, last_name=LAST, first_name=FIRST)
        case.claim = dataclasses.replace(case.claim, payer_claim_number=claim)
        CaseFile.create(ws.cases_dir / name, case)

    add("2026-03-00000001.appeal", 1, "CLM-OPEN-1")
    add("2026-03-00000002.appeal", 2, "CLM-SENT-2", status=Status.SUBMITTED,
        submissions=[Submission(date(2026, 3, 20), 1, "mail", "TRK-9", None, "dana")])
    add("2026-03-00000003.appeal", 3, "CLM-UNKNOWN-3", notice_date=None, notice_date_override=None)
    add("2026-03-00000004.appeal", 4, "CLM-WON-4", status=Status.WON)
    add("2026-03-00000005.appeal", 5, "CLM-OFF-5", status=Status.WRITTEN_OFF)
    (ws.cases_dir / "2026-03-00000006.appeal").write_bytes(b"not a case file at all" * 10)
    ws.index.rescan()
    try:
        return with_deadlines(ws, ws.index.rows(), today=TODAY)
    finally:
        ws.close()


def events(data: bytes) -> list:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def unfolded(data: bytes) -> str:
    """The calendar's text with RFC 5545 line folding undone (a name could be split by a fold)."""
    return re.sub(r"\r\n[ \t]", "", data.decode("utf-8"))


def test_the_calendar_parses_back_with_one_event_per_open_date(rows: list[CaseSummary]):
    data = calendar_bytes(rows, stamp=STAMP)
    calendar = Calendar.from_ical(data)
    assert str(calendar["version"]) == "2.0"
    found = {(str(e["summary"]), e.decoded("dtstart")) for e in events(data)}
    # open case: Medicare level 1 from 2026-03-03 + 5 + 120 = Monday 2026-07-06 (test_engine), send by
    # 07-06 - 10 days = Friday 2026-06-26.
    # submitted case: sent Friday 2026-03-20 + 60 days (redetermination decision time): 11 days to
    # 03-31, +30 Apr = 41, +19 = 60 -> Tuesday 2026-05-19.
    assert found == {
        ("Send: Appeal (redetermination), claim CLM-OPEN-1, Demo Medicare & Co", date(2026, 6, 26)),
        ("Follow up: claim CLM-SENT-2, Demo Medicare & Co", date(2026, 5, 19)),
    }


def test_events_are_all_day_with_unique_ids(rows: list[CaseSummary]):
    data = calendar_bytes(rows, stamp=STAMP)
    found = events(data)
    assert len(found) == 2
    text = unfolded(data)
    assert "DTSTART;VALUE=DATE:20260626\r\n" in text and "DTSTART;VALUE=DATE:20260519\r\n" in text
    for event in found:
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert isinstance(start, date) and not isinstance(start, datetime)
        assert end == start + timedelta(days=1)
    uids = [str(e["uid"]) for e in found]
    assert len(set(uids)) == len(uids)
    assert all(uid.endswith("@appeal-workstation") for uid in uids)


def test_events_name_the_claim_and_never_the_patient(rows: list[CaseSummary]):
    data = calendar_bytes(rows, stamp=STAMP)
    text = unfolded(data)
    for name in (LAST, FIRST):
        assert name.encode() not in data
        assert name.lower() not in text.lower()
    assert "MBI-1EG4TE5MK73" not in text  # nor the member ID
    assert "1950-05-17" not in text and "19500517" not in text  # nor the date of birth
    for event in events(data):
        assert "claim CLM-" in str(event["summary"])
    descriptions = [str(e["description"]) for e in events(data)]
    assert any("2026-03-00000001.appeal" in d for d in descriptions)  # where to find the case
    assert any("send by 2026-06-26" in d for d in descriptions)  # how the date was computed


def test_settled_unknown_and_damaged_cases_have_no_event(rows: list[CaseSummary]):
    text = unfolded(calendar_bytes(rows, stamp=STAMP))
    for claim in ("CLM-WON-4", "CLM-OFF-5", "CLM-UNKNOWN-3"):
        assert claim not in text
    names = {r.path.name for r in open_deadlines(rows)}
    assert names == {"2026-03-00000001.appeal", "2026-03-00000002.appeal", "2026-03-00000003.appeal"}
    assert any(r.problem for r in rows if r.path.name == "2026-03-00000006.appeal")


def test_an_empty_worklist_gives_an_empty_calendar():
    data = calendar_bytes([], stamp=STAMP)
    assert events(data) == []
    assert Calendar.from_ical(data)["prodid"]


def test_the_same_rows_and_stamp_give_the_same_bytes(rows: list[CaseSummary]):
    assert calendar_bytes(rows, stamp=STAMP) == calendar_bytes(rows, stamp=STAMP)


def test_export_writes_the_file_aside_and_leaves_no_partial(rows: list[CaseSummary], tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    target = out / "deadlines.ics"
    target.write_bytes(b"an older export")
    count = export_calendar(rows, target)
    assert count == 2  # cases with a date to put in the calendar (the unknown one has none)
    assert sorted(p.name for p in out.iterdir()) == ["deadlines.ics"]
    assert len(events(target.read_bytes())) == 2


def test_export_to_a_missing_folder_is_refused_with_a_sentence(rows: list[CaseSummary], tmp_path: Path):
    target = tmp_path / "no-such-folder" / "deadlines.ics"
    with pytest.raises(UserError, match="could not be written"):
        export_calendar(rows, target)
    assert not target.parent.exists()
