"""Issue 11, point 1: a change made by another program (the command line, say) while the window
is open shows in the case's row once the window hears of it (every action of the window itself
is driven in test_stale_worklist.py)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt

from workstation.casefile.case_file import CaseFile
from workstation.gui.worklist_model import SUMMARY_ROLE

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_stale_worklist import _window_on_a_new_appeal


def test_the_row_follows_a_change_made_by_another_program(qtbot, demo_workspace: Path) -> None:
    window, path = _window_on_a_new_appeal(qtbot, demo_workspace)
    with CaseFile.open(path) as other:
        other.set_field("case.assignee", "lee", actor="lee")
    window.case_changed(path)
    model = window.worklist.model
    assert model.index(model.row_of(path), 0).data(SUMMARY_ROLE).assignee == "lee"
    assert model.index(model.row_of(path), 0).data(Qt.ItemDataRole.DisplayRole)
