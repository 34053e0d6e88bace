"""The audit trail (issue 12, point 2): each opening, view, export, print, letter, packet, calendar,
CSV export, report, backup and restore leaves one entry in workspace.sqlite with who, what and which
case (by id), never a patient's name; SQLite itself refuses to change or remove an entry."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from practice_fixtures import case_in_workspace
from reportlab.pdfgen import canvas

from workstation.casefile.case_file import CaseFile
from workstation.casefile.schema import run_script
from workstation.casefile.workspace import WORKSPACE_APPLICATION_ID, Workspace
from workstation.casefile.workspace_schema import STEPS
from workstation.core.audit import AuditEntry
from workstation.core.errors import DamagedWorkspace, UserError
from workstation.core.model import Person
from workstation.ops.audit import audit_entries, export_audit_csv, record_print
from workstation.ops.backups import back_up, restore
from workstation.ops.cases import list_cases, load_case
from workstation.ops.deadlines import export_calendar
from workstation.ops.evidence import attach_files, export_document, preview_page
from workstation.ops.letter_commands import letter_for_command, packet_for_command
from workstation.ops.letters import export_for_portal
from workstation.ops.report import ReportRequest, build_report
from workstation.ops.report_export import export_report
from workstation.ops.session import CaseSession
from workstation.ops.user_config import UserConfig, save_config
from workstation.ops.worklist_export import export_worklist_csv
from workstation.ops.workspaces import check_path

#: A name no program text holds, so finding it in the trail can only mean it leaked.
PATIENT = Person("Quillfeather", "Ottoline", "", date(1950, 5, 17), "MBI-1EG4TE5MK73", "GRP 9")
NAMES = ("Quillfeather", "Ottoline")
LATE = {"good_cause_reason": "The notice reached us late."}


@pytest.fixture(autouse=True)
def kim() -> str:
    """The current user, as chosen in Preferences."""
    save_config(UserConfig(current_user="kim"))
    return "kim"


@pytest.fixture
def case_path(tmp_path: Path, make_case) -> Path:
    return case_in_workspace(tmp_path, make_case(patient=PATIENT, insured=PATIENT))


@pytest.fixture
def root(case_path: Path) -> Path:
    return case_path.parent.parent


@pytest.fixture
def case_id(make_case) -> str:
    return make_case().case_id


def trail(root: Path, **filters: object) -> list[AuditEntry]:
    with Workspace.open(root, backup=False) as workspace:
        return audit_entries(workspace, **filters)


def only(root: Path, action: str) -> AuditEntry:
    """The one entry of `action` (failing when there are none or several)."""
    found = [e for e in trail(root) if e.action == action]
    assert len(found) == 1, found
    return found[0]


def assert_no_names(root: Path) -> None:
    """No patient name in any entry, nor anywhere in workspace.sqlite's bytes."""
    text = " ".join(f"{e.actor} {e.action} {e.case_id} {e.detail}" for e in trail(root))
    data = (root / "workspace.sqlite").read_bytes()
    for name in NAMES:
        assert name not in text
        assert name.encode() not in data


def _pdf(path: Path, pages: int) -> Path:
    drawing = canvas.Canvas(str(path))
    for number in range(pages):
        drawing.drawString(72, 700, f"Chart note page {number + 1}")
        drawing.showPage()
    drawing.save()
    return path


@pytest.fixture
def with_document(case_path: Path, tmp_path: Path) -> int:
    """A two-page document whose title, taken from its file name, holds the patient's name."""
    with CaseFile.open(case_path) as case_file:
        assert attach_files(case_file, [_pdf(tmp_path / "Quillfeather MRI.pdf", 2)], actor="kim").added
        return case_file.load().evidence[0].id


# -- each action, one entry ---------------------------------------------------------------------------


def test_opening_a_case_for_the_window_is_one_entry_however_often_it_is_read(root, case_path, case_id) -> None:
    with Workspace.open(root) as workspace:
        session = CaseSession(case_path, workspace, "kim")
        session.load()
        session.load()
        session.close()
    entry = only(root, "open_case")
    assert (entry.actor, entry.case_id, entry.detail) == ("kim", case_id, "opened in the window")
    assert_no_names(root)


def test_show_records_the_opening_by_the_command_line(root, case_path, case_id) -> None:
    load_case(case_path)
    entry = only(root, "open_case")
    assert (entry.actor, entry.case_id, entry.detail) == ("kim", case_id, "shown by the command line")


