"""One bad value must not take a workspace down (issue 12.4): a case file holding a value the
program never writes (a word for an amount, 1E999999, 2026-13-45, an unknown status, broken JSON)
is listed as unreadable with one sentence naming its table and column, never the value; the
other cases of the workspace are read as before."""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from workstation.casefile.case_file import CaseFile
from workstation.casefile.schema_check import case_problems
from workstation.casefile.workspace import Workspace
from workstation.core.errors import DamagedCaseFile
from workstation.core.model import DecisionRecord

#: (table, column, the value written behind the program's back, what the sentence says it is not)
BAD_VALUES = [
    ("claim", "billed", "abc", "an amount of money"),
    ("claim", "paid", "NaN", "an amount of money"),
    ("claim", "patient_responsibility", "9" * 5000, "an amount of money"),
    ("service_lines", "paid", "x", "an amount of money"),
    ("service_lines", "units", "Infinity", "a number"),
    ("adjustments", "amount", "1E999999", "an amount of money"),
    ("claim", "service_from", "2026-13-45", "a date"),
    ("case_info", "created_at", "yesterday", "a date and time"),
    ("case_info", "status", "bogus", "a case status"),
    ("payer", "kind", "bogus", "a payer kind"),
    ("claim", "diagnosis_codes", "{not json", "a JSON list of text"),
    ("service_lines", "modifiers", '{"GP": 1}', "a JSON list of text"),
    ("claim", "diagnosis_codes", "[" * 100_000, "a JSON list of text"),  # nested past Python's recursion limit
    ("decisions", "level", "two", "a whole number"),
]
IDS = [f"{table}.{column}={value[:10]}" for table, column, value, _kind in BAD_VALUES]


def edit(path: Path, statement: str, *values: object) -> None:
    """Change a file behind the program's back, as another tool (or a bad disk) would."""
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute(statement, values)


@pytest.fixture
def three_cases(tmp_path: Path, make_case) -> list[Path]:
    """A workspace of three sound cases, each with a decision (so the decisions table has a row)."""
    root = tmp_path / "ws"
    Workspace.create(root).close()
    paths = []
    for n in range(3):
        case = make_case(case_id=f"case-{n}", decisions=[DecisionRecord(date(2026, 3, 20), 1, "lost")])
        paths.append(CaseFile.create(root / "cases" / f"2026-03-0000000{n}.appeal", case))
    return paths


def damage(path: Path, table: str, column: str, value: str) -> None:
    edit(path, f"UPDATE {table} SET {column} = ?", value)


def sentence_of(path: Path) -> str:
    with CaseFile.open(path, read_only=True) as case_file, pytest.raises(DamagedCaseFile) as refused:
        case_file.load()
    return str(refused.value)


@pytest.mark.parametrize(("table", "column", "value", "kind"), BAD_VALUES, ids=IDS)
def test_a_bad_value_is_one_sentence_naming_table_and_column(three_cases, table, column, value, kind) -> None:
    victim = three_cases[0]
    damage(victim, table, column, value)
    sentence = sentence_of(victim)
    assert sentence == (f"{victim.name} is damaged and could not be read (the column {column} of the table "
                        f"{table} does not hold {kind}); restore it from a backup.")
    assert "'" not in sentence  # never the value: it may be a patient's
    assert len(value) < 3 or value[:8] not in sentence


@pytest.mark.parametrize(("table", "column", "value", "kind"), BAD_VALUES, ids=IDS)
def test_the_case_is_listed_unreadable_and_the_others_are_read(three_cases, table, column, value, kind) -> None:
    victim, *others = three_cases
    damage(victim, table, column, value)
    with Workspace.open(victim.parents[1], backup=False) as workspace:
        result = workspace.index.rescan()
        rows = {row.path.name: row for row in workspace.index.rows()}
        unreadable = workspace.index.unreadable()
    assert result.problems == 1
    assert unreadable == [(victim, sentence_of(victim))]
    assert f"the column {column} of the table {table}" in rows[victim.name].problem
    for path in others:
        assert rows[path.name].problem == ""
        assert rows[path.name].case_id and rows[path.name].facts is not None


@pytest.mark.parametrize(("table", "column", "value", "kind"), BAD_VALUES, ids=IDS)
def test_the_schema_check_names_the_same_column(three_cases, table, column, value, kind) -> None:
    victim = three_cases[0]
    damage(victim, table, column, value)
    with CaseFile.open(victim, read_only=True) as case_file:
        problems = case_problems(case_file.conn)
    assert any(f"{table}, row " in p and f": {column} does not hold " in p for p in problems), problems
    assert not any(str(value) in p for p in problems if len(str(value)) > 3), problems  # never the value itself


def test_a_missing_single_row_is_a_sentence(three_cases) -> None:
    victim = three_cases[0]
    edit(victim, "DELETE FROM claim")
    assert "(the table claim has no row)" in sentence_of(victim)


def test_a_bound_on_amounts_still_reads_the_largest_real_ones(three_cases) -> None:
    victim = three_cases[0]
    damage(victim, "claim", "billed", "9999999999999.99")
    with CaseFile.open(victim, read_only=True) as case_file:
        assert str(case_file.load().claim.billed) == "9999999999999.99"
    damage(victim, "claim", "billed", "10000000000000.00")  # ten trillion dollars: no claim is that large
    assert "the column billed of the table claim" in sentence_of(victim)


def test_numbers_stored_as_numbers_are_still_read(three_cases) -> None:
    """Another tool may write 120 where we write '120.00': SQLite keeps the integer; it is the same amount."""
    victim = three_cases[0]
    edit(victim, "UPDATE claim SET billed = 120")
    with CaseFile.open(victim, read_only=True) as case_file:
        assert case_file.load().claim.billed == 120


@pytest.mark.parametrize(("column", "value"), [("amount_at_stake", "abc"), ("facts", "{not json"),
                                               ("notice_date", "2026-13-45"), ("reasons", "[1, 2"),
                                               ("reasons", "[" * 100_000), ("facts", '{"a": ' * 100_000)])
def test_a_bad_value_in_the_worklist_cache_is_read_again_from_its_case(three_cases, column, value) -> None:
    """index.sqlite is a cache we write; a value changed in it behind our back costs a re-read, not the worklist."""
    victim = three_cases[0]
    root = victim.parents[1]
    with Workspace.open(root, backup=False) as workspace:
        workspace.index.rescan()
        expected = workspace.index.rows()
    edit(root / "index.sqlite", f"UPDATE cases SET {column} = ? WHERE file = ?", value, victim.name)
    with Workspace.open(root, backup=False) as workspace:
        assert workspace.index.rows() == expected
        assert workspace.index.row(victim) == expected[0]
    with contextlib.closing(sqlite3.connect(root / "index.sqlite")) as conn:  # the cache was repaired
        assert conn.execute(f"SELECT {column} FROM cases WHERE file = ?", (victim.name,)).fetchone()[0] != value
