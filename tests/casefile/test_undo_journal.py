"""Undo of every user action in a case, in the order done (issue 11, point 2), on real case files.

Each action is done, undone, and the case must read exactly as before (activity aside, which only
grows: "Undone: ..." is appended)."""

from __future__ import annotations

import dataclasses
import gc
import io
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfgen import canvas

from workstation.casefile.case_file import CaseFile
from workstation.casefile.case_parts import file_digest
from workstation.core.case_from_remittance import LaterRemittance
from workstation.core.changes import Changes
from workstation.core.deadlines import Outcome, deadline_for, facts_of
from workstation.core.errors import StaleEdit
from workstation.core.model import CallRecord, RemittanceSeen
from workstation.core.payer_kinds import default_ladders
from workstation.core.review import StepState
from workstation.core.vocabulary import EvidenceKind, PayerKind, Route, Status
from workstation.ops.evidence import attach_files
from workstation.ops.review import choose_route, log_call, review_state, set_step
from workstation.ops.tracking import escalate, record_decision, record_submission

ACTOR = "dana"
MEDICARE = default_ladders()[PayerKind.MEDICARE]
TODAY = date(2026, 4, 10)


def write_pdf(path: Path, text: str) -> Path:
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer)
    drawing.drawString(72, 720, text)
    drawing.showPage()
    drawing.save()
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture
def case_path(tmp_path: Path, make_case) -> Path:
    # make_case(): Medicare, appeal route (CO-50), in review, one note, no documents
    return CaseFile.create(tmp_path / "2026-03-abcdef01.appeal", make_case())


def snapshot(case_file: CaseFile) -> tuple[Any, ...]:
    """Everything a case file says, except the activity log (append-only)."""
    case = dataclasses.replace(case_file.load(), activity=[])
    return case, case_file.letters.versions(), case_file.letters.packets()


def undo_all(case_file: CaseFile, steps: int) -> tuple[list[str], list[Changes]]:
    names, changes = [], []
    for _ in range(steps):
        names.append(case_file.undo_description())
        changes.append(case_file.undo(actor=ACTOR))
    return names, changes


# -- setups (done and closed before the case is opened for the action) ---------------------------

def two_documents(case_file: CaseFile, folder: Path) -> None:
    attach_files(case_file, [write_pdf(folder / "plan_of_care.pdf", "plan"),
                             write_pdf(folder / "office_notes.pdf", "notes")], actor=ACTOR, kind=None)


def sent(case_file: CaseFile, folder: Path) -> None:
    record_submission(case_file, sent=date(2026, 4, 1), method="mail", actor=ACTOR, today=TODAY)


def sent_and_lost(case_file: CaseFile, folder: Path) -> None:
    sent(case_file, folder)
    record_decision(case_file, MEDICARE, decided=date(2026, 5, 15), outcome=Outcome.LOST, actor=ACTOR,
                    today=date(2026, 5, 20))


def one_step_done(case_file: CaseFile, folder: Path) -> None:
    step = review_state(case_file.load()).steps[0]
    set_step(case_file, step, StepState.DONE, actor="lee", note="found in the chart")


def nothing(case_file: CaseFile, folder: Path) -> None:
    return None


# -- actions -------------------------------------------------------------------------------------

def _doc(case_file: CaseFile, index: int = 0) -> int:
    return case_file.evidence.list()[index].id


def _escalate(case_file: CaseFile, folder: Path) -> Changes:
    next_level = deadline_for(facts_of(case_file.load()), MEDICARE, today=date(2026, 5, 20))  # level 2 after the loss
    assert next_level is not None and next_level.level == 2
    return escalate(case_file, next_level, actor=ACTOR)


def _letter(case_file: CaseFile, folder: Path) -> Changes:
    return case_file.letters.save(template_id="medicare_redetermination", template_version=1,
                                  template_title="Request for redetermination", fields={"clinical_summary": "x"},
                                  text="# Request\n\nPlease pay.", context={"claim": "ICN 2026-0001"},
                                  pdf=write_pdf(folder / "letter.pdf", "letter").read_bytes(), actor=ACTOR)


