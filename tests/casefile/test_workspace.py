"""The workspace folder: workspace.sqlite (the truth), index.sqlite (a cache), cases/."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace, latest_backup, restore_backup
from workstation.core.errors import DamagedWorkspace, NotAWorkspace, ReadOnly
from workstation.core.model import Address
from workstation.core.vocabulary import PayerKind
from workstation.core.workspace_model import PayerEntry, PracticeProfile, User


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def case_files(root: Path) -> list[Path]:
    return sorted((root / "cases").glob("*.appeal"))


@pytest.fixture
def workspace(tmp_path: Path):
    with Workspace.create(tmp_path / "ws") as opened:
        yield opened


# -- creating and opening ----------------------------------------------------------------------


def test_create_makes_the_folders_and_databases_and_reopens(tmp_path):
    root = tmp_path / "new"
    Workspace.create(root).close()
    assert {"cases", "templates", "backups", "workspace.sqlite"} <= {p.name for p in root.iterdir()}
    with Workspace.open(root) as reopened:
        assert not reopened.read_only
        assert reopened.index.rows() == []


def test_create_refuses_a_folder_with_files_in_it(tmp_path):
    (tmp_path / "taxes.txt").write_text("keep me")
    with pytest.raises(NotAWorkspace, match="not empty"):
        Workspace.create(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["taxes.txt"]


def test_plain_folder_is_not_a_workspace_and_the_sentence_points_to_init(tmp_path):
    with pytest.raises(NotAWorkspace, match=r"not a workspace; create one with `workstation init"):
        Workspace.open(tmp_path)


# -- the index and rescans ---------------------------------------------------------------------


def test_unchanged_rescan_reports_every_case_unchanged(demo_workspace):
    count = len(case_files(demo_workspace))
    with Workspace.open(demo_workspace) as workspace:
        result = workspace.index.rescan()
        assert (result.added, result.changed, result.removed, result.problems) == (0, 0, 0, 0)
        assert result.unchanged == count >= 40
        assert len(workspace.index.rows()) == count


def test_rescan_picks_up_a_case_file_copied_in_and_one_deleted(demo_workspace):
    first, second = case_files(demo_workspace)[:2]
    copied = first.with_name("2026-03-0000c0de.appeal")
    shutil.copy(first, copied)
    second.unlink()
    with Workspace.open(demo_workspace) as workspace:
        result = workspace.index.rescan()
        rows = {row.path.name: row for row in workspace.index.rows()}
    assert (result.added, result.removed, result.changed) == (1, 1, 0)
    assert second.name not in rows
    assert rows[copied.name].case_id == rows[first.name].case_id  # a copy: same case inside


def test_rescan_shows_an_edit_made_behind_the_programs_back(demo_workspace):
    target = case_files(demo_workspace)[3]
    with Workspace.open(demo_workspace) as workspace:
        workspace.index.rescan()
        with CaseFile.open(target) as case_file:
            case_file.set_field("patient.last_name", "Edited-Élsewhere & Co", actor="lee")
        result = workspace.index.rescan()
        row = next(r for r in workspace.index.rows() if r.path == target)
    assert (result.changed, result.added, result.removed) == (1, 0, 0)
    assert row.patient.startswith("Edited-Élsewhere & Co, ")


@pytest.mark.parametrize(("name", "content"), [
    ("2026-03-00000001.appeal", b"not a database at all\n" * 50),
    ("2026-03-00000002.appeal", b""),
    ("2026-03-00000003.appeal", None),  # another program's SQLite file
    ("2026-03-00000004.appeal", "truncated"),
], ids=["text", "empty", "foreign", "truncated"])
def test_unreadable_file_is_listed_with_its_problem_and_the_others_still_load(
        demo_workspace, name, content):
    sound = len(case_files(demo_workspace))
    path = demo_workspace / "cases" / name
    if content is None:
        with contextlib.closing(sqlite3.connect(path)) as conn:
            conn.execute("CREATE TABLE recipes (title TEXT)")
    elif content == "truncated":
        data = case_files(demo_workspace)[0].read_bytes()
        path.write_bytes(data[: len(data) // 2])
    else:
        path.write_bytes(content)
    with Workspace.open(demo_workspace) as workspace:
        result = workspace.index.rescan()
        rows = workspace.index.rows()
    (bad,) = [row for row in rows if row.problem]
    assert bad.path.name == name and name in bad.problem
    assert (result.added, result.problems) == (1, 1)
    assert sum(1 for row in rows if row.case_id) == sound


def test_missing_index_is_rebuilt_from_the_case_files(demo_workspace):
    with Workspace.open(demo_workspace) as workspace:
        before = workspace.index.rows()
    (demo_workspace / "index.sqlite").unlink()
    with Workspace.open(demo_workspace) as workspace:
        result = workspace.index.rescan()
        assert result.added == len(before) == len(case_files(demo_workspace))
        assert workspace.index.rows() == before
    assert (demo_workspace / "index.sqlite").exists()


@pytest.mark.parametrize("damage", ["garbage", "middle"])
def test_damaged_index_is_rebuilt(demo_workspace, damage):
    with Workspace.open(demo_workspace) as workspace:
        before = workspace.index.rows()
    index = demo_workspace / "index.sqlite"
    data = bytearray(index.read_bytes())
    if damage == "garbage":
        data[:] = b"\x00garbage\xff" * (len(data) // 9)
    else:
        data[4096:len(data)] = b"\xa5" * (len(data) - 4096)
    index.write_bytes(bytes(data))
    with Workspace.open(demo_workspace) as workspace:
        assert workspace.index.rescan().added == len(case_files(demo_workspace))
        assert workspace.index.rows() == before


# -- workspace.sqlite damaged, and its backups ---------------------------------------------------


def _damage(db: Path) -> bytes:
    garbage = b"this used to be the workspace\n" * 1000
    db.write_bytes(garbage)
    return garbage


@pytest.mark.parametrize("damage", ["garbage", "pages"])
def test_damaged_workspace_database_is_refused_naming_a_backup(workspace, damage):
    root = workspace.root
    workspace.close()
    backup = latest_backup(root)
    assert backup is not None
    db = root / "workspace.sqlite"
    if damage == "garbage":
        _damage(db)
    else:  # the header survives, the tables do not
        data = db.read_bytes()
        db.write_bytes(data[:4096] + b"\xa5" * (len(data) - 4096))
    with pytest.raises(DamagedWorkspace, match="is damaged") as caught:
        Workspace.open(root)
    assert caught.value.backup == str(backup)
    assert backup.stem.removeprefix("workspace-") in str(caught.value)


def test_restore_backup_brings_the_workspace_back_and_keeps_the_damaged_copy(workspace):
    root = workspace.root
    workspace.set_practice(PracticeProfile(name="Before the backup"))
    workspace.close()
    for old in (root / "backups").iterdir():
        old.unlink()  # today's backup was taken at creation; take one with the profile in it
    Workspace.open(root).close()
    garbage = _damage(root / "workspace.sqlite")
    used = restore_backup(root)
    assert used == latest_backup(root)
    (aside,) = root.glob("workspace.damaged-*.sqlite")
    assert aside.read_bytes() == garbage
    with Workspace.open(root) as restored:
        assert restored.practice().name == "Before the backup"


# Another program writes to workspace.sqlite and dies mid-transaction: a hot journal stays.
CRASHING_WRITER = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size=2")  # spill to the file, so the journal is synced and hot
conn.execute("BEGIN")
conn.execute("UPDATE settings SET value = ?", ("y" * 900,))
conn.execute("DELETE FROM users")
os._exit(0)
"""


