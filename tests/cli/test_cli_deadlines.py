"""`workstation deadlines` and the deadline parts of `workstation cases`, run in-process on a demo
workspace made by `workstation demo DIR` today (once per session; each test has its own copy)."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from run_cli import run

from workstation.casefile.case_file import CaseFile

DEADLINE_KEYS = {"path", "case_id", "level", "level_name", "due", "due_unrolled", "rolled", "send_by", "days_left",
                 "basis", "kind", "follow_up", "late", "claim_number", "payer"}
SETTLED = {"won", "written_off", "closed"}
KINDS = {"appeal", "timely_filing", "follow_up", "unknown", "exhausted"}


def run_json(*args: str | Path) -> list[dict]:
    result = run(*args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def iso_or_none(value: object) -> date | None:
    if value is None:
        return None
    assert isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), value
    return date.fromisoformat(value)


@pytest.fixture
def demo(todays_demo: Path) -> Path:
    return todays_demo


@pytest.fixture
def demo_with_unknown(demo: Path, make_case) -> Path:
    """The demo plus a case whose notice date nobody has entered."""
    case = make_case(case_id="0b0c0d0e-0000-4000-8000-0000000000aa", notice_date=None, notice_date_override=None)
    CaseFile.create(demo / "cases" / "2026-03-0000aaaa.appeal", case)
    return demo


def test_deadlines_json_rows_have_the_documented_fields(demo: Path):
    rows = run_json("deadlines", "-w", demo, "--json")
    assert rows
    for row in rows:
        assert set(row) == DEADLINE_KEYS
        path = Path(row["path"])
        assert path.is_absolute() and path.is_file() and path.parent == (demo / "cases").resolve()
        assert isinstance(row["rolled"], bool) and isinstance(row["late"], bool)
        assert row["kind"] in KINDS
        assert isinstance(row["basis"], str) and row["basis"]
        for key in ("due", "due_unrolled", "send_by", "follow_up"):
            iso_or_none(row[key])
        assert row["level"] is None or isinstance(row["level"], int)
        assert row["days_left"] is None or isinstance(row["days_left"], int)


def test_deadlines_json_dates_agree_with_each_other(demo: Path):
    rows = run_json("deadlines", "-w", demo, "--json")
    todays = set()
    for row in rows:
        due, unrolled, send_by = iso_or_none(row["due"]), iso_or_none(row["due_unrolled"]), iso_or_none(row["send_by"])
        if row["kind"] in ("appeal", "timely_filing"):
            assert due >= unrolled
            assert row["rolled"] == (due != unrolled)
            assert due.weekday() < 5
            assert send_by == unrolled - timedelta(days=10)  # the default mailing buffer
            todays.add(send_by - timedelta(days=row["days_left"]))
            # the basis sentence adds up: "<start> + N days [+ M days ...] = <unrolled>"
            start = date.fromisoformat(re.search(r"\d{4}-\d{2}-\d{2}", row["basis"]).group())
            added = sum(int(n) for n in re.findall(r"\+ (\d+) days", row["basis"].split(" = ")[0]))
            months = re.findall(r"\+ (\d+) months", row["basis"])
            if not months:
                assert start + timedelta(days=added) == unrolled, row["basis"]
            assert f"= {unrolled.isoformat()}" in row["basis"]
            assert row["basis"].endswith(f"send by {send_by.isoformat()}")
            if row["rolled"]:
                assert f"due {due:%A} {due.isoformat()}" in row["basis"]
        elif row["kind"] == "follow_up":
            follow_up = iso_or_none(row["follow_up"])
            todays.add(follow_up - timedelta(days=row["days_left"]))
    assert len(todays) == 1  # every days_left counts from the same today
    today = todays.pop()
    for row in rows:
        if row["due"]:
            assert row["late"] == (today > iso_or_none(row["due"]))


def test_every_open_case_appears_and_no_settled_one(demo_with_unknown: Path):
    cases = run_json("cases", "-w", demo_with_unknown, "--json")
    deadlines = run_json("deadlines", "-w", demo_with_unknown, "--json")
    listed = {row["case_id"] for row in deadlines}
    open_ids = {c["case_id"] for c in cases if c["status"] not in SETTLED}
    settled_ids = {c["case_id"] for c in cases if c["status"] in SETTLED}
    assert settled_ids, "the demo has won, written-off and closed cases"
    assert listed == open_ids
    unknown = next(row for row in deadlines if row["case_id"] == "0b0c0d0e-0000-4000-8000-0000000000aa")
    assert unknown["kind"] == "unknown"
    assert "enter the date on the notice" in unknown["basis"]
    assert unknown["days_left"] is None and unknown["due"] is None
    assert deadlines[0] == unknown  # never hidden: the unknown deadline comes first


def test_deadlines_text_lists_one_line_per_open_case(demo: Path):
    rows = run_json("deadlines", "-w", demo, "--json")
    result = run("deadlines", "-w", demo)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(rows)
    for line, row in zip(lines, rows, strict=True):
        assert line.startswith(Path(row["path"]).name)
        assert row["basis"] in line


def test_deadlines_ics_writes_a_calendar_without_patient_names(demo: Path, tmp_path: Path):
    rows = run_json("deadlines", "-w", demo, "--json")
    patients = [c["patient"] for c in run_json("cases", "-w", demo, "--json")]
    out = tmp_path / "out.ics"
    result = run("deadlines", "-w", demo, "--ics", out)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert "Wrote" in result.stderr and str(out) in result.stderr
    data = out.read_bytes()
    events = list(Calendar.from_ical(data).walk("VEVENT"))
    expected = sum(1 for r in rows if r["send_by"]) + sum(1 for r in rows if r["follow_up"])
    assert len(events) == expected
    starts = sorted(e.decoded("dtstart") for e in events)
    assert starts == sorted(iso_or_none(r["send_by"] or r["follow_up"]) for r in rows
                            if r["send_by"] or r["follow_up"])
    text = re.sub(r"\r\n[ \t]", "", data.decode("utf-8")).upper()
    for patient in patients:
        for part in re.split(r"[,\s]+", patient):
            if len(part) >= 4:
                assert part.upper() not in text, part
    claims = {r["claim_number"] for r in rows if r["claim_number"] and (r["send_by"] or r["follow_up"])}
    assert claims and all(f"CLAIM {c.upper()}" in text for c in claims)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_deadlines_json_and_ics_together(demo: Path, tmp_path: Path):
    out = tmp_path / "both.ics"
    rows = run_json("deadlines", "-w", demo, "--json", "--ics", out)
    assert rows and out.is_file()
    Calendar.from_ical(out.read_bytes())


def test_deadlines_ics_into_a_missing_folder_is_one_sentence(demo: Path, tmp_path: Path):
    result = run("deadlines", "-w", demo, "--ics", tmp_path / "nowhere" / "out.ics")
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert "could not be written" in lines[0]


def test_cases_json_next_due_is_a_date_for_open_cases_and_null_for_settled(demo: Path):
    cases = run_json("cases", "-w", demo, "--json")
    deadlines = {r["case_id"]: r for r in run_json("deadlines", "-w", demo, "--json")}
    statuses = {c["status"] for c in cases}
    assert statuses >= SETTLED
    for case in cases:
        if case["status"] in SETTLED:
            assert case["next_due"] is None, case
            continue
        row = deadlines[case["case_id"]]
        if row["kind"] in ("unknown", "exhausted"):
            assert case["next_due"] is None
        else:
            assert iso_or_none(case["next_due"]) is not None
            assert case["next_due"] == (row["due"] or row["follow_up"])


def test_cases_due_within_lists_only_cases_due_that_soon(demo_with_unknown: Path):
    deadlines = run_json("deadlines", "-w", demo_with_unknown, "--json")
    for days in (7, 0, 30):
        listed = run_json("cases", "-w", demo_with_unknown, "--json", "--due-within", str(days))
        expected = {r["case_id"] for r in deadlines
                    if r["kind"] != "exhausted" and (r["days_left"] is None or r["days_left"] <= days)}
        assert {c["case_id"] for c in listed} == expected
        assert "0b0c0d0e-0000-4000-8000-0000000000aa" in expected  # unknown: always listed
        assert all(c["status"] not in SETTLED for c in listed)
    everything = run_json("cases", "-w", demo_with_unknown, "--json", "--due-within", "100000")
    assert {c["case_id"] for c in everything} == {r["case_id"] for r in deadlines if r["kind"] != "exhausted"}


def test_cases_due_within_text(demo: Path):
    deadlines = run_json("deadlines", "-w", demo, "--json")
    result = run("cases", "-w", demo, "--due-within", "7")
    assert result.returncode == 0, result.stderr
    names = {line.split()[0] for line in result.stdout.splitlines()}
    assert names == {Path(r["path"]).name for r in deadlines if r["kind"] != "exhausted"  # no level left to act on
                     and (r["days_left"] is None or r["days_left"] <= 7)}