Action = Callable[[CaseFile, Path], object]
ACTIONS: dict[str, tuple[Callable[[CaseFile, Path], None], Action, list[str], dict[str, Any]]] = {
    "field edit": (nothing, lambda cf, _f: cf.set_field("patient.date_of_birth", "05/18/1950", actor=ACTOR),
                   ["Undo: Date of birth changed"], {"fields": {"patient.date_of_birth"}, "worklist": True}),
    "status": (nothing, lambda cf, _f: cf.set_field("case.status", Status.SUBMITTED, actor=ACTOR),
               ["Undo: Status: In review -> Submitted"], {"fields": {"case.status"}, "worklist": True}),
    "route choice": (nothing, lambda cf, _f: choose_route(cf, Route.WRITE_OFF, actor=ACTOR, reason="small balance"),
                     ["Undo: Route chosen: Write off (reason: small balance)"],
                     {"fields": {"case.route"}, "worklist": True}),
    "note": (nothing, lambda cf, _f: cf.add_note("Asked the office for the plan of care", actor=ACTOR),
             ["Undo: Note added"], {"notes": True, "worklist": False}),
    "call": (nothing, lambda cf, _f: log_call(cf, CallRecord(datetime(2026, 4, 2, 10, 0), "Novitas", person="Kim",
                                                             reference="R-77", summary="Resend with notes"),
                                              actor=ACTOR),
             ["Undo: Call logged with Novitas / Kim, reference R-77"], {"worklist": False}),
    "checklist step": (one_step_done, lambda cf, _f: set_step(cf, review_state(cf.load()).steps[0],
                                                              StepState.NOT_APPLICABLE, actor=ACTOR),
                       None, {"worklist": True}),
    "attach": (nothing, lambda cf, f: attach_files(cf, [write_pdf(f / "EOB march.pdf", "eob")], actor=ACTOR,
                                                   kind=None),
               ["Undo: Document added: EOB march (remittance)"], {"worklist": True}),
    "leave out": (two_documents, lambda cf, _f: cf.evidence.set_included(_doc(cf), False, actor=ACTOR),
                  ["Undo: Document left out of the packet: Plan of care"], {"worklist": True}),
    "reorder": (two_documents, lambda cf, _f: cf.evidence.reorder([_doc(cf, 1), _doc(cf, 0)], actor=ACTOR),
                ["Undo: Documents reordered"], {"worklist": True}),
    "describe": (two_documents, lambda cf, _f: cf.evidence.describe(_doc(cf), title="Plan of care, March",
                                                                    kind=EvidenceKind.MEDICAL_RECORDS,
                                                                    document_date=date(2026, 3, 1), actor=ACTOR),
                 ["Undo: Document details changed: Plan of care, March"], {"worklist": True}),
    "submission": (nothing, lambda cf, f: record_submission(cf, sent=date(2026, 4, 1), method="fax", actor=ACTOR,
                                                            tracking="FAX-1", today=TODAY),
                   ["Undo: Sent at level 1 by fax on 2026-04-01, FAX-1"],
                   {"fields": {"case.status"}, "worklist": True}),
    "decision": (sent, lambda cf, _f: record_decision(cf, MEDICARE, decided=date(2026, 5, 15), outcome=Outcome.LOST,
                                                      actor=ACTOR, today=date(2026, 5, 20)).changes,
                 ["Undo: Decision at level 1 on 2026-05-15: lost, $0.00 recovered"],
                 {"fields": {"case.status"}, "worklist": True}),
    # escalate is one action: the status and the note together (ops/tracking.py)
    "escalate": (sent_and_lost, _escalate, ["Undo: Escalated to level 2 (reconsideration)"],
                 {"fields": {"case.status"}, "worklist": True, "notes": True}),
    "letter save": (nothing, _letter, ["Undo: Letter saved: Request for redetermination"], {"worklist": False}),
}


