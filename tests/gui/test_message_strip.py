"""The case view's message strip: success, warning and error look different and say which in words;
a written file is named in full with Open and Show folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_clicks import POPUP_WARNINGS
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


@pytest.mark.qt_log_ignore(*POPUP_WARNINGS)
def test_the_current_user_is_picked_as_assignee_in_the_window(qtbot, tmp_path: Path, make_case) -> None:
    """As a biller does it at 1366x768, in a new workspace with no users: the Assignee box,
    opened with a click, offers the person at the keyboard; picked, the case and its row say so."""
    import json

    from gui_clicks import choose, click_case, laptop_window, rows

    from workstation.casefile.workspace import Workspace
    from workstation.ops.user_config import config_dir

    config_dir().mkdir(parents=True, exist_ok=True)
    (config_dir() / "config.json").write_text(json.dumps({"current_user": "LP", "display_name": "Lee Placeholder",
                                                          "asked_who": True}), encoding="utf-8")
    root = tmp_path / "ws"
    with Workspace.create(root) as workspace:
        assert workspace.users() == []
        path = CaseFile.create(workspace.cases_dir / "2026-03-abcdef01.appeal", make_case(assignee=""))
    window = laptop_window(qtbot, root)
    click_case(qtbot, window, path)
    combo = window.case_view.editors["case.assignee"].combo
    tabs = window.case_view.tabs
    page = next(i for i in range(tabs.count()) if tabs.widget(i).isAncestorOf(combo))
    qtbot.mouseClick(tabs.tabBar(), Qt.MouseButton.LeftButton, pos=tabs.tabBar().tabRect(page).center())
    assert combo.isVisible()
    assert [combo.itemData(i) for i in range(combo.count())] == ["", "LP"]
    choose(qtbot, combo, "LP")
    assert window.case_view.case.assignee == "LP"
    with CaseFile.open(path, read_only=True) as case_file:
        assert case_file.load().assignee == "LP"
    assert [r.assignee for r in rows(window)] == ["LP"]
