"""The case file: one SQLite file per denial, refused when foreign, newer or damaged."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import re
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from workstation.casefile.case_file import CaseFile
from workstation.casefile.schema import CASE_APPLICATION_ID, CASE_SCHEMA_VERSION
from workstation.casefile.workspace import Workspace
from workstation.core.errors import (
    CaseInUse,
    DamagedCaseFile,
    NewerCaseFile,
    NotACaseFile,
    ReadOnly,
    StaleEdit,
    UserError,
)
from workstation.core.model import ServiceLine
from workstation.core.vocabulary import Status

PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)


@pytest.fixture
def case_path(tmp_path: Path, make_case) -> Path:
    return CaseFile.create(tmp_path / "2026-03-6f1c1d0e.appeal", make_case())


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def raw(path: Path) -> sqlite3.Connection:
    """A connection of 'another program', outside CaseFile."""
    return sqlite3.connect(path, isolation_level=None)


def value(path: Path, sql: str):
    with contextlib.closing(raw(path)) as conn:
        return conn.execute(sql).fetchone()[0]


# -- creating and reading --------------------------------------------------------------------


def test_every_field_of_a_full_case_survives_create_open_and_load(case_path, make_case):
    with CaseFile.open(case_path) as case_file:
        loaded = case_file.load()
    expected = make_case()
    for part in dataclasses.fields(expected):
        assert getattr(loaded, part.name) == getattr(expected, part.name), part.name
    assert loaded == expected


def test_names_with_markup_characters_and_accents_survive(case_path):
    with CaseFile.open(case_path) as case_file:
        case_file.set_field("patient.first_name", "Zoë-Ñúñez & <Amélie> 'Ō'", actor="dana")
        loaded = case_file.load()
    assert loaded.patient.last_name == "O'Brien & <Sons>"
    assert loaded.patient.first_name == "Zoë-Ñúñez & <Amélie> 'Ō'"
    assert loaded.provider.name == "Riverbend <Clinic>"
    assert loaded.insured.first_name == "Seán"


def test_new_case_file_name_carries_no_patient_data(tmp_path, make_case):
    case = make_case()
    with Workspace.create(tmp_path / "ws") as workspace:
        path = workspace.new_case_path(date(2026, 3, 4))
        CaseFile.create(path, case)
    assert re.fullmatch(r"2026-03-[0-9a-f]{8}\.appeal", path.name)
    for secret in (case.patient.last_name, case.patient.member_id, case.claim.account_number,
                   case.claim.payer_claim_number, case.case_id[:8]):
        assert secret not in path.name


def test_header_carries_our_application_id_and_schema_version(case_path):
    header = case_path.read_bytes()[:100]
    assert header.startswith(b"SQLite format 3\x00")
    assert int.from_bytes(header[68:72], "big") == CASE_APPLICATION_ID == 0x41505743
    assert int.from_bytes(header[60:64], "big") == CASE_SCHEMA_VERSION >= 1


def test_case_stays_one_file_with_a_rollback_journal(case_path):
    with CaseFile.open(case_path) as case_file:
        case_file.set_field("case.assignee", "lee", actor="dana")
        assert not case_path.with_name(case_path.name + "-wal").exists()
    header = case_path.read_bytes()[:100]
    assert (header[18], header[19]) == (1, 1)  # 1 = rollback journal, 2 = WAL
    assert value(case_path, "PRAGMA journal_mode") == "delete"
    assert sorted(p.name for p in case_path.parent.iterdir()) == [case_path.name]


def test_create_refuses_an_existing_path_and_leaves_it_alone(case_path, make_case):
    before = sha256(case_path)
    with pytest.raises(UserError, match="already exists"):
        CaseFile.create(case_path, make_case(status=Status.NEW))
    assert sha256(case_path) == before


def test_failed_create_leaves_no_partial_and_no_target_file(tmp_path, make_case):
    line = ServiceLine(1, "97110")
    target = tmp_path / "2026-03-deadbeef.appeal"
    # An inconsistent case is a bug to report, not a "damaged file, restore a backup" sentence.
    with pytest.raises(sqlite3.IntegrityError, match=r"service_lines\.line_number"):
        CaseFile.create(target, make_case(lines=[line, dataclasses.replace(line)]))
    assert list(tmp_path.iterdir()) == []


# -- refusing what is not ours, newer or damaged -------------------------------------------------


def test_newer_case_file_is_refused_untouched(case_path, tmp_path):
    newer = tmp_path / "newer.appeal"
    shutil.copy(case_path, newer)
    with contextlib.closing(raw(newer)) as conn:
        conn.execute(f"PRAGMA user_version = {CASE_SCHEMA_VERSION + 1}")
    before = sha256(newer)
    with pytest.raises(NewerCaseFile, match="newer version"):
        CaseFile.open(newer)
    assert sha256(newer) == before


@pytest.mark.parametrize("content", [b"Dear payer,\nplease pay.\n" * 20, b"", PNG_BYTES],
                         ids=["text", "empty", "png"])
def test_file_that_is_not_sqlite_is_not_a_case_file(tmp_path, content):
    path = tmp_path / "letter.appeal"
    path.write_bytes(content)
    with pytest.raises(NotACaseFile, match="is not an appeal case file"):
        CaseFile.open(path)
    assert path.read_bytes() == content


def test_missing_file_or_a_folder_is_not_a_case_file(tmp_path):
    with pytest.raises(NotACaseFile, match="does not exist; check the path"):
        CaseFile.open(tmp_path / "gone.appeal")
    with pytest.raises(NotACaseFile, match="is a folder, not an appeal case file"):
        CaseFile.open(tmp_path)


def test_sqlite_file_of_another_program_is_refused(tmp_path):
    path = tmp_path / "contacts.appeal"
    with contextlib.closing(raw(path)) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
    before = sha256(path)
    with pytest.raises(NotACaseFile, match="another program"):
        CaseFile.open(path)
    assert sha256(path) == before


def test_truncated_case_file_is_damaged_and_left_as_it_is(case_path):
    data = case_path.read_bytes()
    case_path.write_bytes(data[: len(data) // 2])
    before = sha256(case_path)
    with pytest.raises(DamagedCaseFile, match="cut short"):
        CaseFile.open(case_path)
    assert sha256(case_path) == before


def test_corrupted_page_is_found(case_path):
    data = bytearray(case_path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 4096] = b"\xa5" * 4096
    case_path.write_bytes(bytes(data))
    try:
        with CaseFile.open(case_path, read_only=True) as case_file:
            assert case_file.integrity_problems()
    except DamagedCaseFile as error:
        assert "restore it from a backup" in str(error)


def test_sound_case_file_has_no_integrity_problems(case_path):
    with CaseFile.open(case_path, read_only=True) as case_file:
        assert case_file.integrity_problems() == []


# -- editing -----------------------------------------------------------------------------------


def test_edit_is_committed_at_once_logged_and_bumps_the_revision(case_path):
    with CaseFile.open(case_path) as case_file:
        revision = case_file.revision()
        entries = len(case_file.load().activity)
        changes = case_file.set_field("case.status", "submitted", actor="dana")
        # Another connection sees the edit while our file is still open: no Save needed.
        assert value(case_path, "SELECT status FROM case_info") == "submitted"
        assert case_file.revision() == revision + 1
        activity = case_file.load().activity
    assert changes.fields == {"case.status"} and changes.worklist
    assert len(activity) == entries + 1
    assert (activity[-1].actor, activity[-1].kind) == ("dana", "edit")
    assert activity[-1].message == "Status: In review -> Submitted"


def test_edit_to_the_same_value_changes_and_logs_nothing(case_path):
    with CaseFile.open(case_path) as case_file:
        revision = case_file.revision()
        changes = case_file.set_field("case.assignee", "dana", actor="dana")
        assert changes.nothing and case_file.revision() == revision
        assert not case_file.can_undo


def test_edit_made_elsewhere_first_makes_a_stale_edit_and_is_not_lost(case_path):
    with CaseFile.open(case_path) as mine, CaseFile.open(case_path) as theirs:
        shown = mine.load().patient.member_id
        theirs.set_field("patient.member_id", "MBI-THEIRS", actor="lee", expected=shown)
        with pytest.raises(StaleEdit, match="changed in another window"):
            mine.set_field("patient.member_id", "MBI-MINE", actor="dana", expected=shown)
        assert mine.load().patient.member_id == "MBI-THEIRS"
        assert [a.actor for a in mine.load().activity].count("dana") == 0


def test_undo_restores_the_old_value_and_logs_it(case_path):
    with CaseFile.open(case_path) as case_file:
        case_file.set_field("patient.date_of_birth", "05/18/1950", actor="dana")
        assert case_file.load().patient.date_of_birth == date(1950, 5, 18)
        assert case_file.undo_description() == "Undo: Date of birth changed"
        case_file.undo(actor="dana")
        loaded = case_file.load()
        assert not case_file.can_undo
    assert loaded.patient.date_of_birth == date(1950, 5, 17)
    assert [a.message for a in loaded.activity[-2:]] == ["Date of birth changed", "Undone: Date of birth changed"]


def test_undo_of_an_edit_changed_elsewhere_is_refused(case_path):
    with CaseFile.open(case_path) as mine, CaseFile.open(case_path) as theirs:
        mine.set_field("case.assignee", "lee", actor="dana")
        theirs.set_field("case.assignee", "sam", actor="sam")
        with pytest.raises(StaleEdit):
            mine.undo(actor="dana")
        assert mine.load().assignee == "sam"


def test_activity_log_is_append_only(case_path):
    with contextlib.closing(raw(case_path)) as conn:
        for sql in ("UPDATE activity SET message = 'nothing happened'", "DELETE FROM activity"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                conn.execute(sql)
        assert conn.execute("SELECT message FROM activity").fetchall() == [("Imported",)]


def test_read_only_folder_opens_read_only_and_refuses_edits(case_path):
    folder = case_path.parent
    case_path.chmod(0o444)
    folder.chmod(0o555)
    try:
        before = sha256(case_path)
        with CaseFile.open(case_path) as case_file:
            assert case_file.read_only
            assert case_file.load().patient.first_name == "Zoë"
            with pytest.raises(ReadOnly, match="read-only folder; copy the workspace somewhere"):
                case_file.set_field("case.assignee", "lee", actor="dana")
        assert sha256(case_path) == before
    finally:
        folder.chmod(0o755)
        case_path.chmod(0o644)


def test_edit_while_another_program_holds_the_case_is_refused_as_in_use(case_path):
    with contextlib.closing(raw(case_path)) as other, CaseFile.open(case_path) as case_file:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(CaseInUse, match="in use by another window or program"):
            case_file.set_field("case.assignee", "lee", actor="dana")
        other.execute("ROLLBACK")
        case_file.set_field("case.assignee", "lee", actor="dana")
        assert case_file.load().assignee == "lee"
