"""Interrupted edits are recovered and said truly: a change a crash left half-done (a hot journal)
is rolled back when the case is next read, and the case says so; the hidden `.NAME.partial` files
an interrupted import leaves are removed by the next opening of the workspace and by `check`.

The kill tests are real processes killed with SIGKILL at random moments, each followed by the
same reads `check`, `show` and `cases` do, and a comparison with what a clean run writes."""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workstation.casefile.case_file import CaseFile
from workstation.casefile.sqlite_file import INTERRUPTED_KIND
from workstation.casefile.workspace import Workspace
from workstation.core.errors import ReadOnly
from workstation.intake.synthetic_835 import generate_835
from workstation.ops.cases import case_json, list_cases, load_case
from workstation.ops.demographics import fill_demographics
from workstation.ops.import_remittance import import_remittances
from workstation.ops.recovery import interrupted_notice
from workstation.ops.workspaces import check_path

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

NOTE = "x" * 20_000  # several pages per note: the journal has work to undo

CRASH_MID_CHANGE = """
import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute('PRAGMA cache_size=1'); c.execute('BEGIN IMMEDIATE')
c.execute("UPDATE case_info SET assignee = 'half-done', revision = revision + 1")
c.execute('CREATE TABLE junk AS SELECT randomblob(200000) AS b')
os._exit(9)
"""

NOTES_FOREVER = """
import sys
from pathlib import Path
from workstation.casefile.case_file import CaseFile
with CaseFile.open(Path(sys.argv[1])) as case_file:
    print("ready", flush=True)
    n = 0
    while True:
        case_file.add_note(f"note {n} " + "x" * 20_000, actor="kill-test")
        n += 1
"""

IMPORT = """
import sys
from pathlib import Path
from workstation.casefile.workspace import Workspace
from workstation.ops.import_remittance import import_remittances
with Workspace.open(Path(sys.argv[1])) as workspace:
    print("ready", flush=True)
    import_remittances(workspace, [Path(sys.argv[2])], actor="kill-test")
"""


def crash_mid_change(path: Path) -> None:
    subprocess.run([sys.executable, "-c", CRASH_MID_CHANGE, str(path)], check=False)
    assert Path(f"{path}-journal").stat().st_size > 0


def kill_at_random(script: str, *args: Path, seconds: tuple[float, float], rng: random.Random) -> None:
    """Start `script`, let it work a random while once it is ready, and kill it with SIGKILL."""
    child = subprocess.Popen([sys.executable, "-c", script, *map(str, args)], stdout=subprocess.PIPE)
    assert child.stdout is not None and child.stdout.readline() == b"ready\n"
    time.sleep(rng.uniform(*seconds))
    child.send_signal(signal.SIGKILL)
    child.wait()


@pytest.fixture
def case_path(ws: Workspace, make_case) -> Path:
    return CaseFile.create(ws.cases_dir / "2026-03-abcdef01.appeal", make_case())


# -- a hot journal ------------------------------------------------------------------------------------


def test_check_rolls_back_a_half_done_change_and_says_so(ws: Workspace, case_path: Path) -> None:
    crash_mid_change(case_path)
    report = check_path(ws.root)
    assert report.problems == 0 and report.lines[1] == f"{case_path.name}: ok"
    assert report.notes == [f"{case_path.name}: its last change was interrupted (the program stopped during it) "
                            "and has been undone; check that case and make the change again."]
    assert not Path(f"{case_path}-journal").exists()
    case = load_case(case_path)
    assert case.assignee == "dana" and case.activity[-1].kind == INTERRUPTED_KIND
    assert "has been undone" in interrupted_notice(case)
    assert check_path(ws.root).notes == []  # said once, when it was done


def test_show_and_cases_read_a_case_reached_through_a_link(ws: Workspace, case_path: Path, tmp_path: Path) -> None:
    """SQLite keeps the journal beside the real file: a reader through a link used to meet it
    unrolled and blame the folder ("in a folder you cannot write to")."""
    linked = tmp_path / "usb" / case_path.name
    linked.parent.mkdir()
    linked.symlink_to(case_path)
    crash_mid_change(case_path)
    case = load_case(linked)
    assert case.assignee == "dana" and interrupted_notice(case)
    assert [row.problem for row in list_cases(ws)] == [""]
    assert case_json(linked, case)["activity"][-1]["kind"] == INTERRUPTED_KIND


def test_a_half_done_change_in_a_read_only_folder_is_named_truly(ws: Workspace, case_path: Path) -> None:
    crash_mid_change(case_path)
    os.chmod(ws.cases_dir, 0o555)
    try:
        with pytest.raises(ReadOnly, match=r"was interrupted while being changed .* folder is read-only"):
            load_case(case_path)
    finally:
        os.chmod(ws.cases_dir, 0o755)