@pytest.mark.parametrize("name", list(ACTIONS))
def test_each_action_undone_reads_exactly_as_before(name: str, case_path: Path, tmp_path: Path) -> None:
    setup, act, descriptions, flags = ACTIONS[name]
    with CaseFile.open(case_path) as case_file:
        setup(case_file, tmp_path)
    with CaseFile.open(case_path) as case_file:
        before, entries, revision = snapshot(case_file), len(case_file.load().activity), case_file.revision()
        assert not case_file.can_undo and case_file.undo_description() == ""
        act(case_file, tmp_path)
        logged = len(case_file.load().activity)  # an action of several parts logs each of them
        assert snapshot(case_file) != before
        steps = len(descriptions) if descriptions else 1
        names, changes = undo_all(case_file, steps)
        assert snapshot(case_file) == before
        assert not case_file.can_undo
        activity = case_file.load().activity
        assert case_file.revision() > revision  # the counter only grows
    if descriptions:
        assert names == descriptions
    else:
        assert names[0].startswith("Undo: Step not applicable: ")
    assert len(activity) == logged + steps > entries
    assert [a.message for a in activity[-steps:]] == [f"Undone: {n.removeprefix('Undo: ')}" for n in names]
    assert {a.kind for a in activity[-steps:]} == {"undo"}
    last = changes[-1]
    assert last.activity and last.case_path == case_path
    assert last.fields == frozenset(flags.get("fields", ()))
    assert last.worklist is flags["worklist"]
    assert last.notes is flags.get("notes", False)


def test_several_actions_are_undone_last_first(case_path: Path, tmp_path: Path) -> None:
    with CaseFile.open(case_path) as case_file:
        states = [snapshot(case_file)]
        case_file.set_field("patient.date_of_birth", "05/18/1950", actor=ACTOR)
        states.append(snapshot(case_file))
        attach_files(case_file, [write_pdf(tmp_path / "plan_of_care.pdf", "p")], actor=ACTOR, kind=None)
        states.append(snapshot(case_file))
        log_call(case_file, CallRecord(datetime(2026, 4, 2, 9, 0), "Novitas"), actor=ACTOR)
        states.append(snapshot(case_file))
        case_file.set_field("case.assignee", "lee", actor=ACTOR)
        names = []
        while case_file.can_undo:
            names.append(case_file.undo_description())
            case_file.undo(actor=ACTOR)
            assert snapshot(case_file) == states.pop()
        assert case_file.undo(actor=ACTOR).nothing  # nothing left: nothing happens
    assert names == ["Undo: Assignee: dana -> lee", "Undo: Call logged with Novitas",
                     "Undo: Document added: Plan of care (medical records)", "Undo: Date of birth changed"]
    assert states == []


def test_undo_is_refused_after_another_program_changed_the_case(case_path: Path) -> None:
    """Another window (another program) or an import run elsewhere moved the file on: refused, untouched."""
    with CaseFile.open(case_path) as case_file:
        case_file.set_field("patient.member_id", "MBI-MINE", actor=ACTOR)
        other = ("import sys; from pathlib import Path; from workstation.casefile.case_file import CaseFile\n"
                 "with CaseFile.open(Path(sys.argv[1])) as c: c.add_note('From the other window', actor='lee')")
        subprocess.run([sys.executable, "-c", other, str(case_path)], check=True, cwd=Path(__file__).parents[2],
                       env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])})
        before = case_file.load()
        refusal = (r"^This case was changed in another window or by an import since your last change, so Undo "
                   r"cannot take it back safely; it has been reloaded\.$")
        with pytest.raises(StaleEdit, match=refusal):
            case_file.undo(actor=ACTOR)
        assert case_file.load() == before  # nothing written, not even an activity entry
        assert not case_file.can_undo and case_file.undo_description() == ""
    assert before.patient.member_id == "MBI-MINE" and before.notes[-1].text == "From the other window"


