"""The case view's review, evidence and call tabs, driven as a biller would."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QPushButton
from reportlab.pdfgen import canvas

from workstation.casefile.case_file import CaseFile
from workstation.core.model import Adjustment, Remark
from workstation.core.vocabulary import Route
from workstation.gui.case_view import CaseView


def _pdf(path: Path, pages: int, text: str = "Chart note") -> Path:
    drawing = canvas.Canvas(str(path))
    for number in range(pages):
        drawing.setFont("Helvetica", 28)
        drawing.drawString(72, 700, f"{text} page {number + 1}")
        drawing.showPage()
    drawing.save()
    return path


@pytest.fixture
def case_path(tmp_path: Path, make_case) -> Path:
    return CaseFile.create(tmp_path / "2026-03-abcdef01.appeal", make_case())


@pytest.fixture
def view(qtbot, case_path: Path) -> CaseView:
    widget = CaseView(actor="dana")
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    widget.open_case(case_path)
    return widget


def _drop(widget, paths: list[Path]) -> None:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    widget.dropEvent(QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, data, Qt.MouseButton.NoButton,
                                Qt.KeyboardModifier.NoModifier))


def test_ticking_a_step_records_who_and_updates_progress(qtbot, view, case_path) -> None:
    panel = view.review
    total = panel.table.rowCount()
    assert total > 0 and panel.summary.text().startswith(f"0 of {total} steps settled")
    panel.table.selectRow(0)
    panel.note.setText("Notes found in the chart")
    qtbot.mouseClick(panel.findChild(QPushButton, "step_done"), Qt.MouseButton.LeftButton)
    assert panel.summary.text().startswith(f"1 of {total} steps settled")
    assert panel.table.item(0, 2).text() == "Done" and panel.table.item(0, 3).text().startswith("dana, ")
    with CaseFile.open(case_path, read_only=True) as case_file:
        case = case_file.load()
    assert case.steps[0].note == "Notes found in the chart"
    assert case.activity[-1].message.startswith("Step done: ")


def test_dropping_files_attaches_them_off_the_gui_thread_and_previews_the_first_page(qtbot, view, tmp_path) -> None:
    first, second = _pdf(tmp_path / "notes.pdf", 2), _pdf(tmp_path / "auth.pdf", 1, "Authorization")
    with qtbot.waitSignal(view.evidence.attach_finished, timeout=20_000):
        _drop(view, [first, second])
    titles = [d.title for d in view.evidence.documents]
    assert titles == ["notes", "auth"]
    assert view.tabs.currentWidget() is view.evidence
    view.evidence.list.setCurrentRow(0)
    assert not view.evidence.preview.pixmap().isNull()
    assert view.evidence.page_label.text() == "Page 1 of 2"
    image = view.evidence.preview.pixmap().toImage()
    assert image.width() > 100 and image.pixelColor(2, 2).lightness() > 200  # a white page was drawn


def test_reordering_and_unticking_persist(qtbot, view, tmp_path, case_path) -> None:
    with qtbot.waitSignal(view.evidence.attach_finished, timeout=20_000):
        view.evidence.attach([_pdf(tmp_path / "a.pdf", 1, "A"), _pdf(tmp_path / "b.pdf", 1, "B")])
    ids = view.evidence.list.document_ids()
    view.evidence.list.reordered.emit(list(reversed(ids)))  # what a drag within the list emits
    item = view.evidence.list.item(0)
    item.setCheckState(Qt.CheckState.Unchecked)
    with CaseFile.open(case_path, read_only=True) as case_file:
        docs = case_file.load().evidence
    assert [d.title for d in docs] == ["b", "a"]
    assert [d.included for d in docs] == [False, True]


def test_a_refused_drop_says_why(qtbot, view, tmp_path) -> None:
    text = tmp_path / "letter.pdf"
    text.write_text("not really a pdf", encoding="utf-8")
    with qtbot.waitSignal(view.evidence.attach_finished, timeout=20_000):
        _drop(view, [text])
    assert "letter.pdf is not a PDF, PNG, JPEG or TIFF file" in view.banner.text()
    assert view.evidence.documents == []


def test_logging_a_call_with_the_keyboard(qtbot, view, case_path) -> None:
    view.tabs.setCurrentWidget(view.calls)
    qtbot.keyClick(view.calls.log_button, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    view.calls.open_dialog()
    dialog = view.calls.dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.party.selectAll()
    qtbot.keyClicks(dialog.party, "Demo Payer & Co")
    for field, text in ((dialog.person, "Agent Ñ"), (dialog.reference, "REF-123")):
        field.setFocus()
        qtbot.keyClicks(field, text)
    dialog.summary.setFocus()
    qtbot.keyClicks(dialog.summary, "Resubmit with records")
    dialog.follow_up.setFocus()
    qtbot.keyClicks(dialog.follow_up, "2026-04-15")
    qtbot.keyClick(dialog.follow_up, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.calls.table.rowCount() == 1)
    with CaseFile.open(case_path, read_only=True) as case_file:
        call = case_file.load().calls[0]
    assert (call.party, call.person, call.reference, call.follow_up.isoformat()) == (
        "Demo Payer & Co", "Agent Ñ", "REF-123", "2026-04-15")


def test_appealing_a_non_appealable_code_asks_for_a_reason(qtbot, tmp_path, make_case) -> None:
    case = make_case(adjustments=[Adjustment("CO", "253", Decimal("4.00"), None, 1, Route.WRITE_OFF, True)],
                     remarks=[Remark("MA130")], route=Route.WRITE_OFF)
    path = CaseFile.create(tmp_path / "2026-03-abcdef02.appeal", case)
    widget = CaseView(actor="dana")
    qtbot.addWidget(widget)
    widget.open_case(path)
    widget.commit("case.route", "appeal")
    dialog = widget.reason_dialog
    assert dialog is not None and "CO-253" in dialog.labelText() and "MA130" in dialog.labelText()
    dialog.setTextValue("Payer applied sequestration to a non-Medicare claim")
    dialog.accept()
    with CaseFile.open(path, read_only=True) as case_file:
        saved = case_file.load()
    assert saved.route is Route.APPEAL
    assert "Payer applied sequestration" in saved.activity[-1].message


def test_status_choices_follow_the_workflow(view) -> None:
    combo = view.editors["case.status"].combo
    choices = [combo.itemData(i) for i in range(combo.count())]
    assert choices[0] == "in_review" and "won" not in choices and "ready_to_send" in choices


def test_document_details_are_edited_in_place(qtbot, view, tmp_path, case_path) -> None:
    with qtbot.waitSignal(view.evidence.attach_finished, timeout=20_000):
        view.evidence.attach([_pdf(tmp_path / "scan.pdf", 1)])
    panel = view.evidence
    panel.list.setCurrentRow(0)
    panel.title_edit.setText("Authorization & <retro> approval")
    panel.date_edit.setText("03/02/2026")
    panel.kind.setCurrentIndex(panel.kind.findData("authorization"))
    panel.date_edit.editingFinished.emit()
    with CaseFile.open(case_path, read_only=True) as case_file:
        doc = case_file.load().evidence[0]
    assert (doc.title, doc.kind.value, doc.document_date.isoformat()) == (
        "Authorization & <retro> approval", "authorization", "2026-03-02")
    assert "authorization" not in view.review.summary.text().split("missing:")[-1]


def test_removing_a_document_asks_first_and_cancel_keeps_it(qtbot, view, tmp_path, case_path) -> None:
    """Issue 11, point 2: a removal cannot be undone with Ctrl+Z, so it is confirmed first."""
    with qtbot.waitSignal(view.evidence.attach_finished, timeout=20_000):
        view.evidence.attach([_pdf(tmp_path / "Office notes.pdf", 1)])
    panel = view.evidence
    panel.list.setCurrentRow(0)
    panel.remove_selected()
    assert panel.remove_box.isVisible() and "Office notes" in panel.remove_box.text()
    panel.remove_box.reject()
    with CaseFile.open(case_path, read_only=True) as case_file:
        assert [d.title for d in case_file.load().evidence] == ["Office notes"]
    panel.remove_selected()
    panel.remove_box.accept()
    with CaseFile.open(case_path, read_only=True) as case_file:
        assert case_file.load().evidence == []


def test_each_attached_file_gets_the_kind_its_name_says(qtbot, view, tmp_path, case_path) -> None:
    """Issue 11, point 10: not the kind shown in the Kind box for the document selected before."""
    view.evidence.kind.setCurrentIndex(view.evidence.kind.findData("policy"))
    with qtbot.waitSignal(view.evidence.attach_finished, timeout=20_000):
        view.evidence.attach([_pdf(tmp_path / "EOB march.pdf", 1, "E"), _pdf(tmp_path / "Office notes.pdf", 1, "N")])
    with CaseFile.open(case_path, read_only=True) as case_file:
        kinds = {d.title: d.kind.value for d in case_file.load().evidence}
    assert kinds == {"EOB march": "remittance", "Office notes": "medical_records"}
