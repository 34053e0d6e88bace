"""A payer directory entry that cannot be read is left out (issue 12, point 4); the window says so
after loading the worklist, as the command line does, since its cases' deadlines then follow their
payer kind's usual ladder."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from gui_clicks import laptop_window

from workstation.ops.payers import forget_left_out


def test_the_window_says_a_payer_entry_was_left_out(qtbot, demo_workspace: Path, tmp_path: Path) -> None:
    forget_left_out()
    root = tmp_path / "ws"
    shutil.copytree(demo_workspace, root)
    with sqlite3.connect(root / "workspace.sqlite") as conn:
        conn.execute("UPDATE payers SET kind = 'bogus' WHERE id = (SELECT min(id) FROM payers)")
    conn.close()
    window = laptop_window(qtbot, root)
    strip = window.worklist.bulk.report.strip
    qtbot.waitUntil(lambda: strip.kind == "warning")
    assert strip.text().startswith("An entry of the workspace's payer directory could not be read and was left out")
    assert window.worklist.model.rowCount() > 0  # the rest works


def test_a_sound_directory_says_nothing(qtbot, demo_workspace: Path) -> None:
    forget_left_out()
    window = laptop_window(qtbot, demo_workspace)
    assert window.worklist.bulk.report.strip.kind != "warning"
