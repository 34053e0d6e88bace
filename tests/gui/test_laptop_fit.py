"""Issue 11, point 6 (the case view's part): at 1366x768 every case tab is shown without scroll
arrows, and View > Worklist gives the open case the whole window and back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from workstation.gui.main_window import MainWindow


def _laptop_window(qtbot, root: Path) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1366, 728)  # a 1366x768 screen less its task bar
    window.show()
    assert window.open_workspace(root)
    qtbot.waitUntil(lambda: window.case_view.case is not None, timeout=10_000)
    return window


def test_every_case_tab_fits_beside_the_worklist(qtbot, demo_workspace: Path) -> None:
    window = _laptop_window(qtbot, demo_workspace)
    tabs = window.case_view.tabs
    assert tabs.count() == 8
    assert tabs.tabBar().sizeHint().width() <= tabs.width(), "the case tabs overflow behind scroll arrows"
    assert window.case_view.width() >= 560  # room for the forms' labels and values


def test_the_worklist_can_make_room_for_the_case_and_come_back(qtbot, demo_workspace: Path) -> None:
    window = _laptop_window(qtbot, demo_workspace)
    beside = window.case_view.width()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    modifiers = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, Qt.Key.Key_W, modifiers)  # View > Worklist beside the case
    qtbot.waitUntil(lambda: not window.worklist.isVisible() and window.case_view.width() > beside + 400)
    assert not window.worklist_action.isChecked()
    qtbot.keyClick(window, Qt.Key.Key_W, modifiers)
    qtbot.waitUntil(lambda: window.worklist.isVisible())
    assert window.worklist_action.isChecked()
