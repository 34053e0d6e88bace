"""The command line (DESIGN.md section 5), run in-process as a script sees it, and the demo workspace."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import shutil
import sqlite3
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from run_cli import run

from workstation.casefile.case_file import CaseFile
from workstation.casefile.schema import CASE_SCHEMA_VERSION
from workstation.casefile.workspace import Workspace, is_workspace
from workstation.core.vocabulary import PayerKind, Route, Status

ROW_KEYS = {"path", "case_id", "patient", "payer", "claim_number", "account_number", "status",
            "route", "amount_at_stake", "reasons", "next_due"}
SHOW_KEYS = {"patient", "claim", "payer", "provider", "lines", "adjustments", "remarks",
             "remittances", "notes", "activity", "amount_at_stake"}
DEMO_CARCS = {"50", "197", "16", "29", "97", "96", "18", "22", "27", "204", "151", "170"}


def one_sentence(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cases_json(workspace: Path, *options: str) -> list[dict]:
    result = run("cases", "-w", workspace, "--json", *options)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def demo_cases(demo_workspace: Path) -> list[Path]:
    return sorted((demo_workspace / "cases").glob("*.appeal"))


# -- init and demo -----------------------------------------------------------------------------


def test_init_creates_an_empty_workspace(tmp_path):
    result = run("init", tmp_path / "ws")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert is_workspace(tmp_path / "ws")
    assert cases_json(tmp_path / "ws") == []


def test_init_on_a_folder_with_files_is_refused_with_one_sentence(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = run("init", tmp_path)
    assert result.returncode == 1
    assert "not empty" in one_sentence(result.stderr)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_init_on_a_file_is_refused_with_one_sentence(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("mine")
    result = run("init", path)
    assert result.returncode == 1
    assert "is a file; choose a new or empty folder" in one_sentence(result.stderr)
    assert path.read_text() == "mine"


def test_demo_then_cases_lists_every_case_with_the_documented_keys(todays_demo):
    root = todays_demo  # made by `workstation demo DIR` (tests/cli/conftest.py)
    rows = cases_json(root)
    assert len(rows) >= 40
    assert len(rows) == len(list((root / "cases").glob("*.appeal")))
    deadlines = json.loads(run("deadlines", "-w", root, "--json").stdout)
    exhausted = {d["path"] for d in deadlines if d["kind"] == "exhausted"}
    for row in rows:
        assert set(row) == ROW_KEYS
        path = Path(row["path"])
        assert path.is_absolute() and path.parent == (root / "cases").resolve()
        assert str(uuid.UUID(row["case_id"])) == row["case_id"]
        assert re.fullmatch(r"\d+\.\d\d", row["amount_at_stake"])
        assert row["status"] in set(Status) and row["route"] in set(Route)
        assert row["reasons"] and all(re.fullmatch(r"(CO|PR|OA|PI)-\w+", r) for r in row["reasons"])
        settled = row["status"] in ("won", "written_off", "closed")
        # every open demo case has a date to act by, unless its ladder has no level left
        assert (row["next_due"] is None) == (settled or row["path"] in exhausted), row["path"]
        if row["next_due"] is not None:
            assert re.fullmatch(r"\d{4}-\d\d-\d\d", row["next_due"])
        with CaseFile.open(path, read_only=True) as case_file:
            case = case_file.load()
        assert row["patient"] == f"{case.patient.last_name}, {case.patient.first_name}"
        assert (row["payer"], row["claim_number"], row["account_number"]) == (
            case.payer.name, case.claim.payer_claim_number, case.claim.account_number)
        assert Decimal(row["amount_at_stake"]) == case.amount_at_stake


def test_status_filter_keeps_only_that_status(demo_workspace):
    every = cases_json(demo_workspace)
    new = cases_json(demo_workspace, "--status", "new")
    assert new and all(row["status"] == "new" for row in new)
    assert new == [row for row in every if row["status"] == "new"]


def test_unknown_status_is_a_usage_error(demo_workspace):
    result = run("cases", "-w", demo_workspace, "--status", "bogus")
    assert result.returncode == 2
    assert "unknown status 'bogus'" in result.stderr and result.stdout == ""


def test_folder_that_is_not_a_workspace_is_refused_pointing_to_init(tmp_path):
    result = run("cases", "-w", tmp_path, "--json")
    assert result.returncode == 1
    assert "`workstation init" in one_sentence(result.stderr)
    assert result.stdout == ""


def test_workspace_from_the_environment_is_used_without_w(demo_workspace, monkeypatch):
    without = run("cases", "--json")
    assert without.returncode == 1 and "No workspace chosen" in one_sentence(without.stderr)
    monkeypatch.setenv("WORKSTATION_WORKSPACE", str(demo_workspace))
    result = run("cases", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == cases_json(demo_workspace)


# -- show --------------------------------------------------------------------------------------


def test_show_json_has_the_whole_case(demo_workspace, demo_cases):
    path = demo_cases[0]
    result = run("show", path, "--json")
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert set(shown) >= SHOW_KEYS
    with CaseFile.open(path, read_only=True) as case_file:
        case = case_file.load()
    assert shown["case_id"] == case.case_id
    assert shown["patient"]["last_name"] == case.patient.last_name
    assert len(shown["lines"]) == len(case.lines) and len(shown["activity"]) == len(case.activity)
    assert all(adjustment["description"] for adjustment in shown["adjustments"])
    (row,) = [r for r in cases_json(demo_workspace) if Path(r["path"]) == path.resolve()]
    assert shown["amount_at_stake"] == row["amount_at_stake"]


def test_show_text_names_the_patient(demo_cases):
    path = demo_cases[1]
    with CaseFile.open(path, read_only=True) as case_file:
        patient = case_file.load().patient.display_name
    result = run("show", path)
    assert result.returncode == 0, result.stderr
    assert patient in result.stdout


def test_show_refuses_a_newer_case_file_and_leaves_it_untouched(demo_cases, tmp_path):
    newer = tmp_path / "newer.appeal"
    shutil.copy(demo_cases[0], newer)
    with contextlib.closing(sqlite3.connect(newer)) as conn:
        conn.execute(f"PRAGMA user_version = {CASE_SCHEMA_VERSION + 1}")
        conn.commit()
    before = sha256(newer)
    result = run("show", newer, "--json")
    assert result.returncode == 1
    assert "newer version" in one_sentence(result.stderr)
    assert sha256(newer) == before


def test_show_on_a_text_file_is_one_sentence_without_traceback(tmp_path):
    path = tmp_path / "letter.appeal"
    path.write_text("Dear payer, please pay.\n" * 20)
    result = run("show", path)
    assert result.returncode == 1
    assert "letter.appeal is not an appeal case file" in one_sentence(result.stderr)


def test_show_on_a_folder_is_one_sentence_without_traceback(demo_workspace):
    result = run("show", demo_workspace / "cases")
    assert result.returncode == 1
    assert "cases is a folder, not an appeal case file" in one_sentence(result.stderr)


# -- check -------------------------------------------------------------------------------------


def test_check_passes_a_sound_workspace(demo_workspace, demo_cases):
    result = run("check", demo_workspace)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(result.stdout.splitlines()) == len(demo_cases) + 1


def test_check_names_a_truncated_case_file(demo_workspace, demo_cases):
    victim = demo_cases[5]
    data = victim.read_bytes()
    victim.write_bytes(data[: len(data) // 2])
    result = run("check", demo_workspace)
    assert result.returncode == 1
    (problem,) = [line for line in (result.stdout + result.stderr).splitlines()
                  if not line.endswith(": ok")]
    assert problem.startswith(victim.name) and "cut short" in problem


# -- gui without a screen ----------------------------------------------------------------------


def test_gui_without_a_screen_says_to_use_the_command_line(demo_workspace, monkeypatch):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    result = run("gui", "-w", demo_workspace)
    assert result.returncode == 1
    assert "command line" in one_sentence(result.stderr)


# -- the demo workspace ------------------------------------------------------------------------


def _rows_without_ids(root: Path) -> list[dict]:
    """The demo's content; case ids and file names are fresh random ids in every workspace."""
    rows = cases_json(root)
    for row in rows:
        assert Path(row.pop("path")).parent == (root / "cases").resolve()
        row.pop("case_id")
    return sorted(rows, key=lambda row: row["account_number"])


