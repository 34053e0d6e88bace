"""The real window on the demo workspace: load, sort, filter, open, edit, undo, reopen."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from gui_clicks import on_screen
from PySide6.QtCore import Qt

from workstation.casefile.case_file import CaseFile
from workstation.core.vocabulary import PayerKind, Status
from workstation.gui.main_window import MainWindow
from workstation.gui.worklist_model import COLUMNS, SUMMARY_ROLE
from workstation.ops.cases import ManualCase
from workstation.ops.user_config import load_config


def _column(title: str) -> int:
    return next(i for i, c in enumerate(COLUMNS) if c.title == title)


@pytest.fixture
def window(qtbot) -> MainWindow:
    main = MainWindow()
    qtbot.addWidget(main)
    main.show()
    return main


def _open(window: MainWindow, qtbot, root: Path) -> None:
    assert window.open_workspace(root)
    expected = len(list((root / "cases").glob("*.appeal")))
    qtbot.waitUntil(lambda: window.worklist.model.rowCount() == expected, timeout=10_000)


def _select(window: MainWindow, qtbot, row: int = 0) -> Path:
    view = window.worklist
    view.table.setCurrentIndex(view.proxy.index(row, 0))
    path = view.proxy.index(row, 0).data(SUMMARY_ROLE).path
    qtbot.waitUntil(lambda: window.case_view.case_file is not None and window.case_view.case_file.path == path)
    return path


def test_opening_the_demo_workspace_lists_every_case(window, qtbot, demo_workspace) -> None:
    _open(window, qtbot, demo_workspace)
    files = {p.name for p in (demo_workspace / "cases").glob("*.appeal")}
    rows = {window.worklist.model.index(i, 0).data(SUMMARY_ROLE).path.name
            for i in range(window.worklist.model.rowCount())}
    assert rows == files
    assert f"{len(files)} of {len(files)} cases" in window.totals.text()
    assert load_config().last_workspace == str(demo_workspace.resolve())


def test_sorting_and_filtering_in_the_window(window, qtbot, demo_workspace) -> None:
    _open(window, qtbot, demo_workspace)
    view = window.worklist
    view.table.horizontalHeader().setSortIndicator(_column("At stake"), Qt.SortOrder.DescendingOrder)
    amounts = [r.amount_at_stake for r in on_screen(view.proxy)]
    assert amounts == sorted(amounts, reverse=True)
    view.status_filter.setCurrentIndex(view.status_filter.findData("new"))
    statuses = {r.status for r in on_screen(view.proxy)}
    assert statuses == {"new"}
    assert window.totals.text().startswith(f"{view.proxy.rowCount()} of ")
    view.status_filter.setCurrentIndex(0)
    payer = view.payer_filter.itemData(1)
    view.payer_filter.setCurrentIndex(1)
    assert {r.payer for r in on_screen(view.proxy)} == {payer}
    view.payer_filter.setCurrentIndex(0)
    qtbot.keyClicks(view.search, "CO-197")
    assert view.proxy.rowCount() > 0
    assert all("CO-197" in r.reasons for r in on_screen(view.proxy))
    assert view.proxy.shown_rows() == on_screen(view.proxy)  # the fast list is what Qt shows
    view.search.clear()
    view.table.horizontalHeader().setSortIndicator(_column("Patient"), Qt.SortOrder.AscendingOrder)
    assert view.proxy.shown_rows() == on_screen(view.proxy)


def test_edit_is_saved_at_once_survives_reopening_and_can_be_undone(window, qtbot, demo_workspace) -> None:
    _open(window, qtbot, demo_workspace)
    path = _select(window, qtbot)
    editor = window.case_view.editors["patient.member_id"].line
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClicks(editor, "MEMBER-Ü&<1>")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    with CaseFile.open(path, read_only=True) as case_file:  # another reader sees it at once
        assert case_file.load().patient.member_id == "MEMBER-Ü&<1>"
    window.close()

    reopened = MainWindow()
    qtbot.addWidget(reopened)
    reopened.show()
    _open(reopened, qtbot, demo_workspace)
    reopened.worklist.select_path(path)
    qtbot.waitUntil(lambda: reopened.case_view.case is not None)
    assert reopened.case_view.editors["patient.member_id"].line.text() == "MEMBER-Ü&<1>"
    before = reopened.case_view.case.status
    status = reopened.case_view.editors["case.status"]
    target = Status(status.combo.itemData(1))  # the first move the workflow allows from here
    status.combo.setCurrentIndex(status.combo.findData(target.value))
    status.combo.activated.emit(status.combo.currentIndex())
    row = reopened.worklist.model.row_of(path)
    assert reopened.worklist.model.index(row, _column("Status")).data() == target.label
    reopened.worklist.table.setFocus()
    reopened.menuBar().actions()[1].menu().aboutToShow.emit()  # what opening the Edit menu does
    assert reopened.undo_action.text() == f"Undo: Status: {before.label} -> {target.label}"
    reopened.undo_action.trigger()
    with CaseFile.open(path, read_only=True) as case_file:
        case = case_file.load()
    assert case.status is before
    assert case.patient.member_id == "MEMBER-Ü&<1>"  # only the last edit was undone
    assert any(f"-> {target.label}" in entry.message for entry in case.activity)


def test_a_second_window_sees_the_first_windows_edit_and_loses_nothing(qtbot, demo_workspace) -> None:
    first, second = MainWindow(), MainWindow()
    for window in (first, second):
        qtbot.addWidget(window)
        window.show()
        _open(window, qtbot, demo_workspace)
    path = _select(first, qtbot)
    second.worklist.select_path(path)
    qtbot.waitUntil(lambda: second.case_view.case is not None)
    first.case_view.commit("patient.group_number", "FIRST-EDIT")
    second.case_view.commit("patient.group_number", "SECOND-EDIT")  # made on a stale view
    assert "changed in another window" in second.case_view.banner.text()
    assert second.case_view.editors["patient.group_number"].line.text() == "FIRST-EDIT"
    with CaseFile.open(path, read_only=True) as case_file:
        assert case_file.load().patient.group_number == "FIRST-EDIT"


def test_bad_date_is_refused_with_a_sentence_and_nothing_changes(window, qtbot, demo_workspace) -> None:
    _open(window, qtbot, demo_workspace)
    path = _select(window, qtbot)
    before = path.read_bytes()
    window.case_view.commit("patient.date_of_birth", "31/31/2020")
    assert "is not a date" in window.case_view.banner.text()
    assert path.read_bytes() == before


def test_damaged_case_file_is_listed_and_does_not_stop_the_rest(window, qtbot, demo_workspace) -> None:
    victim = sorted((demo_workspace / "cases").glob("*.appeal"))[0]
    victim.write_bytes(victim.read_bytes()[:3000])
    (demo_workspace / "cases" / "notes.appeal").write_text("not a case", encoding="utf-8")
    _open(window, qtbot, demo_workspace)
    problems = {r.path.name: r.problem for r in window.worklist.model.rows() if r.problem}
    assert set(problems) == {victim.name, "notes.appeal"}
    assert "cut short" in problems[victim.name]
    window.worklist.select_path(victim)
    qtbot.waitUntil(lambda: window.case_view.title.text() == "This case cannot be opened")
    assert "cut short" in window.case_view.subtitle.text()


def test_read_only_workspace_browses_but_refuses_edits(window, qtbot, demo_workspace) -> None:
    for path in [demo_workspace, *demo_workspace.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        _open(window, qtbot, demo_workspace)
        assert "read-only" in window.windowTitle()
        assert not window.new_case_action.isEnabled()
        _select(window, qtbot)
        assert not window.case_view.editors["patient.last_name"].widget.isEnabled()
        window.case_view.commit("patient.last_name", "Changed")
        assert "read-only" in window.case_view.banner.text()
    finally:
        for path in [demo_workspace, *demo_workspace.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)


def test_new_case_typed_from_a_paper_notice_appears_selected(window, qtbot, demo_workspace) -> None:
    _open(window, qtbot, demo_workspace)
    before = window.worklist.model.rowCount()
    entry = ManualCase(patient_last="Ñandú & Sons", patient_first="Ana", payer_name="Paper Payer",
                       payer_kind=PayerKind.COMMERCIAL, procedure_code="99213",
                       service_date=date(2026, 3, 1), billed=Decimal("120.00"),
                       denied=Decimal("120.00"), carc="CO-50")
    path = window.create_case(entry)
    assert path is not None and path.exists()
    assert window.worklist.model.rowCount() == before + 1
    qtbot.waitUntil(lambda: window.case_view.case is not None and window.case_view.case_file.path == path)
    assert window.case_view.title.text().startswith("Ñandú & Sons, Ana")
    assert "Ñandú" not in path.name


def test_damaged_workspace_database_offers_its_backup(window, qtbot, demo_workspace, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    db = demo_workspace / "workspace.sqlite"
    assert list((demo_workspace / "backups").glob("workspace-*.sqlite"))
    db.write_bytes(b"\0" * 4096)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    _open(window, qtbot, demo_workspace)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert list(demo_workspace.glob("workspace.damaged-*.sqlite"))


def test_window_geometry_is_remembered(qtbot, demo_workspace) -> None:
    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    size = (first.minimumSizeHint().width() + 7, 577)  # any size the test screen (800 wide) can hold
    first.resize(*size)
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == size


def test_cancelled_load_keeps_the_window_usable(window, qtbot, demo_workspace) -> None:
    index = demo_workspace / "index.sqlite"
    index.unlink()
    shutil.rmtree(demo_workspace / "backups")
    assert window.open_workspace(demo_workspace)
    window.loader.cancel()
    qtbot.waitUntil(lambda: not window.loader.is_running(), timeout=10_000)
    assert window.worklist.model.rowCount() <= len(list((demo_workspace / "cases").glob("*.appeal")))
    window.reload_worklist()
    expected = len(list((demo_workspace / "cases").glob("*.appeal")))
    qtbot.waitUntil(lambda: window.worklist.model.rowCount() == expected, timeout=10_000)


def test_a_first_window_opens_inside_the_screen(qtbot) -> None:
    """Issue 11, point 6 (in part): never taller or wider than the screen's free area."""
    main = MainWindow()
    qtbot.addWidget(main)
    main.show()
    room = main.screen().availableGeometry()
    assert main.width() <= room.width() and main.height() <= room.height()
    assert room.contains(main.geometry().topLeft())
