"""Issue 11, point 5: after a loss takes a case to the next level, the Letter tab offers that
level's letter (keeping the fields the biller typed) and says so."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from gui_clicks import POPUP_WARNINGS, choose, click, click_case, laptop_window
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

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


def _tab(qtbot, view, panel) -> None:
    bar = view.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(view.tabs.indexOf(panel)).center())
    assert view.tabs.currentWidget() is panel


@pytest.mark.qt_log_ignore(*POPUP_WARNINGS)
def test_typed_then_lost_and_the_next_level_in_the_window(qtbot, demo_workspace: Path) -> None:
    """As a biller does it at 1366x768: a field typed in the Letter tab, the appeal sent, lost and
    taken to the next level with the Deadlines tab's buttons; the Letter tab then holds the next
    level's letter, and the field as typed."""
    window = laptop_window(qtbot, demo_workspace)
    path = _medicare_case_at_level_one(demo_workspace)
    click_case(qtbot, window, path)
    view = window.case_view
    panel = view.letter
    _tab(qtbot, view, panel)
    assert panel.draft is not None and panel.draft.context["level"]["number"] == 1
    assert panel.draft.template.id != "medicare_reconsideration"
    summary = panel.field_edits["additional_argument"]  # every template offers it
    qtbot.mouseClick(summary.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClick(summary, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # over what was there
    qtbot.keyClicks(summary, "Typed by the biller before the loss.")
    assert summary.text() == "Typed by the biller before the loss."

    deadlines = view.deadlines
    _tab(qtbot, view, deadlines)
    click(qtbot, deadlines.submit_button)
    click(qtbot, deadlines.dialog.buttons.button(QDialogButtonBox.StandardButton.Save))
    assert view.case.status.value == "submitted"
    click(qtbot, deadlines.decision_button)
    choose(qtbot, deadlines.dialog.outcome, "lost")
    click(qtbot, deadlines.dialog.buttons.button(QDialogButtonBox.StandardButton.Save))
    assert view.case.status.value == "lost"
    click(qtbot, deadlines.escalate_button)
    assert view.case.status.value == "in_review"
    assert "now at appeal level 2" in view.banner.text()

    _tab(qtbot, view, panel)
    assert panel.draft.template.id == "medicare_reconsideration"
    assert panel.draft.context["level"]["number"] == 2
    assert panel.template.currentData() == "medicare_reconsideration"
    assert panel.field_edits["additional_argument"].text() == "Typed by the biller before the loss."
    assert "Typed by the biller before the loss." in panel.text.toPlainText()
