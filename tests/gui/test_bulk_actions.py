"""Issue 11, point 7: several rows at a time. Select rows as a biller would (clicks, Shift+click,
Ctrl+A), act on them from the table's context menu, and check the files and the rows shown."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest
from gui_clicks import on_screen
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QPushButton

from workstation.casefile.case_file import CaseFile
from workstation.core.model import Case
from workstation.core.review import StepState
from workstation.core.vocabulary import Status
from workstation.gui.case_view import CaseView
from workstation.gui.main_window import MainWindow
from workstation.gui.worklist_model import COLUMNS, SUMMARY_ROLE
from workstation.gui.worklist_view import WorklistView


def _column(title: str) -> int:
    return next(i for i, c in enumerate(COLUMNS) if c.title == title)


@pytest.fixture
def window(qtbot, demo_workspace: Path) -> MainWindow:
    main = MainWindow()
    qtbot.addWidget(main)
    main.resize(1366, 728)
    main.show()
    assert main.open_workspace(demo_workspace)
    expected = len(list((demo_workspace / "cases").glob("*.appeal")))
    qtbot.waitUntil(lambda: main.worklist.model.rowCount() == expected, timeout=10_000)
    return main


def _click(qtbot, view: WorklistView, row: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    rect = view.table.visualRect(view.proxy.index(row, _column("Patient")))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def _shown(view: WorklistView) -> list:
    return on_screen(view.proxy)


def _filter_status(view: WorklistView, status: str) -> None:
    view.status_filter.setCurrentIndex(view.status_filter.findData(status))


def _load(path: Path) -> Case:
    with CaseFile.open(path, read_only=True) as case_file:
        return case_file.load()


def _menu_action(view: WorklistView, name: str):
    """An action of the table's context menu, as the menu offers it."""
    return next(a for a in view.context_menu().actions() if a.objectName() == name)


