"""`workstation audit [-w WS] [--json] [--case ID] [--since DATE]`, as a script sees it."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from practice_fixtures import case_in_workspace
from run_cli import run

from workstation.ops.user_config import UserConfig, save_config


@pytest.fixture
def case_path(tmp_path: Path, make_case) -> Path:
    save_config(UserConfig(current_user="kim"))
    return case_in_workspace(tmp_path, make_case())


def test_show_then_audit_json_lists_the_opening_by_case_id(case_path: Path, make_case) -> None:
    root, case_id = case_path.parent.parent, make_case().case_id
    assert run("show", case_path).returncode == 0
    done = run("audit", "-w", root, "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [{k: v for k, v in row.items() if k != "at"} for row in rows] == [
        {"actor": "kim", "action": "open_case", "case_id": case_id, "detail": "shown by the command line"}]
    assert datetime.fromisoformat(rows[0]["at"]).date() == date.today()
    assert done.stderr == "1 entries\n"


def test_audit_filters_by_case_and_day_and_prints_lines(case_path: Path, tmp_path: Path, make_case) -> None:
    root, case_id = case_path.parent.parent, make_case().case_id
    assert run("deadlines", "-w", root, "--ics", tmp_path / "dates.ics").returncode == 0
    assert run("show", case_path).returncode == 0
    lines = run("audit", "-w", root, "--case", case_id[:8]).stdout.splitlines()
    assert [line.split()[2:5] for line in lines] == [["kim", "calendar", case_id], ["kim", "open_case", case_id]]
    assert json.loads(run("audit", "-w", root, "--json", "--case", "00000000").stdout) == []
    assert json.loads(run("audit", "-w", root, "--json", "--since", "2999-01-01").stdout) == []
    assert len(json.loads(run("audit", "-w", root, "--json", "--since", date.today().isoformat()).stdout)) == 2


def test_a_bad_day_or_folder_is_one_sentence(case_path: Path, tmp_path: Path) -> None:
    root = case_path.parent.parent
    bad_day = run("audit", "-w", root, "--since", "someday")
    assert bad_day.returncode == 1 and bad_day.stdout == ""
    assert bad_day.stderr == "--since takes a date (YYYY-MM-DD or MM/DD/YYYY), not 'someday'.\n"
    not_a_workspace = run("audit", "-w", tmp_path)
    assert not_a_workspace.returncode == 1 and "is not a workspace" in not_a_workspace.stderr


def test_check_stays_green_with_a_trail(case_path: Path) -> None:
    root = case_path.parent.parent
    assert run("show", case_path).returncode == 0
    done = run("check", root, "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ok"] is True
