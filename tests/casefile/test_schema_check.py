"""Our own schema check, beside SQLite's: every table and column of a file's version, values of
the kinds the program reads; `check` runs it on workspace.sqlite and on every case file."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

from workstation.casefile.case_file import CaseFile
from workstation.casefile.schema import CASE_SCHEMA_VERSION
from workstation.casefile.schema_check import case_problems, case_shape, shape_of, workspace_problems, workspace_shape
from workstation.casefile.workspace import Workspace
from workstation.casefile.workspace_schema import WORKSPACE_VERSION
from workstation.core.errors import DamagedWorkspace
from workstation.core.vocabulary import PayerKind
from workstation.core.workspace_model import PayerEntry
from workstation.ops.workspaces import check_path


def edit(path: Path, *statements: str) -> None:
    """Change a file behind the program's back, as another tool (or a bad disk) would."""
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as conn:
        for statement in statements:
            conn.execute(statement)


@pytest.fixture
def case_path(tmp_path: Path, make_case) -> Path:
    return CaseFile.create(tmp_path / "2026-03-abcdef01.appeal", make_case())


# -- the expected shape comes from the migrations ----------------------------------------------------


def test_the_expected_case_shape_is_what_a_new_case_file_has(case_path: Path) -> None:
    with contextlib.closing(sqlite3.connect(case_path)) as conn:
        assert shape_of(conn) == case_shape(CASE_SCHEMA_VERSION)
    assert {"letter_draft", "letters", "activity"} <= set(case_shape().tables)
    assert "activity_is_append_only_delete" in case_shape().triggers


def test_an_older_version_expects_only_its_own_tables() -> None:
    first, current = case_shape(1), case_shape(CASE_SCHEMA_VERSION)
    assert set(first.tables) < set(current.tables)
    assert "evidence" not in first.tables and "opened_amount" not in first.tables["case_info"]
    assert set(workspace_shape(1).tables) < set(workspace_shape(WORKSPACE_VERSION).tables)


def test_a_new_workspace_and_a_new_case_file_are_sound(ws: Workspace, case_path: Path) -> None:
    assert workspace_problems(ws.conn) == []
    with CaseFile.open(case_path, read_only=True) as case_file:
        assert case_problems(case_file.conn) == []


# -- workspace.sqlite ----------------------------------------------------------------------------------


def test_check_names_a_payer_kind_that_does_not_exist(ws: Workspace) -> None:
    ws.add_payer(PayerEntry(name="Demo Medicare", kind=PayerKind.MEDICARE))
    edit(ws.db_path, "UPDATE payers SET kind = 'bogus'")
    report = check_path(ws.root)
    assert report.problems == 1
    assert report.lines[0] == "workspace.sqlite: damaged (payers, row 1: kind does not hold a payer kind)"


def test_a_workspace_with_a_dropped_table_is_refused_naming_it(ws: Workspace) -> None:
    ws.close()
    edit(ws.db_path, "DROP TABLE users")
    with pytest.raises(DamagedWorkspace, match=r"is damaged \(the table users is missing\)"):
        Workspace.open(ws.root)


def test_a_dropped_column_and_an_unreadable_ladder_are_named(ws: Workspace) -> None:
    ws.add_payer(PayerEntry(name="Plan", kind=PayerKind.COMMERCIAL))
    edit(ws.db_path, "UPDATE payers SET ladder = '{\"levels\": 5}'", "UPDATE imported_files SET claims = 1")
    assert workspace_problems(ws.conn) == ["payers, row 1: its appeal ladder cannot be read"]
    edit(ws.db_path, "ALTER TABLE payers DROP COLUMN portal")
    assert workspace_problems(ws.conn) == ["the table payers lacks the column portal"]


# -- case files -------------------------------------------------------------------------------------


def test_check_names_a_case_file_whose_letters_table_was_dropped(case_path: Path) -> None:
    edit(case_path, "DROP TABLE packets", "DROP TABLE letters")
    (line,) = check_path(case_path).lines
    assert line == f"{case_path.name}: damaged (the table letters is missing; the table packets is missing)"


@pytest.mark.parametrize(("statement", "named"), [
    ("UPDATE claim SET billed = 'abc'", "claim, row 1: billed does not hold an amount of money"),
    ("UPDATE claim SET paid = '1E999999'", "claim, row 1: paid does not hold an amount of money"),
    ("UPDATE case_info SET status = 'bogus'", "case_info, row 1: status does not hold a case status"),
    ("UPDATE payer SET kind = 'bogus'", "payer, row 1: kind does not hold a payer kind"),
    ("UPDATE people SET date_of_birth = '31/31/1950' WHERE role = 'patient'",
     "date_of_birth does not hold a date"),
    ("UPDATE claim SET diagnosis_codes = 'M54.50'", "claim, row 1: diagnosis_codes does not hold a JSON list"),
    ("DELETE FROM provider", "the table provider holds 0 rows instead of one"),
    ("DROP TRIGGER activity_is_append_only_delete", "the trigger activity_is_append_only_delete is missing"),
])
def test_check_names_a_value_the_program_could_not_read(case_path: Path, statement: str, named: str) -> None:
    edit(case_path, statement)
    report = check_path(case_path)
    assert report.problems == 1
    assert named in report.lines[0] and report.lines[0].startswith(f"{case_path.name}: damaged (")


def test_a_reference_to_a_missing_service_line_is_a_foreign_key_problem(case_path: Path) -> None:
    edit(case_path, "UPDATE adjustments SET line_number = 9 WHERE line_number = 1")
    (line,) = check_path(case_path).lines
    assert "adjustments, row 1: refers to a row of service_lines that does not exist" in line


def test_many_bad_rows_are_counted_after_the_first_few(case_path: Path) -> None:
    edit(case_path, *[f"INSERT INTO notes (created_at, author, text) VALUES ('soon {n}', 'x', 'y')" for n in range(6)])
    with CaseFile.open(case_path, read_only=True) as case_file:
        problems = case_problems(case_file.conn)
    assert len(problems) == 4 and problems[-1] == "notes: 3 more rows with a bad created_at"