def test_a_document_is_recorded_once_per_opening_of_its_case_never_by_its_title(root, case_path, case_id,
                                                                                 with_document) -> None:
    with CaseFile.open(case_path) as case_file:
        for page in (0, 1, 0):
            preview_page(case_file, with_document, page, width=200)
    entry = only(root, "view_document")
    assert (entry.actor, entry.case_id) == ("kim", case_id)
    assert entry.detail.startswith(f"document {with_document} (other, application/pdf, sha256 ")
    with CaseFile.open(case_path) as case_file:  # a new opening: viewed again
        preview_page(case_file, with_document, 0, width=200)
    assert [e.action for e in trail(root)].count("view_document") == 2
    assert_no_names(root)


def test_exporting_a_document_is_recorded_and_writes_it_whole(root, case_path, case_id, with_document,
                                                              tmp_path) -> None:
    with CaseFile.open(case_path) as case_file:
        written = export_document(case_file, with_document, tmp_path / "out.pdf")
        stored = case_file.evidence.read(with_document)
    assert written.read_bytes() == stored
    entry = only(root, "export_document")
    assert (entry.actor, entry.case_id) == ("kim", case_id)
    assert entry.detail.endswith("written to a file")
    assert_no_names(root)


def test_a_letter_made_for_a_file_and_one_saved_are_one_entry_each(root, case_path, case_id) -> None:
    _draft, pdf = letter_for_command(case_path, template_id="general_appeal", given=LATE, save=False, actor="kim")
    made = only(root, "letter")
    assert (made.actor, made.case_id) == ("kim", case_id)
    assert made.detail.startswith("made for a PDF file (general_appeal v")
    assert made.detail.endswith(f"sha256 {hashlib.sha256(pdf).hexdigest()[:16]}")
    letter_for_command(case_path, template_id="general_appeal", given=LATE, save=True, actor="kim")
    letters = [e for e in trail(root) if e.action == "letter"]
    assert len(letters) == 2 and letters[1].detail.startswith("saved in the case as a new version")
    assert_no_names(root)


def test_a_packet_is_one_entry_naming_the_file_by_its_digest(root, case_path, case_id, tmp_path) -> None:
    target = tmp_path / "packet.pdf"
    packet_for_command(case_path, target, template_id="general_appeal", given=LATE, actor="kim")
    entry = only(root, "packet")
    assert (entry.actor, entry.case_id) == ("kim", case_id)
    assert entry.detail.endswith(f"sha256 {hashlib.sha256(target.read_bytes()).hexdigest()[:16]}")
    assert str(tmp_path) not in entry.detail  # a folder a biller chose may name a patient
    assert_no_names(root)


def test_portal_files_are_one_packet_entry(root, case_path, case_id, tmp_path, with_document) -> None:
    letter_for_command(case_path, template_id="general_appeal", given=LATE, save=True, actor="kim")
    with CaseFile.open(case_path) as case_file:
        export = export_for_portal(case_file, tmp_path / "portal")
    entry = only(root, "packet")
    assert entry.case_id == case_id and f"{len(export.files)} files" in entry.detail
    assert_no_names(root)


def test_printing_is_recorded_for_every_case_printed(root, case_id) -> None:
    with Workspace.open(root) as workspace:
        record_print(workspace, case_ids=[case_id, case_id, ""], what="packet of 3 pages")
    entry = only(root, "print")
    assert (entry.actor, entry.case_id, entry.detail) == ("kim", case_id, "packet of 3 pages")


def test_a_calendar_is_recorded_for_the_cases_it_holds(root, case_id, tmp_path) -> None:
    with Workspace.open(root) as workspace:
        rows = list_cases(workspace)
    assert export_calendar(rows, tmp_path / "dates.ics") == 1
    entry = only(root, "calendar")
    assert (entry.actor, entry.case_id) == ("kim", case_id)
    assert_no_names(root)


def test_a_worklist_csv_is_recorded_for_each_case_in_it(root, case_id, tmp_path) -> None:
    with Workspace.open(root) as workspace:
        rows = list_cases(workspace)
    export_worklist_csv(rows, tmp_path / "rows.csv")
    assert "Quillfeather" in (tmp_path / "rows.csv").read_text(encoding="utf-8-sig")  # the file holds the name...
    entry = only(root, "csv_export")
    assert (entry.actor, entry.case_id, entry.detail.split(",")[0]) == ("kim", case_id, "worklist CSV of 1 cases")
    assert_no_names(root)  # ...the trail does not


def test_a_report_is_recorded_once_per_period_and_its_export_once(root, tmp_path) -> None:
    with Workspace.open(root) as workspace:
        report = build_report(workspace, ReportRequest(date(2026, 1, 1), date(2026, 3, 31)))
        build_report(workspace, ReportRequest(date(2026, 1, 1), date(2026, 3, 31)))  # the view rebuilding it
    entry = only(root, "report")
    assert (entry.actor, entry.case_id, entry.detail) == (
        "kim", None, "denial and appeal figures from 2026-01-01 to 2026-03-31")
    export_report(report, csv_dir=tmp_path / "csv", root=root)
    exported = only(root, "csv_export")
    assert exported.case_id is None and exported.detail.startswith("report from 2026-01-01 to 2026-03-31 exported")


