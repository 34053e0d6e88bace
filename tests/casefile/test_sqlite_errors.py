"""SQLite's errors are told by their result code: a file's trouble is one sentence for the
biller; a mistake in our own SQL is a bug, never "damaged, restore from a backup"."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from workstation.casefile.sqlite_file import translate
from workstation.core.errors import CaseInUse, DamagedCaseFile, ReadOnly, UserError


def _error_of(action) -> sqlite3.Error:
    with pytest.raises(sqlite3.Error) as caught:
        action()
    return caught.value


def _database(tmp_path: Path) -> Path:
    path = tmp_path / "2026-03-abcdef01.appeal"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        conn.execute("INSERT INTO t VALUES (1)")
    conn.close()
    return path


def test_a_file_locked_by_another_writer_is_in_use(tmp_path: Path) -> None:
    path = _database(tmp_path)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    error = _error_of(lambda: other.execute("BEGIN IMMEDIATE"))
    holder.close()
    other.close()
    translated = translate(error, path)
    assert isinstance(translated, CaseInUse) and path.name in str(translated)


def test_a_file_opened_read_only_refuses_writes_as_read_only(tmp_path: Path) -> None:
    path = _database(tmp_path)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    error = _error_of(lambda: conn.execute("INSERT INTO t VALUES (2)"))
    conn.close()
    assert isinstance(translate(error, path), ReadOnly)


def test_a_file_that_is_not_a_database_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "2026-03-abcdef02.appeal"
    path.write_bytes(b"this is not SQLite at all " * 200)
    conn = sqlite3.connect(path)
    error = _error_of(lambda: conn.execute("SELECT * FROM sqlite_master").fetchall())
    conn.close()
    assert isinstance(translate(error, path), DamagedCaseFile)


def test_a_missing_table_is_damage_to_the_file(tmp_path: Path) -> None:
    path = _database(tmp_path)
    conn = sqlite3.connect(path)
    error = _error_of(lambda: conn.execute("SELECT * FROM case_info"))
    conn.close()
    assert isinstance(translate(error, path), DamagedCaseFile)


@pytest.mark.parametrize("statement", ["INSERT INTO t VALUES (1)", "SELEC nonsense", "SELECT ?"])
def test_a_mistake_in_our_own_sql_is_a_bug_not_a_damaged_file(tmp_path: Path, statement: str) -> None:
    path = _database(tmp_path)
    conn = sqlite3.connect(path)
    error = _error_of(lambda: conn.execute(statement, () if "?" not in statement else (1, 2)))
    conn.close()
    translated = translate(error, path)
    assert translated is error and not isinstance(translated, UserError)
