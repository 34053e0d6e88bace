"""Every row selected must not make the worklist's header slow to paint: Qt's header asks, for its
highlight, whether each column is wholly selected, row by row, through the table's selection
(0.13 s a repaint with 10,000 rows selected, and seconds while a worker thread held Python's lock).
The header has a selection of its own, always empty; it still sorts when clicked."""

from __future__ import annotations

from pathlib import Path

from gui_clicks import laptop_window
from PySide6.QtCore import QPoint, Qt


def test_ctrl_a_leaves_the_header_without_a_selection_and_a_header_click_still_sorts(qtbot, demo_workspace: Path):
    window = laptop_window(qtbot, demo_workspace)
    view = window.worklist
    table, header = view.table, view.table.horizontalHeader()
    qtbot.keyClick(table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(view.selected_rows()) == view.proxy.rowCount() > 1
    assert table.selectionModel().hasSelection()
    assert header.selectionModel() is not table.selectionModel()
    assert not header.selectionModel().hasSelection()
    patient = next(c for c in range(header.count()) if view.model.headerData(c, Qt.Orientation.Horizontal) == "Patient")
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(patient) + 5, 5))
    assert header.sortIndicatorSection() == patient
    names = [view.model.row_at(view.proxy.mapToSource(view.proxy.index(i, 0)).row()).patient
             for i in range(view.proxy.rowCount())]
    assert names == sorted(names) or names == sorted(names, reverse=True)