def test_notes_written_until_a_kill_are_whole_and_in_order(ws: Workspace, case_path: Path) -> None:
    """A handful of real kills during commits; after each, check/show/cases read the file and it
    holds exactly the first N notes a clean run writes, each complete."""
    rng = random.Random(12)
    before = 0
    for _trial in range(5):
        kill_at_random(NOTES_FOREVER, case_path, seconds=(0.05, 0.4), rng=rng)
        report = check_path(ws.root)
        assert report.problems == 0, report.lines
        case = load_case(case_path)
        texts = [note.text for note in case.notes if note.author == "kill-test"][before:]  # this trial's
        assert texts == [f"note {n} {NOTE}" for n in range(len(texts))]
        before += len(texts)
        assert not [row for row in list_cases(ws) if row.problem]
        assert_no_hot_journal(case_path)


def assert_no_hot_journal(path: Path) -> None:
    """A journal killed before its first sync may stay (its header is still zero, so SQLite ignores
    it and the next change reuses it); any reader, even a read-only one, can read the file."""
    with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        assert conn.execute("PRAGMA schema_version").fetchone()[0] > 0


# -- partial files of an interrupted import -------------------------------------------------------------


def test_opening_the_workspace_removes_what_an_interrupted_import_left(ws: Workspace, make_case) -> None:
    leftover = ws.cases_dir / ".2026-03-0badf00d.appeal.partial"
    CaseFile.create(ws.cases_dir / "2026-03-0badf00d.appeal", make_case()).rename(leftover)
    ws.close()
    with Workspace.open(ws.root) as reopened:
        assert reopened.cleaned == [leftover.name]
    assert not leftover.exists()


def test_check_reports_what_it_removed(ws: Workspace) -> None:
    leftover = ws.cases_dir / ".2026-03-0badf00d.appeal.partial"
    leftover.write_bytes(b"half a case")
    ws.close()
    report = check_path(ws.root)
    assert report.removed == [leftover.name]
    assert report.notes == [f"Removed {leftover.name}, an unfinished file an interrupted import or backup left behind."]


def test_a_running_import_keeps_its_partial_files(ws: Workspace) -> None:
    building = ws.cases_dir / ".2026-03-0badf00d.appeal.partial"
    building.write_bytes(b"being written")
    with ws.import_lock(), Workspace.open(ws.root) as other:
        assert other.cleaned == []
    assert building.exists()


def test_imports_killed_at_random_leave_nothing_behind_and_a_rerun_matches_a_clean_run(
        tmp_path: Path) -> None:
    era = tmp_path / "denials.835"
    era.write_text(generate_835(3, 150, denied=150), encoding="utf-8")
    with Workspace.create(tmp_path / "clean") as clean:
        import_remittances(clean, [era], actor="kill-test")
        expected = sorted(_row(row) for row in list_cases(clean))
    rng = random.Random(7)
    for trial in range(3):
        root = tmp_path / f"killed-{trial}"
        Workspace.create(root).close()
        kill_at_random(IMPORT, root, era, seconds=(0.2, 1.2), rng=rng)
        report = check_path(root)
        assert report.problems == 0, report.lines
        assert not [p for p in (root / "cases").iterdir() if p.name.startswith(".")]
        with Workspace.open(root) as workspace:
            import_remittances(workspace, [era], actor="kill-test")
            assert sorted(_row(row) for row in list_cases(workspace)) == expected


def _row(row) -> str:
    return json.dumps({k: v for k, v in row.to_json().items() if k not in ("path", "case_id")}, sort_keys=True)


# -- index gaps -----------------------------------------------------------------------------------------


def test_demographics_reaches_a_case_file_the_index_never_saw(ws: Workspace, make_case, tmp_path: Path) -> None:
    """After a crash between writing a case file and indexing it (or a case copied in by hand),
    every command over the workspace's cases rescans first."""
    case = make_case()
    case.patient.date_of_birth = None
    path = CaseFile.create(ws.cases_dir / "2026-03-abcdef01.appeal", case)  # written, never indexed
    csv = tmp_path / "demographics.csv"
    csv.write_text(f"account_number,date_of_birth\n{case.claim.account_number},1950-05-17\n", encoding="utf-8")
    result = fill_demographics(ws, csv, actor="tester")
    assert (result.filled, result.unmatched) == (1, 0)
    assert str(load_case(path).patient.date_of_birth) == "1950-05-17"
