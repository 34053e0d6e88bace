"""The worklist's rows read with their deadlines in one pass (ops.deadlines.rows_with_deadlines,
used at start-up) are exactly the rows read first and given their deadlines afterwards."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from workstation.casefile.workspace import Workspace
from workstation.ops.deadlines import rows_with_deadlines, with_deadlines
from workstation.ops.workspaces import load_worklist


def test_one_pass_gives_the_same_rows_and_deadlines(demo_workspace: Path) -> None:
    today = date(2026, 11, 30)
    with Workspace.open(demo_workspace) as workspace:
        workspace.index.rescan()
        once = rows_with_deadlines(workspace, today=today)
        twice = with_deadlines(workspace, workspace.index.rows(), today=today)
    assert once == twice
    assert sum(1 for r in once if r.deadline is not None) > 10  # the demo has open cases with dates
    assert any(r.deadline is None and r.facts is not None for r in once)  # and settled ones


def test_the_window_loads_every_case_with_its_deadline(demo_workspace: Path) -> None:
    rows = load_worklist(demo_workspace)
    assert len(rows) == len(list((demo_workspace / "cases").glob("*.appeal")))
    with Workspace.open(demo_workspace) as workspace:
        assert rows == with_deadlines(workspace, workspace.index.rows())
