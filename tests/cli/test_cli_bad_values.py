"""Issue 12.4 as a user meets it: one case file holding a bad value (billed 'abc', 1E999999,
2026-13-45, a status 'bogus', broken JSON) takes no command down. `cases` lists it as unreadable
with its sentence, `check` names it, `show` says it in one sentence, and `deadlines`, `report`
and `import` work for the rest; `deadlines` and `report` say on stderr that it is not counted."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path

import pytest
from run_cli import run

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace

ERA = Path(__file__).resolve().parents[1] / "data" / "era"
BAD_VALUES = [
    ("claim", "billed", "abc"),
    ("service_lines", "paid", "x"),
    ("adjustments", "amount", "1E999999"),
    ("claim", "service_from", "2026-13-45"),
    ("case_info", "status", "bogus"),
    ("claim", "diagnosis_codes", "{not json"),
]
IDS = [f"{table}.{column}" for table, column, _value in BAD_VALUES]


@pytest.fixture(params=BAD_VALUES, ids=IDS)
def damaged(request, tmp_path: Path, make_case) -> tuple[Path, Path, str]:
    """A workspace of three cases, the first holding one bad value: (workspace, that case, its column's words)."""
    table, column, value = request.param
    root = tmp_path / "ws"
    Workspace.create(root).close()
    paths = [CaseFile.create(root / "cases" / f"2026-03-0000000{n}.appeal", make_case(case_id=f"case-{n}"))
             for n in range(3)]
    with contextlib.closing(sqlite3.connect(paths[0], isolation_level=None)) as conn:
        conn.execute(f"UPDATE {table} SET {column} = ?", (value,))
    return root, paths[0], f"the column {column} of the table {table}"


def no_traceback(*outputs: str) -> None:
    for output in outputs:
        assert "Traceback" not in output and "InvalidOperation" not in output


def test_cases_lists_it_as_unreadable_and_the_others_as_they_are(damaged) -> None:
    root, victim, where = damaged
    result = run("cases", "-w", root, "--json")
    no_traceback(result.stdout, result.stderr)
    assert result.returncode == 0, result.stderr
    rows = {Path(row["path"]).name: row for row in json.loads(result.stdout)}
    assert len(rows) == 3
    assert where in rows.pop(victim.name)["problem"]
    assert all("problem" not in row and row["case_id"] for row in rows.values())


def test_check_names_the_damaged_case_and_passes_the_others(damaged) -> None:
    root, victim, _where = damaged
    result = run("check", root)
    no_traceback(result.stdout, result.stderr)
    assert result.returncode == 1
    assert f"{victim.name}: damaged" in result.stderr
    assert result.stdout.count(".appeal: ok") == 2


def test_show_says_it_in_one_sentence(damaged) -> None:
    _root, victim, where = damaged
    result = run("show", victim)
    no_traceback(result.stdout, result.stderr)
    assert result.returncode != 0
    assert result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"{victim.name} is damaged") and where in line and line.endswith(".")


def test_deadlines_and_report_work_for_the_rest(damaged) -> None:
    root, victim, _where = damaged
    deadlines = run("deadlines", "-w", root, "--json")
    report = run("report", "-w", root, "--json")
    no_traceback(deadlines.stdout, deadlines.stderr, report.stdout, report.stderr)
    assert deadlines.returncode == 0 and report.returncode == 0, deadlines.stderr + report.stderr
    listed = {Path(row["path"]).name for row in json.loads(deadlines.stdout)}
    assert len(listed) == 2 and victim.name not in listed
    backlog = json.loads(report.stdout)["backlog_by_age"]
    assert sum(bucket["cases"] for bucket in backlog.values()) == 2  # the two sound cases, open


UNREADABLE = "1 case file could not be read and is not counted here; `workstation check` names it."


@pytest.mark.parametrize("command", [("deadlines", "--json"), ("deadlines",), ("report", "--json"), ("report",)],
                         ids=" ".join)
def test_deadlines_and_report_say_on_stderr_that_a_case_is_not_counted(damaged, command) -> None:
    """Its deadline must not be missed unnoticed; stdout (the JSON a script reads) stays as it was."""
    root, victim, _where = damaged
    result = run(*command, "-w", root)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines().count(UNREADABLE) == 1, result.stderr
    assert UNREADABLE not in result.stdout and victim.name not in result.stdout
    if "--json" in command:
        json.loads(result.stdout)


def test_a_sound_workspace_says_nothing_of_unreadable_cases(tmp_path: Path, make_case) -> None:
    root = tmp_path / "ws"
    Workspace.create(root).close()
    CaseFile.create(root / "cases" / "2026-03-00000001.appeal", make_case(case_id="case-1"))
    for command in (("deadlines", "--json"), ("report",)):
        result = run(*command, "-w", root)
        assert result.returncode == 0 and "could not be read" not in result.stderr, result.stderr


def test_import_of_a_good_file_still_makes_its_case(damaged) -> None:
    root, victim, where = damaged
    result = run("import", "-w", root, ERA / "pyx12-835_mult_loops.835", "--json")
    no_traceback(result.stdout, result.stderr)
    summary = json.loads(result.stdout)
    assert summary["created"] == 1
    assert len(list((root / "cases").glob("*.appeal"))) == 4
    assert any(error["file"] == victim.name and where in error["message"] for error in summary["errors"])
