"""Issue 12.5 in the window: a case whose last change a crash interrupted opens with the
sentence saying that change was undone, above the case."""

from __future__ import annotations

import sys
from pathlib import Path

from workstation.casefile.case_file import CaseFile
from workstation.gui.case_view import CaseView

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "casefile"))
from test_interrupted import crash_mid_change


def test_the_case_view_says_the_last_change_was_undone(qtbot, tmp_path: Path, make_case) -> None:
    path = CaseFile.create(tmp_path / "2026-03-abcdef01.appeal", make_case())
    crash_mid_change(path)
    view = CaseView(actor="dana")
    qtbot.addWidget(view)
    view.open_case(path)
    assert view.warnings.isVisibleTo(view)
    assert "interrupted" in view.warnings.text() and "has been undone" in view.warnings.text()
    view.commit("patient.group_number", "G-2")  # the next change: the notice has done its work
    assert not view.warnings.isVisibleTo(view)