def test_undo_is_refused_when_another_open_case_file_changed_it_last(case_path: Path) -> None:
    """Two windows in one program: each undoes its own; the other's change comes first."""
    with CaseFile.open(case_path) as mine, CaseFile.open(case_path) as theirs:
        mine.set_field("case.assignee", "lee", actor=ACTOR)
        theirs.set_field("case.assignee", "sam", actor="sam")
        with pytest.raises(StaleEdit, match="made in another window"):
            mine.undo(actor=ACTOR)
        assert mine.load().assignee == "sam"
        theirs.undo(actor="sam")
        assert mine.undo_description() == "Undo: Assignee: dana -> lee"
        mine.undo(actor=ACTOR)
        assert mine.load().assignee == "dana"


def test_work_done_through_a_short_lived_case_file_joins_the_open_ones_undo(case_path: Path, tmp_path: Path) -> None:
    """The window attaches and saves letters on worker threads, each with its own connection."""
    with CaseFile.open(case_path) as window:
        window.set_field("patient.date_of_birth", "05/18/1950", actor=ACTOR)
        with CaseFile.open(case_path) as worker:
            attach_files(worker, [write_pdf(tmp_path / "office_notes.pdf", "n")], actor=ACTOR, kind=None)
        assert window.undo_description() == "Undo: Document added: Office notes (medical records)"
        changes = window.undo(actor=ACTOR)
        assert changes.worklist and window.load().evidence == []
        assert window.undo_description() == "Undo: Date of birth changed"


def test_removing_a_document_is_a_barrier(case_path: Path, tmp_path: Path) -> None:
    with CaseFile.open(case_path) as case_file:
        case_file.set_field("patient.date_of_birth", "05/18/1950", actor=ACTOR)
        attach_files(case_file, [write_pdf(tmp_path / "wrong_patient.pdf", "WRONG PATIENT")], actor=ACTOR, kind=None)
        assert case_file.can_undo
        case_file.evidence.remove(_doc(case_file), actor=ACTOR)
        assert not case_file.can_undo and case_file.undo_description() == ""
        assert case_file.undo(actor=ACTOR).nothing
        case = case_file.load()
    assert case.evidence == [] and case.patient.date_of_birth == date(1950, 5, 18)
    assert case.activity[-1].message == "Document removed: Wrong patient"


def test_a_later_remittance_or_demographics_import_is_not_an_undo_step(case_path: Path) -> None:
    seen = RemittanceSeen("cd" * 32, "era-0410.835", date(2026, 4, 10), "ICN 2026-0002", "1", Decimal("50.00"))
    with CaseFile.open(case_path) as case_file:
        case_file.set_field("case.assignee", "lee", actor=ACTOR)
        case_file.record_remittance(LaterRemittance(seen, None, Decimal("60.00"), "Later remittance: paid $50.00"),
                                    actor="import")
        assert not case_file.can_undo  # nothing before an import can be undone either
        case_file.set_field("patient.member_id", "", actor=ACTOR)
        case_file.fill_fields({"patient.member_id": "MBI-CSV"}, actor="import", source="demographics.csv")
        assert not case_file.can_undo
        assert case_file.load().patient.member_id == "MBI-CSV"


def test_writes_outside_a_change_are_not_recorded(case_path: Path) -> None:
    """What an autosave writes without a change (a letter draft) never becomes an undo step."""
    with CaseFile.open(case_path) as case_file:
        case_file.add_note("first", actor=ACTOR)
        size = case_file._journal.size_bytes()
        case_file.conn.execute("UPDATE case_info SET route_reason = 'written outside a change'")
        case_file.conn.execute("INSERT INTO calls (at, party) VALUES ('2026-04-02T09:00:00', 'Autosaved')")
        assert case_file._journal.size_bytes() == size
        assert case_file.conn.execute("SELECT count(*) FROM temp.undo_log").fetchone()[0] == 0
        assert case_file.undo_description() == "Undo: Note added"
        case_file.undo(actor=ACTOR)
        case = case_file.load()
    assert case.route_reason == "written outside a change" and [c.party for c in case.calls] == ["Autosaved"]


