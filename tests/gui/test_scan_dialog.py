"""File > New case from scan: the dialog reads off the GUI thread, shows the proposal beside the
page, writes nothing until confirmed, and then creates exactly the case confirmed (or adds the scan
to the case of the same claim) through the hub."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.benchmarks.scan_samples import blank_png, claim_letters, make_sample
from workstation.casefile.workspace import Workspace
from workstation.core.vocabulary import EvidenceKind
from workstation.gui.operations import Operations
from workstation.gui.scan_dialog import ScanDialog
from workstation.ops.cases import load_case


@pytest.fixture
def scans(tmp_path: Path) -> tuple[Path, Path, dict]:
    eob, decision, truth = claim_letters()
    (tmp_path / "eob.pdf").write_bytes(eob)
    (tmp_path / "decision.pdf").write_bytes(decision)
    return tmp_path / "eob.pdf", tmp_path / "decision.pdf", truth


def _hub(ws: Workspace) -> tuple[Operations, list]:
    hub, changes = Operations(row_of=ws.index.row), []
    hub.did_change.connect(changes.append)
    return hub, changes


def _read(qtbot, ws: Workspace, hub: Operations, paths: list[Path]) -> ScanDialog:
    dialog = ScanDialog(hub, ws, "dana", paths)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=20000)
    return dialog


def test_the_form_shows_the_proposal_and_nothing_is_written_before_confirming(qtbot, ws: Workspace,
                                                                            scans) -> None:
    eob, _decision, truth = scans
    hub, changes = _hub(ws)
    dialog = _read(qtbot, ws, hub, [eob])
    assert dialog.edits["claim_number"].text() == truth["claim_number"]
    assert dialog.edits["patient_name"].text() == truth["patient_name"]
    assert dialog.page_view.pixmap() is not None and not dialog.page_view.pixmap().isNull()
    assert dialog.target.currentData() == "new" and dialog.confirm_button.isEnabled()
    dialog.edits["member_id"].setFocus()
    assert dialog.page_view.chosen == "member_id"
    dialog.reject()
    assert changes == [] and not list(ws.cases_dir.glob("*.appeal"))


def test_confirming_creates_exactly_the_case_confirmed(qtbot, ws: Workspace, scans) -> None:
    eob, _decision, truth = scans
    hub, changes = _hub(ws)
    dialog = _read(qtbot, ws, hub, [eob])
    dialog.edits["member_id"].setText("QQZ100200300")
    dialog.kind.setCurrentIndex(dialog.kind.findData("erisa"))
    dialog.confirm_button.click()
    assert dialog.outcome is not None and dialog.outcome.created
    [path] = ws.cases_dir.glob("*.appeal")
    case = load_case(path)
    assert case.patient.member_id == "QQZ100200300" and case.payer.kind.value == "erisa"
    assert case.claim.payer_claim_number == truth["claim_number"]
    assert [doc.kind for doc in case.evidence] == [EvidenceKind.REMITTANCE]
    assert [c.case_path for c in changes] == [path] and changes[0].worklist  # through the hub


def test_a_refused_confirmation_keeps_the_dialog_and_writes_nothing(qtbot, ws: Workspace, scans) -> None:
    eob, _decision, _truth = scans
    hub, _changes = _hub(ws)
    dialog = _read(qtbot, ws, hub, [eob])
    dialog.edits["denied"].setText("")
    dialog.confirm_button.click()
    assert "no denied amount" in dialog.problem.text() and dialog.isVisible()
    assert not list(ws.cases_dir.glob("*.appeal"))


def test_a_scan_of_a_known_claim_is_offered_to_its_case(qtbot, ws: Workspace, scans) -> None:
    eob, decision, _truth = scans
    hub, _changes = _hub(ws)
    first = _read(qtbot, ws, hub, [eob])
    first.confirm_button.click()
    [path] = ws.cases_dir.glob("*.appeal")
    dialog = _read(qtbot, ws, hub, [decision])
    assert dialog.target.currentData() == str(path)
    assert dialog.confirm_button.text() == "Add the scan to that case"
    assert dialog.record_decision.isVisibleTo(dialog)  # a decision letter states its decision
    dialog.confirm_button.click()
    assert [doc.kind for doc in load_case(path).evidence] == [EvidenceKind.REMITTANCE, EvidenceKind.DECISION_LETTER]
    assert len(list(ws.cases_dir.glob("*.appeal"))) == 1


def test_bad_input_is_one_sentence_in_the_dialog(qtbot, ws: Workspace, tmp_path: Path) -> None:
    blank = tmp_path / "blank.png"
    blank.write_bytes(blank_png())
    hub, _changes = _hub(ws)
    dialog = _read(qtbot, ws, hub, [blank])
    assert "is blank" in dialog.status.text() and not dialog.confirm_button.isEnabled()
    assert dialog.cancel_button.text() == "Close"


def test_cancel_stops_the_reading_and_closes(qtbot, ws: Workspace, scans) -> None:
    from PIL import Image

    eob, _decision, _truth = scans
    frames = [Image.open(io.BytesIO(make_sample(i, dpi=150, degraded=False).image)) for i in range(4)]
    many = eob.parent / "four.tiff"
    frames[0].save(many, "TIFF", save_all=True, append_images=frames[1:])
    hub, changes = _hub(ws)
    dialog = ScanDialog(hub, ws, "dana", [many])
    qtbot.addWidget(dialog)
    dialog.show()
    pages: list[int] = []
    dialog.start()
    dialog.task.progress.connect(lambda done, _total: pages.append(done))
    qtbot.waitUntil(lambda: bool(pages), timeout=20000)
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=20000)
    assert not dialog.isVisible() and dialog.proposal is None and changes == []
