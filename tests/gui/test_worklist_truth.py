"""Issue 11, point 1 (a first step): after an action in the case view, the worklist row, the
"Needs attention" line and the status-bar totals show the case as its file now says, without F5."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt

from workstation.casefile.case_file import CaseFile
from workstation.gui.main_window import MainWindow
from workstation.gui.worklist_model import SUMMARY_ROLE
from workstation.ops.tracking import record_submission


def _open_new_case(qtbot, demo_workspace: Path) -> tuple[MainWindow, Path]:
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    assert window.open_workspace(demo_workspace)
    expected = len(list((demo_workspace / "cases").glob("*.appeal")))
    qtbot.waitUntil(lambda: window.worklist.model.rowCount() == expected, timeout=10_000)
    view = window.worklist
    for row in range(view.proxy.rowCount()):
        summary = view.proxy.index(row, 0).data(SUMMARY_ROLE)
        if summary.status == "new" and summary.route == "appeal":
            view.table.setCurrentIndex(view.proxy.index(row, 0))
            qtbot.waitUntil(lambda s=summary: window.case_view.case_file is not None
                            and window.case_view.case_file.path == s.path)
            return window, summary.path
    raise AssertionError("the demo has no new appeal case")


def _row(window: MainWindow, path: Path):
    model = window.worklist.model
    return model.index(model.row_of(path), 0).data(SUMMARY_ROLE)


def test_recording_a_sending_updates_the_row_the_alert_and_the_totals(qtbot, demo_workspace: Path) -> None:
    window, path = _open_new_case(qtbot, demo_workspace)
    before_total = window.totals.text()
    assert _row(window, path).status == "new"
    view = window.case_view
    case_file: CaseFile = view.case_file
    assert view.apply(lambda: record_submission(case_file, sent=date.today(), method="fax", actor="dana"))
    row = _row(window, path)
    assert row.status == "submitted"  # the row follows the file at once
    assert row.deadline is not None and row.deadline.kind != "appeal"  # waiting for the decision now
    assert window.totals.text().startswith(before_total.split(" · ")[0])  # same count, recomputed
    alert = window.worklist.alerts.text()
    assert alert == "" or "overdue" in alert or "due" in alert  # recomputed from the rows as they are


def test_the_row_follows_a_change_made_by_another_program(qtbot, demo_workspace: Path) -> None:
    window, path = _open_new_case(qtbot, demo_workspace)
    with CaseFile.open(path) as other:  # the command line, say, while the window is open
        other.set_field("case.assignee", "lee", actor="lee")
    window.case_changed(path)
    assert _row(window, path).assignee == "lee"
    assert window.worklist.model.index(window.worklist.model.row_of(path), 0).data(Qt.ItemDataRole.DisplayRole)
