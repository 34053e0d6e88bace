"""Backups that can be trusted: `backup` copies a whole workspace with a manifest of SHA-256s,
`restore` verifies all of it first; the daily copy of workspace.sqlite is taken only of a
sound file, and good copies are never pushed out by bad ones."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import BACKUPS_KEPT, Workspace, latest_backup, restore_backup
from workstation.core.errors import UserError
from workstation.core.vocabulary import PayerKind
from workstation.core.workspace_model import PayerEntry, User
from workstation.ops.backups import back_up, restore


def edit(path: Path, *statements: str) -> None:
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as conn:
        for statement in statements:
            conn.execute(statement)


def cases_by_id(root: Path) -> dict[str, object]:
    found = {}
    for path in sorted((root / "cases").glob("*.appeal")):
        with CaseFile.open(path, read_only=True) as case_file:
            case = case_file.load()
        found[path.name] = case
    return found


def shared_truth(root: Path) -> tuple:
    with Workspace.open(root, backup=False) as workspace:
        return (workspace.payers(), workspace.practice(), workspace.settings(), workspace.users(),
                workspace.practice_image("logo"), workspace.setting("mailing_buffer_days"))


# -- backup and restore -------------------------------------------------------------------------------


def test_a_backup_restored_into_an_empty_folder_holds_the_same_workspace(demo_workspace: Path, tmp_path: Path) -> None:
    (demo_workspace / "templates" / "ours.j2").write_text("{# a practice template #}\nDear {{ payer }}", "utf-8")
    with Workspace.open(demo_workspace) as workspace:
        workspace.set_practice_image("logo", b"\x89PNG not really")
        workspace.set_users([User("dana", "Dana Ñ"), User("lee", "Lee")])
    backup = back_up(demo_workspace, tmp_path / "backup")
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text("utf-8"))
    assert {f["path"] for f in manifest["files"]} == (
        {"workspace.sqlite", "templates/ours.j2"} | {f"cases/{p.name}" for p in (demo_workspace / "cases").iterdir()})
    assert manifest["program_version"] and manifest["created_at"] and backup.manifest.damaged == []
    restored = restore(tmp_path / "backup", tmp_path / "restored" / "ws")
    root = restored.folder
    assert cases_by_id(root) == cases_by_id(demo_workspace) and len(cases_by_id(root)) == backup.manifest.cases
    assert shared_truth(root) == shared_truth(demo_workspace)
    assert (root / "templates" / "ours.j2").read_bytes() == (demo_workspace / "templates" / "ours.j2").read_bytes()
    with Workspace.open(root) as workspace:
        assert len(workspace.index.rows()) == len(list((demo_workspace / "cases").iterdir()))


def test_a_change_half_done_by_a_crash_is_not_in_the_backup(demo_workspace: Path, tmp_path: Path) -> None:
    case = sorted((demo_workspace / "cases").glob("*.appeal"))[0]
    with CaseFile.open(case, read_only=True) as case_file:
        before = case_file.load()
    crash_while_writing(case)
    back_up(demo_workspace, tmp_path / "backup")
    with CaseFile.open(tmp_path / "backup" / "cases" / case.name, read_only=True) as case_file:
        copy = case_file.load()
    assert copy.assignee == before.assignee and len(copy.activity) == len(before.activity) + 1
    assert copy.activity[-1].kind == "interrupted"


def crash_while_writing(path: Path) -> None:
    """A real process begins a change and dies with it half-written: a hot journal stays."""
    code = ("import os, sqlite3, sys\nc = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "c.execute('PRAGMA cache_size=1'); c.execute('BEGIN IMMEDIATE')\n"
            "c.execute(\"UPDATE case_info SET assignee = hex(randomblob(3000))\")\n"
            "c.execute('CREATE TABLE junk AS SELECT randomblob(200000) AS b')\nos._exit(9)\n")
    subprocess.run([sys.executable, "-c", code, str(path)], check=False)
    assert Path(f"{path}-journal").stat().st_size > 0


@pytest.mark.parametrize("where", ["inside", "not empty", "a file"])
def test_a_backup_goes_only_to_a_new_or_empty_folder_outside_the_workspace(ws: Workspace, tmp_path: Path,
                                                                           where: str) -> None:
    dest = {"inside": ws.root / "backups" / "full", "not empty": tmp_path / "full", "a file": tmp_path / "f"}[where]
    if where == "not empty":
        dest.mkdir()
        (dest / "taxes.txt").write_text("keep")
    if where == "a file":
        dest.write_text("keep")
    with pytest.raises(UserError) as refused:
        back_up(ws.root, dest)
    words = {"inside": "is inside the workspace it would back up", "not empty": "is not empty",
             "a file": "is a file"}[where]
    assert words in str(refused.value) and str(refused.value).count(".") <= 2
    assert where != "inside" or not dest.exists()


def test_a_damaged_case_file_is_copied_and_marked(demo_workspace: Path, tmp_path: Path) -> None:
    victim = sorted((demo_workspace / "cases").glob("*.appeal"))[3]
    data = victim.read_bytes()
    victim.write_bytes(data[:len(data) // 2])
    result = back_up(demo_workspace, tmp_path / "backup")
    (damaged,) = result.manifest.damaged
    assert damaged.path == f"cases/{victim.name}" and "cut short" in damaged.problems[0]
    assert (tmp_path / "backup" / damaged.path).read_bytes() == victim.read_bytes()
    (line,) = result.problem_lines()
    assert line.startswith(f"cases/{victim.name} was damaged when backed up")


@pytest.fixture
def finished_backup(ws: Workspace, tmp_path: Path, make_case) -> Path:
    CaseFile.create(ws.cases_dir / "2026-03-abcdef01.appeal", make_case())
    back_up(ws.root, tmp_path / "backup")
    return tmp_path / "backup"


def test_restore_refuses_a_file_changed_after_the_backup_naming_it(finished_backup: Path, tmp_path: Path) -> None:
    case = finished_backup / "cases" / "2026-03-abcdef01.appeal"
    data = bytearray(case.read_bytes())
    data[5000] ^= 0xFF
    case.write_bytes(bytes(data))
    with pytest.raises(UserError, match=r"cases/2026-03-abcdef01.appeal in the backup .* does not match its manifest"):
        restore(finished_backup, tmp_path / "restored")
    assert not (tmp_path / "restored").exists() or not any((tmp_path / "restored").iterdir())


@pytest.mark.parametrize("damage", ["missing file", "no manifest", "manifest garbage", "path outside"])
def test_restore_refuses_an_incomplete_or_unreadable_backup(finished_backup: Path, tmp_path: Path,
                                                             damage: str) -> None:
    manifest = finished_backup / "manifest.json"
    if damage == "missing file":
        (finished_backup / "cases" / "2026-03-abcdef01.appeal").unlink()
    elif damage == "no manifest":
        manifest.unlink()
    elif damage == "manifest garbage":
        manifest.write_text("{ not json", "utf-8")
    else:
        data = json.loads(manifest.read_text("utf-8"))
        data["files"][1]["path"] = "../../outside.appeal"
        manifest.write_text(json.dumps(data), "utf-8")
    words = {"missing file": "cases/2026-03-abcdef01.appeal is missing from the backup",
             "no manifest": "has no manifest.json, so it is not a finished backup",
             "manifest garbage": "manifest.json in", "path outside": "cannot be read, so the backup cannot be trusted"}
    with pytest.raises(UserError, match=words[damage]):
        restore(finished_backup, tmp_path / "restored")
    assert not (tmp_path / "restored").exists()
    assert not (tmp_path.parent / "outside.appeal").exists()


def test_restore_goes_only_into_an_empty_folder(finished_backup: Path, tmp_path: Path) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "mine.txt").write_text("keep")
    with pytest.raises(UserError, match="is not empty"):
        restore(finished_backup, tmp_path / "busy")
    with pytest.raises(UserError, match="is inside the backup it would restore"):
        restore(finished_backup, finished_backup / "cases" / "here")
    assert [p.name for p in (tmp_path / "busy").iterdir()] == ["mine.txt"]


# -- the daily copy of workspace.sqlite -----------------------------------------------------------------


def _day(root: Path, days_ago: int) -> Path:
    return root / "backups" / f"workspace-{date.today() - timedelta(days=days_ago):%Y-%m-%d}.sqlite"


def test_a_damaged_workspace_is_never_backed_up_and_restore_brings_back_the_good_copy(ws: Workspace) -> None:
    ws.add_payer(PayerEntry(name="Demo Medicare", kind=PayerKind.MEDICARE))
    ws.close()
    Workspace.open(ws.root).close()  # today's copy now holds the payer
    good = _day(ws.root, 0).read_bytes()
    edit(ws.db_path, "UPDATE payers SET kind = 'bogus'")
    os.utime(ws.db_path)  # later than today's copy, which is then refreshed at the next open
    Workspace.open(ws.root).close()
    assert _day(ws.root, 0).read_bytes() == good
    restore_backup(ws.root)
    with Workspace.open(ws.root) as restored:
        assert [p.kind for p in restored.payers()] == [PayerKind.MEDICARE]


def test_a_copy_with_a_dropped_table_is_never_offered(ws: Workspace) -> None:
    ws.close()
    older = _day(ws.root, 1)
    _day(ws.root, 0).rename(older)  # yesterday's copy: sound
    Workspace.open(ws.root).close()
    edit(_day(ws.root, 0), "DROP TABLE settings")  # today's copy: damaged (an older program, a bad disk)
    assert latest_backup(ws.root) == older


def test_good_copies_are_never_pushed_out_by_bad_ones(ws: Workspace) -> None:
    ws.close()
    good = _day(ws.root, 0).read_bytes()
    for days_ago in range(1, 2 * BACKUPS_KEPT + 2):  # the last week's copies damaged, the week before sound
        _day(ws.root, days_ago).write_bytes(good if days_ago > BACKUPS_KEPT else b"not a database" * 100)
    os.utime(ws.db_path)
    Workspace.open(ws.root).close()  # refreshes today's copy and rotates
    kept = {p.name for p in (ws.root / "backups").glob("workspace-*.sqlite")}
    seventh_good = 2 * BACKUPS_KEPT - 1  # today, then the sound copies from BACKUPS_KEPT + 1 days ago
    assert kept == {_day(ws.root, days_ago).name for days_ago in range(seventh_good + 1)}
