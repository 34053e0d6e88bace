"""A case that gets no letter (every level of its payer's ladder used) shows why, and nothing of
the case shown before it: that letter named another patient."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from workstation.casefile.case_file import CaseFile
from workstation.core.deadlines import DeadlineKind, Outcome
from workstation.gui.case_view import CaseView
from workstation.ops.letters import letter_setting
from workstation.ops.tracking import record_decision, record_submission


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


def _one_level_appeal(workspace: Path) -> Path:
    """An open appeal at the only level of its payer's ladder (the demo's Medicare Advantage plan)."""
    for path in sorted((workspace / "cases").glob("*.appeal")):
        with CaseFile.open(path, read_only=True) as case_file:
            case = case_file.load()
        setting = letter_setting(path, case)
        if (case.route and case.route.value == "appeal" and case.status.value in ("new", "in_review")
                and setting.deadline is not None and setting.deadline.kind is DeadlineKind.APPEAL
                and len(setting.ladder.levels) == 1):
            return path
    raise AssertionError("the demo has no open appeal on a one-level ladder")


def test_a_loss_at_the_last_level_takes_the_letter_of_the_decided_level_away(qtbot, demo_workspace: Path) -> None:
    view = CaseView(actor="dana")
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    view.open_case(_one_level_appeal(demo_workspace))
    view.tabs.setCurrentWidget(view.letter)
    panel = view.letter
    assert panel.draft is not None and panel.text.toPlainText().strip()
    case_file, ladder = view.case_file, panel.setting.ladder
    assert view.apply(lambda: record_submission(case_file, sent=date.today() - timedelta(days=20), method="mail",
                                                actor="dana"))
    assert view.apply(lambda: record_decision(case_file, ladder, decided=date.today() - timedelta(days=1),
                                              outcome=Outcome.LOST, actor="dana", confirmed=True).changes)
    assert panel.draft is None  # the level-1 letter is no longer one to print
    assert "every level" in panel.missing.text() and panel.text.toPlainText().strip() == ""
