"""The case view's message strip: success, warning and error look different and say which in words;
a written file is named in full with Open and Show folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog
from reportlab.pdfgen import canvas

from workstation.casefile.case_file import CaseFile
from workstation.gui.case_view import CaseView


@pytest.fixture
def view(qtbot, tmp_path: Path, make_case) -> CaseView:
    widget = CaseView(actor="dana")
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    widget.open_case(CaseFile.create(tmp_path / "2026-03-abcdef01.appeal", make_case()))
    return widget


def _colours(view: CaseView) -> str:
    return view.banner.styleSheet()


def test_a_refused_edit_is_an_error_without_file_buttons(view) -> None:
    view.commit("patient.date_of_birth", "31/31/2020")
    strip = view.banner
    assert strip.isVisible() and strip.kind == "error" and strip.property("kind") == "error"
    assert strip.word.text() == "Error:" and "is not a date" in strip.text()
    assert not strip.open_button.isVisible() and not strip.folder_button.isVisible()


def test_success_warning_and_error_differ_in_word_and_colour(view, tmp_path) -> None:
    seen = {}
    for kind in ("success", "warning", "error"):
        view.say(f"a {kind}", kind=kind)
        seen[kind] = (view.banner.kind, view.banner.word.text(), _colours(view))
    assert [k for k, _w, _c in seen.values()] == ["success", "warning", "error"]
    assert len({w for _k, w, _c in seen.values()}) == 3 and len({c for _k, _w, c in seen.values()}) == 3
    view.tell_success("Written.", path=tmp_path / "x.pdf")
    assert view.banner.open_button.isVisible()
    view.say("Went wrong.")  # a later message without a file drops the buttons; error is the default
    assert view.banner.kind == "error" and not view.banner.open_button.isVisible()
    assert str(tmp_path) not in view.banner.text()


def test_an_exported_document_is_a_success_naming_the_file(qtbot, view, tmp_path, monkeypatch) -> None:
    source = tmp_path / "notes.pdf"
    drawing = canvas.Canvas(str(source))
    drawing.drawString(72, 700, "Chart note")
    drawing.showPage()
    drawing.save()
    with qtbot.waitSignal(view.evidence.attach_finished, timeout=20_000):
        view.evidence.attach([source])
    view.evidence.list.setCurrentRow(0)
    target = tmp_path / "exported" / "copy.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    view.evidence.export_dialog()
    strip = view.banner
    assert target.read_bytes() == source.read_bytes()
    assert strip.kind == "success" and "Exported notes." in strip.text() and str(target.resolve()) in strip.text()
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    qtbot.mouseClick(strip.folder_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(strip.open_button, Qt.MouseButton.LeftButton)
    assert opened == [str(target.parent.resolve()), str(target.resolve())]


def test_the_current_user_can_always_be_chosen_as_assignee(qtbot) -> None:
    """Issue 11, point 10: a workspace without users still offers the person at the keyboard."""
    from workstation.gui.case_view import CaseView

    view = CaseView(actor="dana")
    qtbot.addWidget(view)
    view.set_assignees([])
    combo = view.editors["case.assignee"].combo
    logins = [combo.itemData(i) for i in range(combo.count())]
    assert logins == ["", "dana"]
    view.set_assignees([("Dana Example", "dana"), ("Lee", "lee")])
    assert [combo.itemData(i) for i in range(combo.count())] == ["", "dana", "lee"]
