"""Issue 11, point 5: after a loss takes a case to the next level, the Letter tab offers that
level's letter (keeping the fields the biller typed) and says so."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from workstation.casefile.case_file import CaseFile
from workstation.core.deadlines import Outcome
from workstation.gui.case_view import CaseView
from workstation.ops.letters import letter_setting
from workstation.ops.tracking import record_decision, record_submission


def _medicare_case_at_level_one(workspace: Path) -> Path:
    for path in sorted((workspace / "cases").glob("*.appeal")):
        with CaseFile.open(path, read_only=True) as case_file:
            case = case_file.load()
        if case.payer.kind.value != "medicare" or not case.route or case.route.value != "appeal" \
                or case.status.value not in ("new", "in_review"):
            continue
        setting = letter_setting(path, case)
        if setting.deadline is not None and setting.deadline.level == 1 and setting.deadline.kind.value == "appeal":
            return path
    raise AssertionError("the demo has no open Medicare appeal at level 1")


def test_a_lost_redetermination_turns_the_letter_into_a_reconsideration(qtbot, demo_workspace: Path) -> None:
    view = CaseView(actor="dana")
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    view.open_case(_medicare_case_at_level_one(demo_workspace))
    view.tabs.setCurrentWidget(view.letter)
    panel = view.letter
    assert panel.draft is not None and panel.draft.context["level"]["number"] == 1
    assert panel.draft.template.id != "medicare_reconsideration"
    panel._typed["clinical_summary"] = "Typed by the biller before the loss."  # a field the biller typed
    case_file = view.case_file
    sent = date.today() - timedelta(days=30)
    assert view.apply(lambda: record_submission(case_file, sent=sent, method="mail", actor="dana"))
    ladder = panel.setting.ladder
    assert view.apply(lambda: record_decision(case_file, ladder, decided=date.today() - timedelta(days=2),
                                              outcome=Outcome.LOST, actor="dana", confirmed=True).changes)
    assert panel.draft.template.id == "medicare_reconsideration"
    assert panel.draft.context["level"]["number"] == 2
    assert panel.fields()["clinical_summary"] == "Typed by the biller before the loss."
    assert "now at appeal level 2" in view.banner.text()
