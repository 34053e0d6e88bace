"""The holidays library's calendars kept between runs (ops/holiday_store.py): the file answers
what the library answered, a damaged or unwritable file only means asking the library again."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date
from importlib import metadata
from pathlib import Path

import pytest

from workstation.core import deadlines
from workstation.ops.holiday_store import KeptHolidays, keep_holidays


@pytest.fixture(autouse=True)
def _library_again() -> Iterator[None]:
    yield
    deadlines.use_holiday_source(deadlines.library_holidays)


def test_a_year_asked_once_is_kept_and_then_read_from_the_file(tmp_path: Path) -> None:
    path = tmp_path / "us-holidays.json"
    assert KeptHolidays(path)(2026) == deadlines.library_holidays(2026)
    kept = json.loads(path.read_text(encoding="utf-8"))
    assert kept["2026"]["2026-07-03"] == "Independence Day (observed)"  # 4 July 2026 is a Saturday
    kept["2026"]["2026-03-17"] = "marker written by this test"
    path.write_text(json.dumps(kept), encoding="utf-8")
    again = KeptHolidays(path)(2026)
    assert again[date(2026, 3, 17)] == "marker written by this test"  # from the file, not the library


def test_a_damaged_file_is_built_again_from_the_library(tmp_path: Path) -> None:
    path = tmp_path / "us-holidays.json"
    path.write_text('{"2026": {"not a date": "x"}}', encoding="utf-8")
    assert KeptHolidays(path)(2026) == deadlines.library_holidays(2026)
    path.write_text("{ cut sho", encoding="utf-8")
    assert KeptHolidays(path)(2027) == deadlines.library_holidays(2027)
    assert set(json.loads(path.read_text(encoding="utf-8"))) == {"2027"}


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_a_folder_that_cannot_take_the_file_still_gives_the_holidays(tmp_path: Path) -> None:
    tmp_path.chmod(0o500)
    try:
        assert KeptHolidays(tmp_path / "us-holidays.json")(2026) == deadlines.library_holidays(2026)
    finally:
        tmp_path.chmod(0o700)


def test_a_file_in_place_of_the_folder_still_gives_the_holidays(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    assert KeptHolidays(blocker / "us-holidays.json")(2026) == deadlines.library_holidays(2026)


def test_deadlines_roll_over_the_kept_holidays_and_the_file_is_named_by_the_library_version(tmp_path: Path) -> None:
    keep_holidays(tmp_path)
    assert deadlines.roll_forward(date(2026, 7, 3)) == date(2026, 7, 6)  # observed holiday, then the weekend
    assert (tmp_path / f"us-holidays-{metadata.version('holidays')}.json").is_file()
