"""Issue 11, point 10: on a case made from an 835 the Letter tab offers the remittance advice made
from it (ticked when the review calls for the remittance), the Review tab no longer lists the
remittance as missing, and the letter and the packet list the same enclosures."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog

from workstation.casefile.case_file import CaseFile
from workstation.core.vocabulary import EvidenceKind
from workstation.documents.remittance_advice import TITLE
from workstation.gui.case_view import CaseView
from workstation.ops.review import review_state


def _needs_its_remittance(path: Path) -> bool:
    with CaseFile.open(path, read_only=True) as case_file:
        case = case_file.load()
    return (bool(case.remittances) and case.status.value in ("new", "in_review")
            and EvidenceKind.REMITTANCE in review_state(case).needed and case.route is not None
            and case.route.value == "resubmit")


def _tick(qtbot, box) -> None:
    """A click on the box itself (a wide check box takes clicks only on its box and words)."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def test_the_remittance_advice_is_offered_enclosed_and_listed_alike(qtbot, demo_workspace, tmp_path,
                                                                    monkeypatch) -> None:
    path = next(p for p in sorted((demo_workspace / "cases").glob("*.appeal")) if _needs_its_remittance(p))
    view = CaseView(actor="dana")
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    view.open_case(path)
    view.tabs.setCurrentWidget(view.letter)
    panel = view.letter
    assert "remittance" not in view.review.summary.text()  # the case holds it
    assert panel.remittance.isVisible() and panel.remittance.isChecked()
    assert TITLE in panel.draft.context["enclosures"]
    _tick(qtbot, panel.remittance)  # leave it out
    assert not panel.remittance.isChecked() and TITLE not in panel.draft.context["enclosures"]
    assert "leaves out the remittance advice" in view.activity_list.item(0).text()
    _tick(qtbot, panel.remittance)  # and in again
    assert panel.remittance.isChecked() and TITLE in panel.draft.context["enclosures"]
    for key, edit in panel.field_edits.items():
        if not edit.text() and key != "additional_argument":
            edit.setText("The modifier was corrected to 59.")
    panel.regenerate()
    assert panel.draft.missing == [] and panel.draft.contradictions == ()
    panel.save()
    target = tmp_path / "packet.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF (*.pdf)"))
    with qtbot.waitSignal(panel.packet_done, timeout=20_000):
        panel.build_packet()
    assert view.banner.kind == "success"  # no warning: the letter lists what the packet holds
    text = "\n".join(page.extract_text() for page in PdfReader(str(target)).pages)
    assert text.count(TITLE) >= 3  # the letter's list, the index and the page itself
