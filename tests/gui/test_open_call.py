"""Issue 11, point 10: the Calls table cuts a long reference and summary; a double-click or
Enter on a call's row opens the whole call in one box, and the row's tooltip holds it too.
Driven in the window at 1366x768: the call is logged through the Calls tab's dialog."""

from __future__ import annotations

from pathlib import Path

from gui_clicks import click_case, laptop_window
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox, QWidget

from workstation.gui.main_window import MainWindow
from workstation.gui.worklist_model import SUMMARY_ROLE

REFERENCE = "REF-2026-0331-ÆØÅ-&-<7781>-00042-CALLBACK-QUEUE-B"
SUMMARY = ("Spoke with Zoë Ñúñez in provider services & appeals <tier 2>: the denial CO-50 stands "
           "because the plan of care was not signed before the first visit; she says a signed & dated "
           "copy plus the progress notes from 02/01 and 02/02 go with a reconsideration request, "
           "faxed to the number on the letter, \"attn: appeals\" — not the claims fax. "
           "Résumé of the call is also in the portal under case #4471 <b>not bold</b>; "
           "expect a decision within 60 days. ") * 3


def _window_on_a_case(qtbot, root: Path) -> MainWindow:
    window = laptop_window(qtbot, root)
    click_case(qtbot, window, window.worklist.proxy.index(0, 1).data(SUMMARY_ROLE).path)
    return window


def _log_a_long_call(qtbot, window: MainWindow) -> None:
    calls = window.case_view.calls
    window.case_view.tabs.setCurrentWidget(calls)
    qtbot.mouseClick(calls.log_button, Qt.MouseButton.LeftButton)
    dialog = calls.dialog
    assert dialog is not None and dialog.isVisible()
    _type(qtbot, dialog.reference, REFERENCE)
    _type(qtbot, dialog.summary, SUMMARY)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert [(c.reference, c.summary) for c in window.case_view.case.calls] == [(REFERENCE, SUMMARY.strip())]


def _type(qtbot, widget: QWidget, text: str) -> None:
    """Keys as typed; a letter QTest has no key for (é, —) arrives as a keyboard layout sends it:
    a key press carrying the text."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))


def _open_call_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.windowTitle() == "Call" and w.isVisible()]


def _assert_the_whole_call_is_shown(box: QMessageBox) -> None:
    assert box.textFormat() == Qt.TextFormat.PlainText  # "<7781>" and "<b>" are text, not markup
    text = box.text()
    assert f"Reference: {REFERENCE}" in text
    assert f"What was said: {SUMMARY.strip()}" in text
    assert box.sizeHint().height() <= 728 and box.sizeHint().width() <= 1366  # whole on a laptop's screen


def test_a_double_click_on_a_call_opens_the_whole_call_once(qtbot, demo_workspace: Path) -> None:
    window = _window_on_a_case(qtbot, demo_workspace)
    _log_a_long_call(qtbot, window)
    table = window.case_view.calls.table
    cell = table.model().index(0, 4)  # "What was said", cut in the table
    assert table.visualRect(cell).width() < table.fontMetrics().horizontalAdvance(SUMMARY)
    tooltip = cell.data(Qt.ItemDataRole.ToolTipRole)
    assert f"Reference: {REFERENCE}" in tooltip and f"What was said: {SUMMARY.strip()}" in tooltip
    at = table.visualRect(cell).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=at)  # a double-click's first press and
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=at)  # release, then its second press
    boxes = _open_call_boxes()
    assert len(boxes) == 1, "a double-click opened the call more than once"
    _assert_the_whole_call_is_shown(boxes[0])
    qtbot.mouseClick(boxes[0].button(QMessageBox.StandardButton.Close), Qt.MouseButton.LeftButton)
    assert _open_call_boxes() == []


def test_enter_on_a_call_opens_the_whole_call(qtbot, demo_workspace: Path) -> None:
    window = _window_on_a_case(qtbot, demo_workspace)
    _log_a_long_call(qtbot, window)
    table = window.case_view.calls.table
    reference = table.model().index(0, 3)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(reference).center())
    assert _open_call_boxes() == []  # one click only selects
    qtbot.keyClick(table, Qt.Key.Key_Return)
    boxes = _open_call_boxes()
    assert len(boxes) == 1
    _assert_the_whole_call_is_shown(boxes[0])
    qtbot.keyClick(boxes[0], Qt.Key.Key_Escape)
    assert _open_call_boxes() == []