def test_restore_backup_moves_a_crashed_writers_journal_aside_with_the_damaged_copy(workspace):
    root = workspace.root  # today's backup was taken at creation: no users, no settings
    workspace.set_users([User(f"user{n}", "n" * 300) for n in range(200)])
    for n in range(100):
        workspace.set_setting(f"key{n}", "x" * 500)
    workspace.close()
    db = root / "workspace.sqlite"
    subprocess.run([sys.executable, "-c", CRASHING_WRITER, str(db)], check=True)
    journal = root / "workspace.sqlite-journal"
    assert journal.stat().st_size > 0
    _damage(db)
    restore_backup(root)
    assert not journal.exists()
    assert len(list(root.glob("workspace.damaged-*.sqlite-journal"))) == 1
    with Workspace.open(root) as restored:  # the backup as it was, not rolled over by the journal
        assert restored.users() == [] and restored.setting("key1") == ""
        assert restored.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_restore_without_a_backup_says_so(workspace):
    root = workspace.root
    workspace.close()
    shutil.rmtree(root / "backups")
    with pytest.raises(DamagedWorkspace, match="no backup"):
        restore_backup(root)


# -- read-only workspaces ----------------------------------------------------------------------


def test_read_only_workspace_can_be_browsed_but_not_changed(demo_workspace):
    index_before = sha256(demo_workspace / "index.sqlite")
    db_before = sha256(demo_workspace / "workspace.sqlite")
    (demo_workspace / "workspace.sqlite").chmod(0o444)
    for folder in (demo_workspace / "cases", demo_workspace):
        folder.chmod(0o555)
    try:
        with Workspace.open(demo_workspace) as workspace:
            assert workspace.read_only
            workspace.index.rescan()
            rows = workspace.index.rows()
            assert len(rows) == len(case_files(demo_workspace)) and not any(row.problem for row in rows)
            assert workspace.practice().name
            with pytest.raises(ReadOnly, match="read-only; you can browse it"):
                workspace.set_setting("theme", "dark")
    finally:
        for folder in (demo_workspace, demo_workspace / "cases"):
            folder.chmod(0o755)
        (demo_workspace / "workspace.sqlite").chmod(0o644)
    assert sha256(demo_workspace / "index.sqlite") == index_before
    assert sha256(demo_workspace / "workspace.sqlite") == db_before


