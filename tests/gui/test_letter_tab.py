"""The letter editor: choose a template, fill a field, edit the text, the preview follows, save."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from workstation.casefile.case_file import CaseFile
from workstation.gui.case_view import CaseView


def _open_appeal(path: Path) -> bool:
    """A demo case routed to an appeal and still open (the route decides which letters fit)."""
    with CaseFile.open(path, read_only=True) as case_file:
        case = case_file.load()
    return case.route is not None and case.route.value == "appeal" and case.status.value in ("new", "in_review")


@pytest.fixture
def view(qtbot, demo_workspace: Path) -> CaseView:
    path = next(p for p in sorted((demo_workspace / "cases").glob("*.appeal")) if _open_appeal(p))
    widget = CaseView(actor="dana")
    qtbot.addWidget(widget)
    widget.resize(900, 800)
    widget.show()
    widget.open_case(path)
    widget.tabs.setCurrentWidget(widget.letter)
    return widget


def test_the_suggested_template_is_first_and_another_can_be_chosen(view) -> None:
    panel = view.letter
    assert panel.template.count() >= 2 and panel.template.itemText(0).endswith("(suggested)")
    general = panel.template.findData("general_appeal")
    panel.template.setCurrentIndex(general)
    panel.template.activated.emit(general)
    assert panel.draft.template.id == "general_appeal"
    assert panel.text.toPlainText().startswith("# Request for")


def test_edited_text_reaches_the_preview_and_the_saved_version(qtbot, view) -> None:
    panel = view.letter
    saved_before = panel.versions.count()  # demo cases at ready to send and later carry their letter
    panel.template.setCurrentIndex(panel.template.findData("general_appeal"))
    panel.regenerate()
    if "good_cause_reason" in panel.field_edits:  # the demo case may already be late
        panel.field_edits["good_cause_reason"].setText("The notice reached us late.")
        panel.regenerate()
    assert panel.draft.missing == []
    panel.text.appendPlainText("\nA sentence typed by the biller: Ñandú & <Sons>.")
    with qtbot.waitSignal(panel.preview_ready, timeout=10_000):
        pass  # the timer fires half a second after the last keystroke and renders off the GUI thread
    assert not panel.preview.pixmap().isNull()
    panel.save()
    with CaseFile.open(view.case_file.path, read_only=True) as case_file:
        versions = case_file.letters.versions()
        pdf = case_file.letters.pdf(versions[-1].id)
    assert versions[-1].template_id == "general_appeal"
    assert "typed by the biller" in versions[-1].text
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Ñandú & <Sons>" in text
    assert panel.versions.count() == saved_before + 1


def test_a_field_typed_in_the_form_fills_the_letter(qtbot, view) -> None:
    panel = view.letter
    panel.template.setCurrentIndex(panel.template.findData("general_appeal"))
    panel.regenerate()
    edit = panel.field_edits["additional_argument"]
    edit.setText("The chart shows two separate visits.")
    edit.editingFinished.emit()
    assert "The chart shows two separate visits." in panel.text.toPlainText()


def test_the_packet_is_built_off_the_gui_thread_and_its_manifest_kept(qtbot, view, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    panel = view.letter
    panel.template.setCurrentIndex(panel.template.findData("general_appeal"))
    panel.regenerate()
    if "good_cause_reason" in panel.field_edits:
        panel.field_edits["good_cause_reason"].setText("The notice reached us late.")
        panel.regenerate()
    panel.save()
    target = tmp_path / "packet.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF (*.pdf)"))
    with qtbot.waitSignal(panel.packet_done, timeout=20_000):
        panel.build_packet()
    assert "Packet written" in view.banner.text()
    with CaseFile.open(view.case_file.path, read_only=True) as case_file:
        packets = case_file.letters.packets()
    assert len(packets) == 1 and packets[0].page_count == len(PdfReader(str(target)).pages)
