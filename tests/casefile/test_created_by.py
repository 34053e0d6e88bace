"""Issue 14, point 6: the version is written in one place, and every new case file says which
program and version made it (an older file, migrated, says it is not known)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import workstation
from workstation.casefile.case_file import CaseFile


def run_installed_version() -> str:
    """`workstation --version` as a user's shell prints it."""
    command = Path(sys.executable).with_name("workstation")
    return subprocess.run([str(command), "--version"], capture_output=True, text=True, timeout=60).stdout.strip()


def test_a_new_case_file_names_the_program_and_its_version(tmp_path: Path, make_case) -> None:
    path = CaseFile.create(tmp_path / "2026-03-abcdef01.appeal", make_case())
    with sqlite3.connect(path) as conn:
        (made_by,) = conn.execute("SELECT created_by FROM case_info").fetchone()
    conn.close()
    assert made_by == f"Appeal Workstation {workstation.__version__}"
    assert run_installed_version() == f"workstation {workstation.__version__}"


def test_a_case_file_from_before_says_nothing_of_its_maker(tmp_path: Path, make_case) -> None:
    path = CaseFile.create(tmp_path / "2026-03-abcdef02.appeal", make_case())
    with sqlite3.connect(path) as conn:  # as a version-6 file: no such column yet
        conn.execute("ALTER TABLE case_info DROP COLUMN created_by")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'v7_created_by'")
        conn.execute("PRAGMA user_version = 6")
    conn.close()
    with CaseFile.open(path) as case_file:
        case_file.load()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT created_by FROM case_info").fetchone() == ("",)
    conn.close()
