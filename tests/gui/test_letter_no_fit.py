"""A case that gets no letter (every level of its payer's ladder used) shows why, and nothing of
the case shown before it: that letter named another patient."""

from __future__ import annotations

from pathlib import Path

from workstation.casefile.case_file import CaseFile
from workstation.core.deadlines import DeadlineKind
from workstation.gui.case_view import CaseView
from workstation.ops.letters import letter_setting


def _cases(workspace: Path) -> tuple[Path, Path, str]:
    """A case whose letter builds, one whose ladder is used up, and the first one's patient."""
    with_letter = exhausted = None
    for path in sorted((workspace / "cases").glob("*.appeal")):
        with CaseFile.open(path, read_only=True) as case_file:
            case = case_file.load()
        deadline = letter_setting(path, case).deadline
        kind = deadline.kind if deadline is not None else None
        if kind is DeadlineKind.EXHAUSTED and exhausted is None:
            exhausted = path
        elif kind is DeadlineKind.APPEAL and case.route and case.route.value == "appeal" and with_letter is None:
            with_letter, last_name = path, case.patient.last_name
    assert with_letter and exhausted, "the demo has an appeal at a level and a case past its ladder's last"
    return with_letter, exhausted, last_name


def test_a_case_past_its_ladder_shows_why_and_no_other_case_s_letter(qtbot, demo_workspace: Path) -> None:
    first, used_up, patient = _cases(demo_workspace)
    view = CaseView(actor="dana")
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    view.open_case(first)
    view.tabs.setCurrentWidget(view.letter)
    panel = view.letter
    assert panel.draft is not None and patient.split("'")[-1].title() in panel.text.toPlainText().title()
    view.open_case(used_up)
    assert panel.draft is None  # nothing to save, print or put in a packet
    assert "every level" in panel.missing.text()
    assert panel.text.toPlainText().strip() == ""
    assert not panel.field_edits
    assert "every level" in panel.preview.message.text()