def _ok(dialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def _finished(qtbot, view: WorklistView) -> None:
    """Many cases run on a worker thread: wait for it (a few run at once)."""
    qtbot.waitUntil(lambda: view.bulk.task is None, timeout=60_000)


def _row_of(window: MainWindow, path: Path):
    model = window.worklist.model
    return model.index(model.row_of(path), 0).data(SUMMARY_ROLE)


def test_shift_click_selects_a_run_of_rows_and_the_case_view_follows_the_current_one(qtbot, window) -> None:
    view = window.worklist
    _click(qtbot, view, 0)
    first = _shown(view)[0].path
    qtbot.waitUntil(lambda: window.case_view.case_file is not None and window.case_view.case_file.path == first)
    assert not view.selection_bar.isVisible()  # one row: no bar
    _click(qtbot, view, 3, Qt.KeyboardModifier.ShiftModifier)
    assert [r.path for r in view.selected_rows()] == [r.path for r in _shown(view)[:4]]
    assert view.selection_count.text() == "Selected: 4" and view.selection_bar.isVisible()
    qtbot.waitUntil(lambda: window.case_view.case_file.path == _shown(view)[3].path)  # the current row
    _click(qtbot, view, 1, Qt.KeyboardModifier.ControlModifier)  # Ctrl+click takes one out
    assert len(view.selected_rows()) == 3


def test_ctrl_a_selects_every_shown_row_and_leaves_the_open_case(qtbot, window) -> None:
    view = window.worklist
    _filter_status(view, "new")
    _click(qtbot, view, 0)
    opened = window.case_view.case_file.path
    qtbot.keyClick(view.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(view.selected_rows()) == view.proxy.rowCount() < view.model.rowCount()
    assert {r.status for r in view.selected_rows()} == {"new"}
    assert view.selection_count.text() == f"Selected: {view.proxy.rowCount()}"
    assert window.case_view.case_file.path == opened


def test_assigning_the_selected_cases_from_the_context_menu(qtbot, window) -> None:
    view = window.worklist
    _click(qtbot, view, 0)
    _click(qtbot, view, 2, Qt.KeyboardModifier.ShiftModifier)
    chosen = [r.path for r in view.selected_rows()]
    _menu_action(view, "bulk_assign").trigger()
    dialog = view.bulk.dialog
    dialog.assignee.setCurrentText("pat")  # a login typed, not in the users list yet
    _ok(dialog)
    for path in chosen:
        assert _load(path).assignee == "pat"  # the file says so
        assert _row_of(window, path).assignee == "pat"  # and so does the row, without F5
        row = view.model.row_of(path)
        assert view.model.index(row, _column("Assignee")).data() == "pat"
    assert view.bulk.report.strip.text() == "3 cases assigned to pat."
    assert window.case_view.editors["case.assignee"].shown == "pat"  # the open case followed


def test_a_status_the_workflow_refuses_is_named_and_the_rest_change(qtbot, window) -> None:
    view = window.worklist
    rows = _shown(view)
    submitted = next(i for i, r in enumerate(rows) if r.status == "submitted")
    new = [i for i, r in enumerate(rows) if r.status == "new"][:2]
    _click(qtbot, view, submitted)
    for i in new:
        _click(qtbot, view, i, Qt.KeyboardModifier.ControlModifier)
    _menu_action(view, "bulk_status").trigger()
    dialog = view.bulk.dialog
    choice = dialog.status.findData(Status.IN_REVIEW.value)
    assert dialog.status.itemText(choice) == "In review  (2 of 3 can)"
    dialog.status.setCurrentIndex(choice)
    _ok(dialog)
    assert {_load(rows[i].path).status for i in new} == {Status.IN_REVIEW}
    assert _load(rows[submitted].path).status is Status.SUBMITTED
    refusals = view.bulk.report.refusals
    assert refusals.isVisible() and refusals.count() == 1
    assert "cannot go from submitted to in review" in refusals.item(0).text()
    assert refusals.item(0).text().startswith(rows[submitted].patient)
    assert view.bulk.report.strip.text().startswith("2 cases moved to in review; 1 not changed.")
    assert view.bulk.report.strip.kind == "warning"
    refusals.itemActivated.emit(refusals.item(0))  # double-click or Enter: that case is selected
    assert view.table.currentIndex().data(SUMMARY_ROLE).path == rows[submitted].path


def test_small_balances_are_written_off_with_the_reason_and_the_rest_named(qtbot, window) -> None:
    view = window.worklist
    _filter_status(view, "new")
    qtbot.keyClick(view.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    selected = view.selected_rows()
    _menu_action(view, "bulk_write_off").trigger()
    dialog = view.bulk.dialog
    assert dialog.limit.text() == "25.00"  # the default limit
    dialog.limit.setText("150")
    small = [r for r in selected if r.amount_at_stake <= 150]
    assert 0 < len(small) < len(selected)
    assert dialog.preview.text().startswith(f"{len(small)} of {len(selected)} selected cases are at or under $150.00")
    _ok(dialog)
    assert dialog.isVisible() and "reason" in dialog.problem.text()  # a write-off needs a reason
    qtbot.keyClicks(dialog.reason, "Small balance & not worth appealing")
    _ok(dialog)
    _finished(qtbot, view)
    for row in selected:
        case = _load(row.path)
        if row.amount_at_stake <= 150:
            assert case.status is Status.WRITTEN_OFF
            assert case.activity[-1].message.endswith("reason: Small balance & not worth appealing")
        else:
            assert case.status is Status.NEW
    assert view.bulk.report.refusals.count() == len(selected) - len(small)
    assert all("over the $150.00 limit" in view.bulk.report.refusals.item(i).text()
               for i in range(view.bulk.report.refusals.count()))
    assert {r.status for r in _shown(view)} == {"new"}  # the written-off rows left the "new" filter
    assert view.proxy.rowCount() == len(selected) - len(small)
    _menu_action(view, "bulk_write_off").trigger()
    assert view.bulk.dialog.limit.text() == "150.00"  # the limit last used is offered again
    view.bulk.dialog.reject()


def test_a_case_open_in_another_program_is_skipped_and_named(qtbot, window) -> None:
    view = window.worklist
    _click(qtbot, view, 0)
    _click(qtbot, view, 2, Qt.KeyboardModifier.ShiftModifier)
    chosen = [r.path for r in view.selected_rows()]
    holder = sqlite3.connect(chosen[1], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program in the middle of a change
    try:
        _menu_action(view, "bulk_assign").trigger()
        view.bulk.dialog.assignee.setCurrentText("lee")
        _ok(view.bulk.dialog)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert [_load(p).assignee == "lee" for p in chosen] == [True, False, True]
    assert "in use by another window or program" in view.bulk.report.refusals.item(0).text()


def test_many_cases_are_changed_off_the_gui_thread(qtbot, window) -> None:
    view = window.worklist
    _click(qtbot, view, 0)
    qtbot.keyClick(view.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    count = len(view.selected_rows())
    assert count > 40  # a worker thread, with progress and Cancel
    _menu_action(view, "bulk_assign").trigger()
    view.bulk.dialog.assignee.setCurrentText("sam")
    _ok(view.bulk.dialog)
    assert view.bulk.task is not None and view.bulk.cancel.isVisibleTo(view)
    _finished(qtbot, view)
    assert view.bulk.report.strip.text().startswith(f"{count - _already(view, 'sam')} cases assigned to sam")
    assert {_load(r.path).assignee for r in _shown(view)} == {"sam"}
    assert {r.assignee for r in view.model.rows()} == {"sam"}
    assert not view.bulk.cancel.isVisibleTo(view)


def test_cancel_stops_a_long_run_and_what_was_done_is_what_the_files_say(qtbot, window) -> None:
    view = window.worklist
    _click(qtbot, view, 0)
    qtbot.keyClick(view.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    chosen = view.selected_rows()
    _menu_action(view, "bulk_assign").trigger()
    view.bulk.dialog.assignee.setCurrentText("kim")
    _ok(view.bulk.dialog)
    qtbot.mouseClick(view.bulk.cancel, Qt.MouseButton.LeftButton)
    _finished(qtbot, view)
    result = view.bulk.last_result
    assert result is not None
    assert len(result.done) + len(result.unchanged) + len(result.refusals) + result.not_reached == len(chosen)
    changed = {r.path for r in chosen if _load(r.path).assignee == "kim"}
    assert changed == set(result.done)  # nothing half done, nothing done unreported
    assert {r.path for r in view.model.rows() if r.assignee == "kim"} == changed  # the rows say the same
    if result.not_reached:
        assert "cancelled before the last" in view.bulk.report.strip.text()


def _already(view: WorklistView, login: str) -> int:
    text = view.bulk.report.strip.text()
    return int(text.split("; ")[1].split()[0]) if "already" in text else 0


def test_the_selection_is_exported_to_a_csv_file(qtbot, window, tmp_path, monkeypatch) -> None:
    view = window.worklist
    _click(qtbot, view, 1)
    _click(qtbot, view, 4, Qt.KeyboardModifier.ShiftModifier)
    chosen = view.selected_rows()
    target = tmp_path / "chosen.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "CSV (*.csv)"))
    _menu_action(view, "export_csv").trigger()
    qtbot.waitUntil(lambda: view.bulk.report.strip.kind == "success", timeout=10_000)  # written off the GUI thread
    table = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert [r["Case file"] for r in table] == [r.path.name for r in chosen]  # in the order shown
    assert [r["Claim number"] for r in table] == [r.claim_number for r in chosen]
    assert view.bulk.report.strip.kind == "success"
    assert view.bulk.report.strip.open_url.toLocalFile() == str(target.resolve())


def test_the_worklist_prints_as_shown_with_its_filters_named(qtbot, window, tmp_path, monkeypatch,
                                                             demo_workspace) -> None:
    view = window.worklist
    _filter_status(view, "new")
    view.table.horizontalHeader().setSortIndicator(_column("At stake"), Qt.SortOrder.DescendingOrder)
    shown = _shown(view)
    target = tmp_path / "worklist.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF (*.pdf)"))
    _menu_action(view, "save_worklist_pdf").trigger()
    qtbot.waitUntil(lambda: target.exists(), timeout=20_000)
    text = " ".join(page.extract_text() for page in PdfReader(str(target)).pages)
    assert "Filters: status: New" in text
    assert f"{len(shown)} of {view.model.rowCount()} cases" in text
    for title in ("Days left", "Patient", "Claim number", "Assignee"):
        assert title in text
    assert "Send by" not in text  # a hidden column is not printed
    positions = [text.index(r.claim_number) for r in shown]
    assert positions == sorted(positions)  # in the order shown

    printed = tmp_path / "printed.pdf"

    def accept(dialog: QPrintDialog) -> QPrintDialog.DialogCode:  # the user presses Print
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setResolution(96)  # a draft: quick to draw
        dialog.printer().setOutputFileName(str(printed))
        return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    _menu_action(view, "print_worklist").trigger()
    qtbot.waitUntil(lambda: view.bulk.report.strip.text().startswith("Sent the worklist"), timeout=20_000)
    assert len(PdfReader(str(printed)).pages) == len(PdfReader(str(target)).pages)
    # the trail names every case printed, one entry each (written off the window's thread)
    qtbot.waitUntil(lambda: _audit_count(demo_workspace, "worklist printed") == len(shown), timeout=10_000)


def test_saving_the_worklist_pdf_where_it_cannot_be_written_is_one_sentence_and_no_audit(
        qtbot, window, tmp_path, monkeypatch, demo_workspace) -> None:
    view = window.worklist
    target = tmp_path / "no such folder" / "worklist.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF (*.pdf)"))
    before = _audit_count(demo_workspace)
    _menu_action(view, "save_worklist_pdf").trigger()
    qtbot.waitUntil(lambda: view.bulk.report.strip.kind == "error", timeout=20_000)
    assert view.bulk.report.strip.text().startswith("worklist.pdf could not be written (")
    assert view.bulk.report.strip.text().endswith("choose another folder.")
    assert not target.exists() and _audit_count(demo_workspace) == before
    target = tmp_path / "worklist.pdf"
    _menu_action(view, "save_worklist_pdf").trigger()
    qtbot.waitUntil(lambda: view.bulk.report.strip.kind == "success", timeout=20_000)
    assert target.exists()
    assert _audit_count(demo_workspace) == before + view.proxy.rowCount()  # one entry per case printed


def _audit_count(root: Path, detail: str = "") -> int:
    with sqlite3.connect(root / "workspace.sqlite") as conn:
        return conn.execute("SELECT count(*) FROM audit WHERE action = 'print' AND detail LIKE ?",
                            (f"{detail}%",)).fetchone()[0]


def test_done_applies_to_every_selected_review_step(qtbot, tmp_path, make_case) -> None:
    path = CaseFile.create(tmp_path / "2026-03-abcdef01.appeal", make_case())
    view = CaseView(actor="dana")
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    view.open_case(path)
    view.tabs.setCurrentWidget(view.review)
    table = view.review.table
    assert table.rowCount() >= 3
    for row, modifier in ((0, Qt.KeyboardModifier.NoModifier), (2, Qt.KeyboardModifier.ControlModifier)):
        rect = table.visualRect(table.model().index(row, 0))
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())
    texts = [table.item(row, 0).text() for row in (0, 2)]
    view.review.note.setText("Chart checked")
    qtbot.mouseClick(view.review.findChild(QPushButton, "step_done"), Qt.MouseButton.LeftButton)
    assert [table.item(row, 2).text() for row in range(3)] == ["Done", "Open", "Done"]
    case = _load(path)
    states = {step.key: step for step in case.steps}
    assert sorted(s.state for s in states.values()) == [StepState.DONE.value] * 2
    assert {s.note for s in states.values()} == {"Chart checked"}
    assert case.activity[-1].message == f"2 steps done: {texts[0]}; {texts[1]}"
    assert view.review.summary.text().startswith("2 of ")


def test_a_read_only_workspace_offers_export_but_no_changes(qtbot, demo_workspace: Path) -> None:
    for path in [demo_workspace, *demo_workspace.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        main = MainWindow()
        qtbot.addWidget(main)
        main.resize(1366, 728)
        main.show()
        assert main.open_workspace(demo_workspace)
        qtbot.waitUntil(lambda: main.worklist.model.rowCount() > 0, timeout=10_000)
        view = main.worklist
        _click(qtbot, view, 0)
        _click(qtbot, view, 2, Qt.KeyboardModifier.ShiftModifier)
        enabled = {a.objectName(): a.isEnabled() for a in view.context_menu().actions() if a.objectName()}
        assert enabled["export_csv"] and enabled["print_worklist"] and enabled["select_all"]
        assert not any(enabled[name] for name in ("bulk_assign", "bulk_status", "bulk_write_off"))
    finally:
        for path in [demo_workspace, *demo_workspace.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
