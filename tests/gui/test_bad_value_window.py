"""The window on a workspace where one case holds a bad value (issue 12.4): it loads, the case is a
red row saying which table and column cannot be read, and every other case opens and edits."""

from __future__ import annotations

import contextlib
import sqlite3

import pytest
from PySide6.QtCore import Qt

from workstation.casefile.case_file import CaseFile
from workstation.gui.main_window import MainWindow
from workstation.gui.worklist_model import COLUMNS


@pytest.fixture
def window(qtbot) -> MainWindow:
    main = MainWindow()
    qtbot.addWidget(main)
    main.show()
    return main


@pytest.mark.parametrize(("table", "column", "value"), [
    ("claim", "billed", "abc"), ("adjustments", "amount", "1E999999"), ("case_info", "status", "bogus"),
])
def test_the_bad_case_is_a_red_row_and_the_others_work(window, qtbot, demo_workspace, table, column,
                                                       value) -> None:
    victim, other = sorted((demo_workspace / "cases").glob("*.appeal"))[:2]
    with contextlib.closing(sqlite3.connect(victim, isolation_level=None)) as conn:
        conn.execute(f"UPDATE {table} SET {column} = ?", (value,))
    count = len(list((demo_workspace / "cases").glob("*.appeal")))
    assert window.open_workspace(demo_workspace)
    model = window.worklist.model
    qtbot.waitUntil(lambda: model.rowCount() == count, timeout=10_000)

    where = f"the column {column} of the table {table}"
    problems = {r.path.name: r.problem for r in model.rows() if r.problem}
    assert list(problems) == [victim.name] and where in problems[victim.name]
    row = model.row_of(victim)
    assert model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole).color().name() == "#b3261e"
    reason = next(i for i, c in enumerate(COLUMNS) if c.title == "Denial reason")
    assert where in model.index(row, reason).data()

    window.worklist.select_path(victim)
    qtbot.waitUntil(lambda: window.case_view.title.text() == "This case cannot be opened")
    assert where in window.case_view.subtitle.text()

    window.worklist.select_path(other)
    qtbot.waitUntil(lambda: window.case_view.case is not None and window.case_view.case_file.path == other)
    assert window.case_view.tabs.isEnabled()
    window.case_view.commit("patient.group_number", "AFTER-DAMAGE")
    with CaseFile.open(other, read_only=True) as case_file:
        assert case_file.load().patient.group_number == "AFTER-DAMAGE"
    assert model.rows()[model.row_of(other)].problem == ""
