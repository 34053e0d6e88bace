"""Paper intake's writing side: a confirmed scan becomes exactly the case confirmed, a scan of a
known claim is added to its case, and a decision letter records the decision when confirmed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.benchmarks.scan_samples import claim_letters
from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.core.errors import UserError
from workstation.core.vocabulary import EvidenceKind, PayerKind, Status
from workstation.ops.cases import load_case
from workstation.ops.scan import (
    add_scan_to_case,
    confirm,
    create_case_from_scan,
    matching_cases,
    scan_files,
    split_scans,
)
from workstation.ops.tracking import NothingSent, record_submission


@pytest.fixture
def letters(tmp_path: Path) -> tuple[Path, Path, dict]:
    eob, decision, truth = claim_letters()
    (tmp_path / "eob.pdf").write_bytes(eob)
    (tmp_path / "decision.pdf").write_bytes(decision)
    return tmp_path / "eob.pdf", tmp_path / "decision.pdf", truth


def _created(ws: Workspace, scan: Path, corrections: dict[str, str] | None = None) -> Path:
    proposal = scan_files([scan])
    return create_case_from_scan(ws, proposal, corrections or {}, actor="dana", scans=[scan]).path


def test_confirmed_scan_becomes_exactly_the_case_confirmed(ws: Workspace, letters: tuple[Path, Path, dict]) -> None:
    eob, _decision, truth = letters
    path = _created(ws, eob, {"member_id": "QQZ100200300", "patient_name": "D'EXEMPLO, JORDAN",
                              "payer_kind": "erisa"})
    case = load_case(path)
    assert (case.patient.last_name, case.patient.first_name) == ("D'EXEMPLO", "JORDAN")
    assert case.patient.member_id == "QQZ100200300"  # the biller's correction, not the scan's reading
    assert case.claim.payer_claim_number == truth["claim_number"]
    assert case.claim.account_number == truth["account_number"]
    assert case.payer.name == truth["payer_name"] and case.payer.kind is PayerKind.ERISA
    assert case.claim.service_from == date.fromisoformat(truth["service_dates"][0])
    assert case.claim.billed == Decimal(truth["billed"])
    assert case.reasons == truth["reason_codes"]
    assert case.notice_date == date.fromisoformat(truth["notice_date"])
    assert [remark.code for remark in case.remarks] == truth["remark_codes"]
    assert [(doc.kind, doc.file_name) for doc in case.evidence] == [(EvidenceKind.REMITTANCE, "eob.pdf")]
    assert any("appeal deadline: 60 days from its date" in note.text for note in case.notes)
    assert ws.index.row(path) is not None  # on the worklist at once


def test_nothing_is_written_without_what_a_case_needs(ws: Workspace, letters: tuple[Path, Path, dict]) -> None:
    eob, _decision, _truth = letters
    proposal = scan_files([eob])
    with pytest.raises(UserError, match="no denied amount"):
        create_case_from_scan(ws, proposal, {"denied": ""}, actor="dana", scans=[eob])
    with pytest.raises(UserError, match="not a field of a scan"):
        create_case_from_scan(ws, proposal, {"claim_nummer": "1"}, actor="dana", scans=[eob])
    assert not list(ws.cases_dir.glob("*.appeal"))


def test_a_scan_of_a_known_claim_matches_its_case_and_is_added(ws: Workspace,
                                                               letters: tuple[Path, Path, dict]) -> None:
    eob, decision, _truth = letters
    path = _created(ws, eob)
    proposal = scan_files([decision])
    assert matching_cases(ws, confirm(proposal, {})) == [path]
    assert matching_cases(ws, confirm(proposal, {"claim_number": "", "account_number": "OTHER123"})) == []
    assert matching_cases(ws, confirm(proposal, {"account_number": "OTHER123"})) == [path]  # by claim number
    outcome = add_scan_to_case(path, proposal, {}, actor="dana", scans=[decision], workspace=ws)
    assert not outcome.created
    kinds = [doc.kind for doc in load_case(path).evidence]
    assert kinds == [EvidenceKind.REMITTANCE, EvidenceKind.DECISION_LETTER]


def test_a_decision_letter_records_the_decision_once_confirmed(ws: Workspace,
                                                               letters: tuple[Path, Path, dict]) -> None:
    eob, decision, truth = letters
    path = _created(ws, eob)
    proposal = scan_files([decision])
    with pytest.raises(NothingSent):  # no appeal was sent: the decision is refused, nothing stored
        add_scan_to_case(path, proposal, {}, actor="dana", scans=[decision], record_decision_too=True, workspace=ws)
    assert len(load_case(path).evidence) == 1
    with CaseFile.open(path) as case_file:
        record_submission(case_file, sent=date.fromisoformat(truth["notice_date"]), method="mail", actor="dana")
    add_scan_to_case(path, proposal, {}, actor="dana", scans=[decision], record_decision_too=True, workspace=ws)
    case = load_case(path)
    assert case.status is Status.LOST
    assert [(d.outcome, d.date) for d in case.decisions] == [("lost", date.fromisoformat(truth["notice_date"]))]
    letter = next(doc for doc in case.evidence if doc.id == case.decisions[0].letter_doc_id)
    assert letter.kind is EvidenceKind.DECISION_LETTER and letter.file_name == "decision.pdf"


def test_files_dropped_on_the_window_split_into_scans_and_remittances(tmp_path: Path,
                                                                     letters: tuple[Path, Path, dict]) -> None:
    eob, decision, _truth = letters
    remittance = tmp_path / "era.835"
    remittance.write_text("ISA*00*          *00*~")
    assert split_scans([eob, remittance, decision]) == ([eob, decision], [remittance])


def test_a_notice_citing_several_codes_makes_a_case_of_each_with_what_it_took(
        ws: Workspace, letters: tuple[Path, Path, dict]) -> None:
    eob, _decision, _truth = letters
    path = _created(ws, eob, {"billed": "200.00", "denied": "150.00", "reason_codes": "CO-50 120.00, CO-16 30.00"})
    case = load_case(path)
    assert case.reasons == ["CO-50", "CO-16"]
    assert [(a.code, a.amount) for a in case.adjustments] == [("CO-50", Decimal("120.00")), ("CO-16", Decimal("30.00"))]
    assert case.amount_at_stake == Decimal("150.00")
    assert not any("also cites" in note.text for note in case.notes)  # nothing left over for a note


def test_of_several_codes_one_may_go_without_its_amount(ws: Workspace, letters: tuple[Path, Path, dict]) -> None:
    eob, _decision, _truth = letters
    case = load_case(_created(ws, eob, {"denied": "150.00", "reason_codes": "CO-50, CO 16 $30.00"}))
    assert [(a.code, a.amount) for a in case.adjustments] == [("CO-50", Decimal("120.00")), ("CO-16", Decimal("30.00"))]


@pytest.mark.parametrize(("codes", "said"), [
    ("CO-50, CO-16", "CO-50, CO-16 without their amounts"),  # a guessed split would be a wrong value
    ("CO-50 100.00, CO-16 30.00", "add up to 130.00, but the denied amount is 150.00"),
    ("CO-50, CO-16 150.00", "leaving nothing for CO-50"),
])
def test_several_codes_whose_amounts_do_not_hold_are_refused(ws: Workspace, letters: tuple[Path, Path, dict],
                                                             codes: str, said: str) -> None:
    eob, _decision, _truth = letters
    with pytest.raises(UserError, match=said):
        _created(ws, eob, {"denied": "150.00", "reason_codes": codes})
    assert not list(ws.cases_dir.glob("*.appeal"))
