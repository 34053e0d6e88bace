"""The letter editor: choose a template, fill a field, edit the text, the preview follows, save."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from workstation.casefile.case_file import CaseFile
from workstation.gui.case_view import CaseView


def _account_number(path: Path) -> str:
    with CaseFile.open(path, read_only=True) as case_file:
        return case_file.load().claim.account_number


def _open_appeal(path: Path) -> bool:
    """A demo case routed to an appeal and still open (the route decides which letters fit)."""
    with CaseFile.open(path, read_only=True) as case_file:
        case = case_file.load()
    return case.route is not None and case.route.value == "appeal" and case.status.value in ("new", "in_review")


@pytest.fixture
def view(qtbot, demo_workspace: Path) -> CaseView:
    path = next(p for p in sorted((demo_workspace / "cases").glob("*.appeal"), key=_account_number)
                if _open_appeal(p))  # by account number: the demo's file names vary per build
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
    assert panel.text.markup().startswith("# Request for")


def test_edited_text_reaches_the_preview_and_the_saved_version(qtbot, view) -> None:
    panel = view.letter
    saved_before = panel.versions.count()  # demo cases at ready to send and later carry their letter
    panel.template.setCurrentIndex(panel.template.findData("general_appeal"))
    panel.regenerate()
    if "good_cause_reason" in panel.field_edits:  # the demo case may already be late
        panel.field_edits["good_cause_reason"].setText("The notice reached us late.")
        panel.regenerate()
    assert panel.draft.missing == []
    panel.text.append_paragraph("A sentence typed by the biller: Ñandú & <Sons>.")
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


def _save_general_appeal(panel) -> None:
    panel.template.setCurrentIndex(panel.template.findData("general_appeal"))
    panel.regenerate()
    if "good_cause_reason" in panel.field_edits:
        panel.field_edits["good_cause_reason"].setText("The notice reached us late.")
        panel.regenerate()
    panel.save()


def test_the_packet_is_built_off_the_gui_thread_and_its_manifest_kept(qtbot, view, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    panel = view.letter
    _save_general_appeal(panel)
    target = tmp_path / "packet.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF (*.pdf)"))
    with qtbot.waitSignal(panel.packet_done, timeout=20_000):
        panel.build_packet()
    assert "Packet written" in view.banner.text()
    with CaseFile.open(view.case_file.path, read_only=True) as case_file:
        packets = case_file.letters.packets()
    assert len(packets) == 1 and packets[0].page_count == len(PdfReader(str(target)).pages)


def _opened(monkeypatch) -> list[str]:
    """What the strip's buttons would open; nothing is really opened in a test."""
    from PySide6.QtGui import QDesktopServices

    urls: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url.toLocalFile()) or True)
    return urls


def test_a_written_packet_is_a_success_naming_its_path_with_open_and_show_folder(
        qtbot, view, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    panel = view.letter
    _save_general_appeal(panel)
    target = tmp_path / "out" / "packet.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF (*.pdf)"))
    with qtbot.waitSignal(panel.packet_done, timeout=20_000):
        panel.build_packet()
    strip = view.banner
    assert strip.isVisible() and strip.kind == "success" and strip.property("kind") == "success"
    assert strip.word.text() == "Done:"  # said in words, not by colour alone
    assert "Packet written" in strip.text() and str(target.resolve()) in strip.text()
    assert strip.open_button.isVisible() and strip.folder_button.isVisible()
    opened = _opened(monkeypatch)
    qtbot.mouseClick(strip.open_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(strip.folder_button, Qt.MouseButton.LeftButton)
    assert opened == [str(target.resolve()), str(target.parent.resolve())]


def test_portal_files_over_the_limits_are_a_warning_that_still_shows_the_folder(
        qtbot, view, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    from workstation.ops import letters

    panel = view.letter
    _save_general_appeal(panel)
    folder = tmp_path / "portal"
    monkeypatch.setattr(letters, "portal_limits", lambda _path: {**letters.PORTAL_DEFAULTS, "portal_max_files": 0})
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    with qtbot.waitSignal(panel.packet_done, timeout=20_000):
        panel.export_portal()
    strip = view.banner
    assert strip.kind == "warning" and strip.word.text() == "Warning:"
    assert "the portal takes at most 0" in strip.text() and str(folder.resolve()) in strip.text()
    assert strip.folder_button.isVisible() and not strip.open_button.isVisible()  # a folder: Show folder only
    opened = _opened(monkeypatch)
    qtbot.mouseClick(strip.folder_button, Qt.MouseButton.LeftButton)
    assert opened == [str(folder.resolve())]


def test_portal_files_within_the_limits_are_a_success(qtbot, view, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    panel = view.letter
    _save_general_appeal(panel)
    folder = tmp_path / "portal"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    with qtbot.waitSignal(panel.packet_done, timeout=20_000):
        panel.export_portal()
    assert view.banner.kind == "success" and str(folder.resolve()) in view.banner.text()
    assert (folder / "01 Appeal letter.pdf").is_file()
