"""Issue 11, point 1: after every action in the case view, driven with clicks as a biller does
it at 1366x768, the worklist row, the "Needs attention" line and the status-bar totals read
exactly what the case file says (the row is compared with one computed fresh from the file)."""

from __future__ import annotations

from pathlib import Path

from gui_clicks import laptop_window, on_screen
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QPushButton

from workstation.casefile.workspace import Workspace
from workstation.core.money import ZERO, dollars
from workstation.gui.main_window import MainWindow
from workstation.gui.worklist_model import SUMMARY_ROLE
from workstation.ops.deadlines import deadline_alert
from workstation.ops.workspaces import worklist_row


def _window_on_a_new_appeal(qtbot, root: Path) -> tuple[MainWindow, Path]:
    window = laptop_window(qtbot, root)
    view = window.worklist
    for row in range(view.proxy.rowCount()):
        summary = view.proxy.index(row, 0).data(SUMMARY_ROLE)
        if summary.status == "new" and summary.route == "appeal":
            qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton,
                             pos=view.table.visualRect(view.proxy.index(row, 1)).center())
            qtbot.waitUntil(lambda s=summary: window.case_view.case_file is not None
                            and window.case_view.case_file.path == s.path)
            return window, summary.path
    raise AssertionError("the demo has no new appeal case")


def _assert_the_window_tells_the_truth(window: MainWindow, path: Path, root: Path) -> None:
    model = window.worklist.model
    shown = model.index(model.row_of(path), 0).data(SUMMARY_ROLE)
    with Workspace.open(root, backup=False) as workspace:
        fresh = worklist_row(workspace, path)
    assert shown == fresh
    assert window.worklist.alerts.text() == deadline_alert(model.rows())
    visible = on_screen(window.worklist.proxy)
    assert window.totals.text() == (f"{len(visible)} of {model.rowCount()} cases · "
                                    f"{dollars(sum((r.amount_at_stake for r in visible), ZERO))} at stake")
    assert window.case_view.case.status.value == shown.status  # the case view and its row agree


def _save(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def test_every_action_leaves_row_alert_and_totals_true(qtbot, demo_workspace: Path, tmp_path: Path) -> None:
    window, path = _window_on_a_new_appeal(qtbot, demo_workspace)
    view = window.case_view
    _assert_the_window_tells_the_truth(window, path, demo_workspace)

    # a review step done
    view.tabs.setCurrentWidget(view.review)
    view.review.table.selectRow(0)
    qtbot.mouseClick(view.review.findChild(QPushButton, "step_done"), Qt.MouseButton.LeftButton)
    assert [s.state for s in view.case.steps] == ["done"]
    _assert_the_window_tells_the_truth(window, path, demo_workspace)

    # a call logged
    view.tabs.setCurrentWidget(view.calls)
    qtbot.mouseClick(view.calls.log_button, Qt.MouseButton.LeftButton)
    dialog = view.calls.dialog
    dialog.reference.setText("REF-0001")
    _save(qtbot, dialog)
    assert len(view.case.calls) == 1
    _assert_the_window_tells_the_truth(window, path, demo_workspace)

    # a document attached (the file chooser stands in for a drop)
    scan = tmp_path / "medical record.pdf"
    scan.write_bytes(_tiny_pdf())
    with qtbot.waitSignal(view.evidence.attach_finished, timeout=10_000):
        view.evidence.attach([scan])
    assert len(view.case.evidence) == 1
    _assert_the_window_tells_the_truth(window, path, demo_workspace)

    # the appeal sent
    view.tabs.setCurrentWidget(view.deadlines)
    qtbot.mouseClick(view.deadlines.submit_button, Qt.MouseButton.LeftButton)
    _save(qtbot, view.deadlines.dialog)
    assert view.case.status.value == "submitted"
    _assert_the_window_tells_the_truth(window, path, demo_workspace)

    # the payer says no
    qtbot.mouseClick(view.deadlines.decision_button, Qt.MouseButton.LeftButton)
    dialog = view.deadlines.dialog
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("lost"))
    _save(qtbot, dialog)
    assert view.case.status.value == "lost"
    _assert_the_window_tells_the_truth(window, path, demo_workspace)

    # the next level, sent and won
    qtbot.mouseClick(view.deadlines.escalate_button, Qt.MouseButton.LeftButton)
    assert view.case.status.value == "in_review"
    _assert_the_window_tells_the_truth(window, path, demo_workspace)
    qtbot.mouseClick(view.deadlines.submit_button, Qt.MouseButton.LeftButton)
    _save(qtbot, view.deadlines.dialog)
    qtbot.mouseClick(view.deadlines.decision_button, Qt.MouseButton.LeftButton)
    dialog = view.deadlines.dialog
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("won"))
    dialog.recovered.setText("40.00")
    _save(qtbot, dialog)
    assert view.case.status.value == "won"
    _assert_the_window_tells_the_truth(window, path, demo_workspace)
    row = window.worklist.model.index(window.worklist.model.row_of(path), 0).data(SUMMARY_ROLE)
    assert row.status == "won" and row.deadline is None  # nothing more is due on a won case


def _tiny_pdf() -> bytes:
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