def test_a_change_inside_a_change_is_one_step(case_path: Path) -> None:
    with CaseFile.open(case_path) as case_file:
        before = snapshot(case_file)
        with case_file.change(ACTOR, "escalate", "Escalated to level 2"):
            case_file.set_field("case.status", Status.SUBMITTED, actor=ACTOR)
            case_file.set_field("case.status", Status.SUBMITTED, actor=ACTOR)  # unchanged: its savepoint rolls back
            case_file.add_note("Escalated", actor=ACTOR)
        assert case_file.undo_description() == "Undo: Escalated to level 2"
        messages = [a.message for a in case_file.load().activity[-3:]]
        case_file.undo(actor=ACTOR)
        assert snapshot(case_file) == before and not case_file.can_undo
    assert messages == ["Status: In review -> Submitted", "Note added", "Escalated to level 2"]


def test_a_document_is_never_copied_into_the_journal(case_path: Path, tmp_path: Path) -> None:
    source = tmp_path / "scan.pdf"
    source.write_bytes(b"%PDF-1.4\n" + os.urandom(4 << 20))
    sha256, size = file_digest(source)
    with CaseFile.open(case_path) as case_file:
        case_file.evidence.add(source, title="Scan", kind=EvidenceKind.MEDICAL_RECORDS, media_type="application/pdf",
                               sha256=sha256, size=size, actor=ACTOR)
        doc = _doc(case_file)
        case_file.evidence.describe(doc, title="Scan of the chart", kind=EvidenceKind.MEDICAL_RECORDS,
                                    document_date=None, actor=ACTOR)
        case_file.evidence.set_included(doc, False, actor=ACTOR)
        journal = case_file._journal
        assert len(journal) == 3 and journal.size_bytes() < 1000
        assert journal.top().inverse == ('UPDATE main."evidence" SET "included" = 1 WHERE rowid = 1',)
        temp_pages = case_file.conn.execute("PRAGMA temp.page_count").fetchone()[0]
        assert temp_pages * 4096 < 100_000
        for _ in range(3):
            case_file.undo(actor=ACTOR)
        assert case_file.load().evidence == []
    # the document taken back is overwritten in the file, like a removed one
    assert source.read_bytes()[4096:4160] not in case_path.read_bytes()


def test_a_read_only_case_has_nothing_to_undo(case_path: Path) -> None:
    with CaseFile.open(case_path, read_only=True) as case_file:
        assert not case_file.can_undo and case_file.undo(actor=ACTOR).nothing


def test_the_activity_log_and_revision_are_never_in_the_journal(case_path: Path) -> None:
    with CaseFile.open(case_path) as case_file:
        case_file.set_field("case.assignee", "lee", actor=ACTOR)
        statements = case_file._journal.top().inverse
    assert statements == ('UPDATE main."case_info" SET "assignee" = \'dana\' WHERE rowid = 1',)
    with sqlite3.connect(case_path) as conn:
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name LIKE 'undo%'").fetchone()[0] == 0


def test_a_case_file_dropped_without_closing_leaves_its_steps_to_the_open_one(case_path: Path) -> None:
    with CaseFile.open(case_path) as window:
        forgotten = CaseFile.open(case_path)
        forgotten.add_note("from a task that never closed its case file", actor=ACTOR)
        del forgotten
        gc.collect()
        assert window.undo_description() == "Undo: Note added"
        window.undo(actor=ACTOR)
        assert [n.text for n in window.load().notes] == ["Called payer; ref 123"]


def test_a_sending_with_its_packet_attached_is_one_action(case_path: Path, tmp_path: Path) -> None:
    packet = write_pdf(tmp_path / "packet.pdf", "the packet as sent")
    with CaseFile.open(case_path) as case_file:
        before = snapshot(case_file)
        record_submission(case_file, sent=date(2026, 4, 1), method="mail", actor=ACTOR, packet=packet,
                          today=date(2026, 4, 2))
        assert len(case_file.load().evidence) == 1
        assert case_file.undo_description() == "Undo: Sent at level 1 with the packet kept in the case"
        case_file.undo(actor=ACTOR)
        assert snapshot(case_file) == before  # the sending and its packet went back together
        assert not case_file.can_undo
