"""The letter draft kept in the case file (schema 6): written outside any user action, cleared by
a saved version; older files gain the table when opened, read-only ones through a copy."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.practice_fixtures import case_in_workspace
from workstation.casefile.case_file import CaseFile
from workstation.casefile.schema import CASE_SCHEMA_VERSION
from workstation.core.errors import ReadOnly
from workstation.ops.letters import (
    LetterDraft,
    draft_letter,
    keep_letter_draft,
    letter_draft,
    letter_setting,
    save_letter,
)

DRAFT = LetterDraft("general_appeal", 2, 1, {"clinical_summary": "Zoë's knee, ñ & <b> *x*"},
                    "# Request\n\nThe biller's own text.")


def _version_5(path: Path) -> Path:
    """Take a file of today's schema back to version 5: the draft and packet tables dropped."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN")
        conn.execute("DROP TABLE letter_draft")
        conn.execute("DROP TABLE packet_options")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'v6_letter_draft_packet_options'")
        conn.execute("COMMIT")
        conn.execute("PRAGMA user_version=5")
    finally:
        conn.close()
    return path


def _tables(path: Path) -> tuple[set[str], int]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return names, conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_draft_is_kept_without_an_activity_entry_or_a_revision_bump(tmp_path: Path, make_case) -> None:
    path = CaseFile.create(tmp_path / "a.appeal", make_case())
    with CaseFile.open(path) as case_file:
        activity, revision = len(case_file.load().activity), case_file.revision()
        assert letter_draft(case_file) is None
        changes = keep_letter_draft(case_file, DRAFT, actor="dana")
        assert changes.nothing  # no view has anything to refresh
        assert (len(case_file.load().activity), case_file.revision()) == (activity, revision)
    with CaseFile.open(path, read_only=True) as case_file:
        kept = letter_draft(case_file)
    assert kept is not None and kept.by == "dana" and kept.saved_at is not None
    assert (kept.template_id, kept.template_version, kept.level, kept.fields, kept.text) == (
        DRAFT.template_id, DRAFT.template_version, DRAFT.level, DRAFT.fields, DRAFT.text)


def test_a_draft_of_the_fields_only_keeps_no_text(tmp_path: Path, make_case) -> None:
    path = CaseFile.create(tmp_path / "a.appeal", make_case())
    with CaseFile.open(path) as case_file:
        keep_letter_draft(case_file, DRAFT, actor="dana")
        keep_letter_draft(case_file, LetterDraft("general_appeal", 2, 1, {"policy_reference": "LCD L1"}), actor="dana")
        kept = letter_draft(case_file)
    assert kept is not None and kept.text is None and kept.fields == {"policy_reference": "LCD L1"}


def test_saving_a_letter_version_clears_the_draft(tmp_path: Path, make_case) -> None:
    case = make_case()
    path = case_in_workspace(tmp_path, case)
    with CaseFile.open(path) as case_file:
        keep_letter_draft(case_file, DRAFT, actor="dana")
        fields = {"clinical_summary": "Needed.", "good_cause_reason": "Late notice."}
        draft = draft_letter(case, letter_setting(path, case), template_id="general_appeal", fields=fields)
        save_letter(case_file, draft, markup=draft.markup, fields=fields, actor="dana")
        assert letter_draft(case_file) is None
        assert len(case_file.letters.versions()) == 1


def test_a_version_5_file_opened_writable_gains_the_draft_table(tmp_path: Path, make_case) -> None:
    path = _version_5(CaseFile.create(tmp_path / "a.appeal", make_case()))
    names, version = _tables(path)
    assert version == 5 and "letter_draft" not in names
    with CaseFile.open(path) as case_file:
        keep_letter_draft(case_file, DRAFT, actor="dana")
        assert case_file.letters.remittance_advice() is None
    names, version = _tables(path)
    assert version == CASE_SCHEMA_VERSION >= 6 and {"letter_draft", "packet_options"} <= names


def test_a_version_5_file_in_a_read_only_folder_reads_through_a_copy_and_keeps_no_draft(
        tmp_path: Path, make_case) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    path = _version_5(CaseFile.create(folder / "a.appeal", make_case()))
    before = _sha(path)
    os.chmod(path, 0o444)
    os.chmod(folder, 0o555)
    try:
        with CaseFile.open(path) as case_file:
            assert case_file.read_only and letter_draft(case_file) is None
            with pytest.raises(ReadOnly, match="kept only while the program runs"):
                keep_letter_draft(case_file, DRAFT, actor="dana")
        assert _sha(path) == before and _tables(path)[1] == 5
    finally:
        os.chmod(folder, stat.S_IRWXU)
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