# -- shared data -------------------------------------------------------------------------------


def test_settings_round_trip(workspace):
    assert workspace.setting("theme", "light") == "light"
    workspace.set_setting("theme", "dark")
    with Workspace.open(workspace.root) as reopened:
        assert reopened.setting("theme") == "dark"


def test_users_and_practice_profile_round_trip_with_accents_and_ampersands(workspace):
    users = [User("dana", "Dana O'Éxample & Co"), User("zoë", "Zoë <Núñez>")]
    practice = PracticeProfile(
        name="Riverbend Family Medicine & Physical Therapy <demo>",
        address=Address("1 Rue de l'Église", "Suite 4 & 5", "Sampleburg", "ZZ", "00010"),
        phone="555-0150", fax="555-0151", npi="1234567893", tin="00-0000000",
        contact_name="Seán O'Brien", signer_name="Zoë Ñandú", signer_title="Billing Manager",
    )
    workspace.set_users(users)
    workspace.set_practice(practice)
    with Workspace.open(workspace.root) as reopened:
        assert reopened.users() == sorted(users, key=lambda u: u.login)
        assert reopened.practice() == practice


def test_payers_round_trip(workspace):
    entries = [
        PayerEntry("Sunrise Medicare Advantage Plan (demo)", PayerKind.MEDICARE_ADVANTAGE,
                   ["99902", "SUN01"], Address("200 Sample Parkway", "Appeals & Grievances",
                                               "Mockville", "ZZ", "00002"),
                   "555-0110", "555-0111", "https://portal.example.invalid/sunrise", True),
        PayerEntry("Acme Widgets & Gadgets Plan", PayerKind.ERISA, []),
    ]
    for entry in entries:
        assert workspace.add_payer(entry).id is not None
    with Workspace.open(workspace.root) as reopened:
        assert reopened.payers() == sorted(entries, key=lambda p: p.name)