def test_a_backup_is_recorded_in_its_workspace_and_a_restore_in_the_restored_one(root, tmp_path) -> None:
    back_up(root, tmp_path / "backup")
    assert only(root, "backup").detail == "2 files (1 cases) copied to a backup folder"
    restore(tmp_path / "backup", tmp_path / "restored")
    entry = only(tmp_path / "restored", "restore")
    assert entry.actor == "kim" and entry.detail.startswith("2 files (1 cases) restored from a backup made ")


# -- the trail itself ---------------------------------------------------------------------------------


def test_sqlite_refuses_to_change_or_remove_an_entry(root, case_path) -> None:
    load_case(case_path)
    with sqlite3.connect(root / "workspace.sqlite") as conn:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("UPDATE audit SET actor = 'someone else'")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("DELETE FROM audit")
    assert only(root, "open_case").actor == "kim"


def test_filters_by_case_start_day_and_action(root, case_path, case_id) -> None:
    load_case(case_path)
    with Workspace.open(root) as workspace:
        record_print(workspace, case_ids=["another-case"], what="worklist printed")
    assert [e.case_id for e in trail(root, case_id=case_id[:8])] == [case_id]
    assert [e.action for e in trail(root, action="print")] == ["print"]
    assert len(trail(root, since=date.today())) == 2 and trail(root, since=date(2999, 1, 1)) == []


def test_an_unknown_action_is_refused_naming_the_actions(root) -> None:
    with pytest.raises(UserError, match="There is no audit action 'opened'; the actions are: open_case, "):
        trail(root, action="opened")


def test_check_passes_with_a_trail_and_a_removed_trigger_is_damage(root, case_path) -> None:
    load_case(case_path)
    assert check_path(root).problems == 0
    with sqlite3.connect(root / "workspace.sqlite") as conn:
        conn.execute("DROP TRIGGER audit_is_append_only_delete")
    with pytest.raises(DamagedWorkspace, match=r"damaged \(the trigger audit_is_append_only_delete is missing\)"):
        check_path(root)


def test_a_lone_case_file_opens_without_a_trail_or_an_error(tmp_path: Path, make_case) -> None:
    alone = CaseFile.create(tmp_path / "alone.appeal", make_case(patient=PATIENT))
    session = CaseSession(alone, None, "kim")
    assert session.load().patient.last_name == "Quillfeather"
    session.close()
    assert load_case(alone).case_id
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alone.appeal"]


@pytest.fixture
def read_only(root: Path) -> Iterator[Path]:
    """The workspace on a share you may only read."""
    paths = [root / "workspace.sqlite", root / "cases", root]
    modes = [p.stat().st_mode for p in paths]
    for path in paths:
        os.chmod(path, stat.S_IMODE(path.stat().st_mode) & ~0o222)
    try:
        yield root
    finally:
        for path, mode in zip(paths, modes, strict=True):
            os.chmod(path, stat.S_IMODE(mode))


def test_a_read_only_workspace_is_browsed_without_a_trail_or_an_error(read_only, case_path) -> None:
    with Workspace.open(read_only) as workspace:
        assert workspace.read_only
        session = CaseSession(case_path, workspace, "kim")
        session.load()
        session.close()
    load_case(case_path)
    assert trail(read_only) == []


def test_an_older_workspace_takes_its_first_entry_from_a_case_file(tmp_path: Path, make_case, case_id) -> None:
    root = tmp_path / "v7"
    (root / "cases").mkdir(parents=True)
    conn = sqlite3.connect(root / "workspace.sqlite", isolation_level=None)
    conn.execute("BEGIN")
    for version, script in STEPS:
        if version <= 7:
            run_script(conn, script)
    conn.execute(f"PRAGMA application_id={WORKSPACE_APPLICATION_ID}")
    conn.execute("PRAGMA user_version=7")
    conn.execute("COMMIT")
    conn.close()
    load_case(CaseFile.create(root / "cases" / "2026-03-abcdef01.appeal", make_case()))
    assert only(root, "open_case").case_id == case_id


def test_the_trail_exports_as_a_csv_a_spreadsheet_opens_safely(root, tmp_path) -> None:
    with Workspace.open(root) as workspace:
        record_print(workspace, case_ids=["c1"], what="packet of 2 pages", actor="=HYPERLINK(\"x\")")
        written = export_audit_csv(audit_entries(workspace), tmp_path / "trail.csv")
    lines = written.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "at,actor,action,case_id,detail"
    assert lines[1].split(",")[1:3] == ['"\'=HYPERLINK(""x"")"', "print"]