def test_demo_is_deterministic_for_a_given_day(tmp_path, demo_workspace):
    """A second demo for the day the session's demo was built for (tests/conftest.py) is the same."""
    from workstation.ops.demo import create_demo_workspace

    create_demo_workspace(tmp_path / "again", today=date(2026, 3, 31)).close()
    first, second = _rows_without_ids(demo_workspace), _rows_without_ids(tmp_path / "again")
    assert len(first) >= 40
    assert first == second


def test_demo_has_a_payer_of_each_main_kind(demo_workspace):
    with Workspace.open(demo_workspace) as workspace:
        payers = workspace.payers()
    assert len(payers) >= 5
    assert {PayerKind.MEDICARE, PayerKind.MEDICARE_ADVANTAGE, PayerKind.MEDICAID, PayerKind.ERISA,
            PayerKind.COMMERCIAL} <= {payer.kind for payer in payers}


def test_demo_cases_cover_the_common_denials_and_awkward_names(demo_cases):
    cases = []
    for path in demo_cases:
        with CaseFile.open(path, read_only=True) as case_file:
            cases.append(case_file.load())
    assert len(cases) >= 40
    assert {a.carc for case in cases for a in case.adjustments if a.opens_case} >= DEMO_CARCS
    names = [f"{case.patient.last_name} {case.patient.first_name}" for case in cases]
    assert any("'" in name for name in names)
    assert any(not name.isascii() for name in names)
    for case in cases:
        assert case.patient.date_of_birth and case.patient.member_id, case.case_id
        assert case.provider.npi and case.provider.tin, case.case_id
        address = case.payer.address
        assert address.line1 and address.city and address.state and address.zip, case.case_id
