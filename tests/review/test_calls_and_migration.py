"""The call log, the case as JSON with its review parts, and version-1 case files (before the
checklist, evidence and calls) opened writable (migrated) and read-only (left untouched)."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import signal
import sqlite3
import stat
from datetime import date, datetime
from pathlib import Path

import pytest
from review_docs import file_sha, png_bytes, write_pdf
from sqlite_utils import Database

from workstation.casefile.case_file import CaseFile
from workstation.casefile.schema import CASE_SCHEMA_VERSION, case_migrations
from workstation.core.errors import DiskFull, InvalidValue, ReadOnly
from workstation.core.model import CallRecord, Case
from workstation.core.review import StepState
from workstation.core.vocabulary import EvidenceKind
from workstation.ops.cases import case_json
from workstation.ops.evidence import attach_files
from workstation.ops.review import log_call, review_state, set_step

NAME = "2026-03-abcdef01.appeal"
V2_TABLES = {"checklist", "evidence", "calls"}


@pytest.fixture
def case_path(tmp_path: Path, make_case) -> Path:
    return CaseFile.create(tmp_path / NAME, make_case())


def a_call(**overrides: object) -> CallRecord:
    call = CallRecord(at=datetime(2026, 3, 6, 14, 5), party="Demo Medicare & Co", department="Provider <Appeals>",
                      person="Zoë O'Neil", phone="555-0100 ext 4", reference="REF-77/a",
                      summary="Said: resend with the\nLCD cited; 30 days.", follow_up=date(2026, 4, 6), by="")
    for key, value in overrides.items():
        setattr(call, key, value)
    return call


# -- the call log ------------------------------------------------------------------------------


def test_log_call_stores_every_field_and_logs_the_activity(case_path: Path) -> None:
    with CaseFile.open(case_path) as case_file:
        log_call(case_file, a_call(), actor="dana")
    with CaseFile.open(case_path, read_only=True) as case_file:
        case = case_file.load()
    [call] = case.calls
    assert call == CallRecord(datetime(2026, 3, 6, 14, 5), "Demo Medicare & Co", "Provider <Appeals>", "Zoë O'Neil",
                              "555-0100 ext 4", "REF-77/a", "Said: resend with the\nLCD cited; 30 days.",
                              date(2026, 4, 6), "dana", call.id)
    assert isinstance(call.id, int)
    last = case.activity[-1]
    assert (last.kind, last.actor) == ("call", "dana")
    assert last.message == "Call logged with Demo Medicare & Co / Provider <Appeals> / Zoë O'Neil, reference REF-77/a"


def test_a_call_keeps_who_made_it_when_given(case_path: Path) -> None:
    with CaseFile.open(case_path) as case_file:
        log_call(case_file, a_call(by="lee", department="", person="", reference="", follow_up=None), actor="dana")
        case = case_file.load()
    assert (case.calls[0].by, case.calls[0].follow_up) == ("lee", None)
    assert case.activity[-1].message == "Call logged with Demo Medicare & Co"


def test_calls_are_listed_in_time_order(case_path: Path) -> None:
    with CaseFile.open(case_path) as case_file:
        log_call(case_file, a_call(at=datetime(2026, 3, 9, 9, 0), reference="second"), actor="dana")
        log_call(case_file, a_call(at=datetime(2026, 3, 2, 9, 0), reference="first"), actor="dana")
        assert [c.reference for c in case_file.load().calls] == ["first", "second"]


@pytest.mark.parametrize("party", ["", "   "])
def test_a_call_without_a_party_is_refused_and_nothing_is_written(case_path: Path, party: str) -> None:
    before = file_sha(case_path)
    with CaseFile.open(case_path) as case_file, pytest.raises(InvalidValue) as refused:
        log_call(case_file, a_call(party=party), actor="dana")
    assert "who was called" in str(refused.value)
    assert file_sha(case_path) == before


# -- show --json -----------------------------------------------------------------------------------


def test_case_json_has_checklist_evidence_calls_activity_and_missing_evidence(case_path: Path, tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "Chart notes.pdf", "chart notes")
    png = tmp_path / "Insurance card.png"
    png.write_bytes(png_bytes(seed=9))
    with CaseFile.open(case_path) as case_file:
        steps = review_state(case_file.load()).steps
        set_step(case_file, steps[0], StepState.DONE, actor="dana", note="notes of 2026-02-01")
        set_step(case_file, steps[1], StepState.NOT_APPLICABLE, actor="lee")
        attach_files(case_file, [pdf], actor="dana", kind=EvidenceKind.MEDICAL_RECORDS, limit=1 << 20)
        attach_files(case_file, [png], actor="dana", kind=EvidenceKind.CORRESPONDENCE, limit=1 << 20)
        case_file.evidence.set_included(case_file.evidence.list()[1].id, False, actor="dana")
        log_call(case_file, a_call(), actor="dana")
        case = case_file.load()
    data = json.loads(json.dumps(case_json(case_path, case)))  # must be plain JSON

    assert "steps" not in data
    assert len(data["checklist"]) == len(steps)
    first, second = data["checklist"][:2]
    assert set(first) == {"key", "text", "codes", "state", "by", "at", "note"}
    assert (first["key"], first["text"], first["state"], first["by"], first["note"]) == (
        steps[0].key, steps[0].text, "done", "dana", "notes of 2026-02-01")
    assert first["codes"] == list(steps[0].codes) and datetime.fromisoformat(first["at"])
    assert (second["state"], second["by"], second["note"]) == ("na", "lee", "")
    assert all(s["state"] == "open" and s["at"] is None for s in data["checklist"][2:])

    docs = data["evidence"]
    assert [d["title"] for d in docs] == ["Chart notes", "Insurance card"]
    for doc, path in zip(docs, (pdf, png), strict=True):
        assert doc["size"] == path.stat().st_size
        assert doc["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert "data" not in doc and not any(isinstance(v, bytes | bytearray) for v in doc.values())
    assert [(d["kind"], d["included"], d["position"]) for d in docs] == [
        ("medical_records", True, 1), ("correspondence", False, 2)]

    [call] = data["calls"]
    assert (call["party"], call["reference"], call["follow_up"], call["by"], call["at"]) == (
        "Demo Medicare & Co", "REF-77/a", "2026-04-06", "dana", "2026-03-06T14:05:00")
    messages = [a["message"] for a in data["activity"]]
    assert messages[0] == "Imported" and messages[-1].startswith("Call logged with Demo Medicare & Co")
    assert any(m == "Document added: Chart notes (medical records)" for m in messages)
    assert "medical_records" not in data["evidence_missing"]
    assert data["evidence_missing"] == [k for k in data["evidence_needed"] if k != "medical_records"]
    assert data["evidence_needed"][0] == "medical_records"


def test_case_json_of_a_case_without_review_parts_has_empty_lists(case_path: Path) -> None:
    with CaseFile.open(case_path, read_only=True) as case_file:
        data = case_json(case_path, case_file.load())
    assert data["evidence"] == [] and data["calls"] == []
    assert data["checklist"] and all(s["state"] == "open" for s in data["checklist"])
    assert data["evidence_missing"] == data["evidence_needed"] != []


# -- a version-1 case file -------------------------------------------------------------------------


def v1_table_names() -> set[str]:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        case_migrations().apply(Database(conn), stop_before="v2_review_evidence_calls")
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()


def make_version_1(path: Path, case: Case) -> Path:
    """A full case at today's schema, taken back to version 1: later tables and columns dropped,
    their migrations forgotten, user_version 1."""
    CaseFile.create(path, case)
    keep = v1_table_names()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        later = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                 if r[0] not in keep and not r[0].startswith("sqlite_")]
        assert set(later) >= V2_TABLES
        conn.execute("BEGIN")
        for table in later:
            conn.execute(f"DROP TABLE {table}")
        for column in ("opened_amount", "warnings", "created_by"):  # added by versions 5 and 7
            conn.execute(f"ALTER TABLE case_info DROP COLUMN {column}")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name != 'v1_initial'")
        conn.execute("COMMIT")
        conn.execute("PRAGMA user_version=1")
        conn.execute("VACUUM")
    finally:
        conn.close()
    return path


def tables_and_version(path: Path) -> tuple[set[str], int, list[str]]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        migrations = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
        return tables, conn.execute("PRAGMA user_version").fetchone()[0], migrations
    finally:
        conn.close()


def comparable(case: Case) -> Case:
    """The case without its activity (opening writable may log nothing; we compare the rest)."""
    return Case(**{**vars(case), "activity": []})


def test_the_version_1_file_is_really_version_1(tmp_path: Path, make_case) -> None:
    path = make_version_1(tmp_path / NAME, make_case())
    tables, version, migrations = tables_and_version(path)
    assert version == 1 and migrations == ["v1_initial"] and not (V2_TABLES & tables)


def test_a_version_1_file_opened_writable_is_migrated_with_its_data_intact(tmp_path: Path, make_case) -> None:
    path = make_version_1(tmp_path / NAME, make_case())
    with CaseFile.open(path) as case_file:
        assert not case_file.read_only
        case = case_file.load()
    tables, version, migrations = tables_and_version(path)
    assert version == CASE_SCHEMA_VERSION >= 2 and tables >= V2_TABLES
    assert migrations[:2] == ["v1_initial", "v2_review_evidence_calls"]
    expected = make_case()
    assert comparable(case) == comparable(expected)
    assert case.activity == expected.activity
    assert (case.evidence, case.calls, case.steps) == ([], [], [])
    with CaseFile.open(path) as case_file:  # and the new parts work at once
        log_call(case_file, a_call(), actor="dana")
        write_pdf(tmp_path / "a.pdf", "a")
        assert attach_files(case_file, [tmp_path / "a.pdf"], actor="dana", limit=1 << 20).added == ["a.pdf"]
        assert case_file.integrity_problems() == []


def test_a_version_1_file_in_a_read_only_folder_reads_without_changing(tmp_path: Path, make_case) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    path = make_version_1(folder / NAME, make_case())
    before = file_sha(path)
    before_listing = sorted(p.name for p in folder.iterdir())
    os.chmod(path, 0o444)
    os.chmod(folder, 0o555)
    try:
        with CaseFile.open(path) as case_file:
            assert case_file.read_only
            case = case_file.load()
            assert case_file.evidence.list() == []
            with pytest.raises(ReadOnly):
                log_call(case_file, a_call(), actor="dana")
        assert comparable(case) == comparable(make_case())
        assert (case.evidence, case.calls, case.steps) == ([], [], [])
        data = case_json(path, case)
        assert data["evidence"] == [] and data["calls"] == [] and data["checklist"]
        assert file_sha(path) == before
        assert sorted(p.name for p in folder.iterdir()) == before_listing
        assert tables_and_version(path)[1] == 1
    finally:
        os.chmod(folder, stat.S_IRWXU)
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="needs POSIX file-size limits")
def test_a_version_1_file_on_a_full_disk_is_refused_and_left_at_version_1(tmp_path: Path, make_case) -> None:
    path = make_version_1(tmp_path / NAME, make_case())
    before = file_sha(path)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (path.stat().st_size, hard))  # the file may not grow
    try:
        with pytest.raises(DiskFull) as refused:
            CaseFile.open(path).close()
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)
    assert path.name in str(refused.value)
    assert file_sha(path) == before and tables_and_version(path)[1] == 1
    assert not Path(f"{path}-journal").exists()
    with CaseFile.open(path) as case_file:  # with room again it migrates
        assert comparable(case_file.load()) == comparable(make_case())
    assert tables_and_version(path)[1] == CASE_SCHEMA_VERSION
