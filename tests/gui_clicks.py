"""A biller's hands for the window tests: the main window at 1366x768 on a workspace, a row
clicked, a combo box's list opened and an entry clicked, a button clicked."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox

from workstation.gui.main_window import MainWindow
from workstation.gui.worklist_model import SUMMARY_ROLE

#: What the offscreen platform says when a combo box opens its list (a real screen says nothing);
#: for `@pytest.mark.qt_log_ignore(*POPUP_WARNINGS)`.
POPUP_WARNINGS = ("This plugin does not support raise", "This plugin does not support grabbing the keyboard")


def laptop_window(qtbot, root: Path) -> MainWindow:
    """The window at 1366x768 on `root`, its worklist loaded."""
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    assert window.open_workspace(root)
    expected = len(list((root / "cases").glob("*.appeal")))
    qtbot.waitUntil(lambda: window.worklist.model.rowCount() == expected, timeout=10_000)
    return window


def click_case(qtbot, window: MainWindow, path: Path) -> None:
    """Click the worklist row of the case in `path`; the case view shows it."""
    view = window.worklist
    source = view.model.row_of(path)
    index = view.proxy.mapFromSource(view.model.index(source, 1))
    assert index.isValid(), "the case is filtered out of the worklist"
    view.table.scrollTo(index)
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=view.table.visualRect(index).center())
    qtbot.waitUntil(lambda: window.case_view.case_file is not None and window.case_view.case_file.path == path)


def rows(window: MainWindow):
    proxy = window.worklist.proxy
    return [proxy.index(row, 0).data(SUMMARY_ROLE) for row in range(proxy.rowCount())]


def click(qtbot, button: QAbstractButton) -> None:
    assert button.isVisible() and button.isEnabled(), f"{button.text()!r} cannot be clicked"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def choose(qtbot, combo: QComboBox, data: object) -> None:
    """Open the box's list with a click and click the entry holding `data`."""
    position = combo.findData(data)
    assert position >= 0, f"{data!r} is not offered: {[combo.itemData(i) for i in range(combo.count())]}"
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)
    popup = combo.view()
    qtbot.waitUntil(popup.isVisible)
    qtbot.wait(QApplication.doubleClickInterval() + 50)  # a release this soon after opening is the opening click's
    entry = combo.model().index(position, combo.modelColumn())
    popup.scrollTo(entry)
    qtbot.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, pos=popup.visualRect(entry).center())
    qtbot.waitUntil(lambda: not popup.isVisible())
    assert combo.currentData() == data


def on_screen(proxy) -> list:
    """The worklist's rows as Qt shows them, asked row by row through the filter (the tests' own
    reading, to hold the filter's fast `shown_rows` to)."""
    model = proxy.sourceModel()
    return [model.row_at(proxy.mapToSource(proxy.index(i, 0)).row()) for i in range(proxy.rowCount())]
