"""`workstation backup WS DEST`, `workstation restore BACKUP DEST` and `check --json`, as a script sees them."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from run_cli import run

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace


def one_sentence(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    return lines[0]


def test_backup_then_restore_gives_back_every_case_and_the_shared_truth(todays_demo: Path, tmp_path: Path) -> None:
    backup = run("backup", todays_demo, tmp_path / "backup", "--json")
    assert backup.returncode == 0, backup.stderr
    made = json.loads(backup.stdout)
    cases = sorted(p.name for p in (todays_demo / "cases").glob("*.appeal"))
    assert made["backup"] == str((tmp_path / "backup").resolve()) and made["cases"] == len(cases)
    assert made["files"] == len(cases) + 1 and made["damaged"] == [] and made["bytes"] > 0
    assert Path(made["manifest"]).is_file()
    restored = run("restore", tmp_path / "backup", tmp_path / "restored", "--json")
    assert restored.returncode == 0, restored.stderr
    back = json.loads(restored.stdout)
    assert back["workspace"] == str((tmp_path / "restored").resolve()) and back["cases"] == len(cases)
    before = run("cases", "-w", todays_demo, "--json")
    after = run("cases", "-w", tmp_path / "restored", "--json")
    assert [dict(row, path=Path(row["path"]).name) for row in json.loads(after.stdout)] == \
        [dict(row, path=Path(row["path"]).name) for row in json.loads(before.stdout)]
    with Workspace.open(todays_demo) as a, Workspace.open(tmp_path / "restored") as b:
        for read in (Workspace.payers, Workspace.practice, Workspace.settings, Workspace.users):
            assert read(a) == read(b)


def test_backup_into_the_workspace_is_refused_with_one_sentence(todays_demo: Path) -> None:
    result = run("backup", todays_demo, todays_demo / "cases" / "copy")
    assert result.returncode == 1 and result.stdout == ""
    assert "is inside the workspace it would back up" in one_sentence(result.stderr)
    assert not (todays_demo / "cases" / "copy").exists()


def test_restore_of_a_changed_backup_is_refused_naming_the_file(todays_demo: Path, tmp_path: Path) -> None:
    assert run("backup", todays_demo, tmp_path / "backup").returncode == 0
    victim = sorted((tmp_path / "backup" / "cases").glob("*.appeal"))[2]
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0x01
    victim.write_bytes(bytes(data))
    result = run("restore", tmp_path / "backup", tmp_path / "restored", "--json")
    assert result.returncode == 1 and result.stdout == ""
    assert f"cases/{victim.name} in the backup" in one_sentence(result.stderr)
    assert not (tmp_path / "restored").exists()


def test_check_names_a_bogus_payer_kind_and_a_dropped_table(todays_demo: Path) -> None:
    with sqlite3.connect(todays_demo / "workspace.sqlite") as conn:
        conn.execute("UPDATE payers SET kind = 'bogus' WHERE id = (SELECT min(id) FROM payers)")
    case = sorted((todays_demo / "cases").glob("*.appeal"))[0]
    with sqlite3.connect(case) as conn:
        conn.execute("DROP TABLE packets")
    result = run("check", todays_demo)
    assert result.returncode == 1
    problems = result.stderr.splitlines()
    assert len(problems) == 2
    assert problems[0].startswith("workspace.sqlite: damaged (payers, row ")
    assert "kind does not hold a payer kind" in problems[0] and "bogus" not in problems[0]
    assert problems[1] == f"{case.name}: damaged (the table packets is missing)"
    report = json.loads(run("check", todays_demo, "--json").stdout)
    assert report["ok"] is False and [f["ok"] for f in report["files"]].count(False) == 2


def test_check_json_of_a_sound_case_file(todays_demo: Path) -> None:
    case = sorted((todays_demo / "cases").glob("*.appeal"))[0]
    result = run("check", case, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "ok": True, "removed": [],
        "files": [{"path": str(case.resolve()), "ok": True, "problems": [], "interrupted_change_undone": False}]}
    with CaseFile.open(case, read_only=True) as case_file:
        assert case_file.load().case_id


CRASH_MID_CHANGE = """
import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute('PRAGMA cache_size=1'); c.execute('BEGIN IMMEDIATE')
c.execute("UPDATE case_info SET assignee = 'half-done'")
c.execute('CREATE TABLE junk AS SELECT randomblob(200000) AS b')
os._exit(9)
"""


def test_after_a_crash_show_says_the_last_change_was_undone(todays_demo: Path, tmp_path: Path) -> None:
    case = sorted((todays_demo / "cases").glob("*.appeal"))[1]
    link = tmp_path / case.name  # reached through a link, the journal is beside the real file
    link.symlink_to(case)
    subprocess.run([sys.executable, "-c", CRASH_MID_CHANGE, str(case)], check=False)
    assert Path(f"{case}-journal").stat().st_size > 0
    result = run("show", link)
    assert result.returncode == 0, result.stderr
    assert one_sentence(result.stderr) == (f"{case.name}: The last change to this case was interrupted (the program "
                                           "stopped before it finished) and has been undone; check the case and make "
                                           "that change again.")
    rows = json.loads(run("cases", "-w", todays_demo, "--json").stdout)
    assert [row for row in rows if "problem" in row] == []
    assert run("check", todays_demo).returncode == 0
