"""Deadlines in the window: colours and order in the worklist, recording what was sent and
decided, escalation, and a payer's ladder edited in the directory."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from gui_clicks import POPUP_WARNINGS, choose, click, click_case, laptop_window, rows
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QInputDialog, QLineEdit

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.core.deadlines import DeadlineFacts, deadline_for
from workstation.core.payer_kinds import default_ladders
from workstation.core.summary import CaseSummary
from workstation.core.vocabulary import PayerKind, Route, Status
from workstation.gui.case_view import CaseView
from workstation.gui.payers_dialog import PayersDialog
from workstation.gui.worklist_model import COLUMNS, DAYS_LEFT_COLUMN, URGENCY_COLUMN, WorklistModel

TODAY = date.today()


def _row(name: str, notice: date | None, amount: str, status: Status = Status.NEW) -> CaseSummary:
    facts = DeadlineFacts(status, Route.APPEAL, notice, notice, notice)
    deadline = deadline_for(facts, default_ladders()[PayerKind.COMMERCIAL], today=TODAY)  # 90 days, send 10 early
    return CaseSummary(path=Path(f"/ws/cases/{name}.appeal"), case_id=name, patient=name, status=status.value,
                       amount_at_stake=Decimal(amount), facts=facts, deadline=deadline)


def test_days_left_are_coloured_and_urgent_cases_sort_first(qtmodeltester) -> None:
    # send_by = notice + 90 - 10 = notice + 80 days, so days_left = 80 - (today - notice)
    rows = [_row("later", TODAY - timedelta(days=10), "100.00"),      # 70 days left: no colour
            _row("overdue", TODAY - timedelta(days=85), "50.00"),     # -5: red
            _row("week", TODAY - timedelta(days=75), "20.00"),        # 5: orange
            _row("month", TODAY - timedelta(days=60), "900.00"),      # 20: yellow
            _row("no date", None, "10.00"),                           # unknown: red, first
            _row("won", TODAY - timedelta(days=85), "0.00", Status.WON)]
    model = WorklistModel(rows)
    qtmodeltester.check(model)
    colour = {r.patient: model.index(i, DAYS_LEFT_COLUMN).data(Qt.ItemDataRole.BackgroundRole)
              for i, r in enumerate(model.rows())}
    assert colour["overdue"].color().name() == "#f8d7da" and colour["no date"].color().name() == "#f8d7da"
    assert colour["week"].color().name() == "#ffe0b2" and colour["month"].color().name() == "#fff8c4"
    assert colour["later"] is None and colour["won"] is None
    model.sort(URGENCY_COLUMN, Qt.SortOrder.DescendingOrder)
    order = [r.patient for r in model.rows()]
    assert order[:2] == ["no date", "overdue"] and order[-1] == "won"
    assert order.index("month") < order.index("later")  # $900 with 20 days beats $100 with 70
    tip = model.headerData(URGENCY_COLUMN, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "dollars at stake divided by the days left" in tip
    assert COLUMNS[DAYS_LEFT_COLUMN].title == "Days left"


@pytest.fixture
def view(qtbot, tmp_path: Path, make_case) -> CaseView:
    case = make_case(status=Status.READY_TO_SEND, submissions=[], decisions=[])
    path = CaseFile.create(tmp_path / "2026-03-abcdef01.appeal", case)
    widget = CaseView(actor="dana")
    qtbot.addWidget(widget)
    widget.open_case(path)
    return widget


def test_recording_a_submission_then_a_loss_offers_the_next_level(qtbot, view) -> None:
    panel = view.deadlines
    assert "Level 1: redetermination" in panel.summary.text()  # a Medicare case
    panel.submission_dialog()
    panel.dialog.sent.setText((TODAY - timedelta(days=3)).isoformat())
    panel.dialog.method.setCurrentIndex(panel.dialog.method.findData("fax"))
    panel.dialog.tracking.setText("FAX-778")
    panel.dialog.accept()
    assert view.case.status is Status.SUBMITTED
    assert "Waiting for the decision at level 1" in panel.summary.text()
    panel.decision_dialog()
    panel.dialog.decided.setText(TODAY.isoformat())
    panel.dialog.outcome.setCurrentIndex(panel.dialog.outcome.findData("lost"))
    panel.dialog.reference.setText("DEC-1")
    panel.dialog.accept()
    assert view.case.status is Status.LOST
    assert panel.next_level is not None and panel.next_level.level == 2
    assert "Level 2: reconsideration" in panel.summary.text()
    assert panel.escalate_button.isVisibleTo(panel)
    panel.escalate()
    assert view.case.status is Status.IN_REVIEW
    assert "Escalated to level 2 (reconsideration)" in view.case.notes[-1].text


def test_a_decision_before_the_submission_is_questioned(qtbot, view) -> None:
    panel = view.deadlines
    panel.submission_dialog()
    panel.dialog.sent.setText(TODAY.isoformat())
    panel.dialog.accept()
    panel.decision_dialog()
    panel.dialog.decided.setText((TODAY - timedelta(days=30)).isoformat())
    panel.dialog.outcome.setCurrentIndex(panel.dialog.outcome.findData("won"))
    panel.dialog.recovered.setText("120.00")
    panel.dialog.accept()
    assert view.case.decisions == [] and panel.confirm_box.isVisible()
    panel.confirm_box.accept()
    assert view.case.status is Status.WON and view.case.recovered == Decimal("130.00")  # 10.00 recovered before


def _decide_lost_with_nothing_sent(panel) -> None:
    panel.decision_dialog()
    panel.dialog.decided.setText(TODAY.isoformat())
    panel.dialog.outcome.setCurrentIndex(panel.dialog.outcome.findData("lost"))
    panel.dialog.accept()


def test_a_decision_with_nothing_sent_asks_and_cancel_records_nothing(qtbot, view) -> None:
    # Issue 11.3: a loss with nothing sent moved the case to level 2 with a deadline counted from today.
    panel = view.deadlines
    revision = view.case_file.revision()
    _decide_lost_with_nothing_sent(panel)
    box = panel.reason_dialog
    assert box is not None and box.isVisible()
    assert "No appeal was recorded as sent at level 1 (redetermination)" in box.labelText()
    box.reject()
    assert view.case_file.revision() == revision
    assert view.case.decisions == [] and view.case.status is Status.READY_TO_SEND
    assert panel.next_level is None and "Level 1: redetermination" in panel.summary.text()
    _decide_lost_with_nothing_sent(panel)
    panel.reason_dialog.setTextValue("   ")  # no reason given: still nothing recorded
    panel.reason_dialog.accept()
    assert view.case_file.revision() == revision and view.case.decisions == []
    assert "Nothing recorded" in view.banner.text()


def test_a_decision_with_nothing_sent_is_saved_with_the_reason_given(qtbot, view) -> None:
    panel = view.deadlines
    _decide_lost_with_nothing_sent(panel)
    panel.reason_dialog.setTextValue("Payer reopened the claim on its own")
    panel.reason_dialog.accept()
    assert view.case.status is Status.LOST
    assert [(d.level, d.outcome) for d in view.case.decisions] == [(1, "lost")]
    assert view.case.notes[-1].text.endswith("nothing sent at that level: Payer reopened the claim on its own")
    assert panel.next_level is not None and panel.next_level.level == 2


def test_a_payers_ladder_edited_into_nonsense_is_refused(qtbot, tmp_path: Path) -> None:
    workspace = Workspace.create(tmp_path / "ws")
    from workstation.core.workspace_model import PayerEntry

    workspace.add_payer(PayerEntry("Bluebird & Co", PayerKind.COMMERCIAL, ["77"]))
    dialog = PayersDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.levels.item(0, 1).setText("-5")
    dialog.save()
    assert "needs a window of more than zero days" in dialog.problem.text()
    assert workspace.payers()[0].ladder is None  # nothing saved
    dialog.levels.item(0, 1).setText("120")
    dialog.save()
    assert workspace.payers()[0].ladder.levels[0].window.days == 120
    workspace.close()


@pytest.mark.qt_log_ignore(*POPUP_WARNINGS)
def test_a_loss_with_nothing_sent_asks_in_the_window_and_cancel_records_nothing(qtbot, demo_workspace: Path) -> None:
    """Issue 11, point 3, as a biller does it at 1366x768: Record decision…, Lost, Save on a case
    with nothing sent; the question names what is missing; Cancel leaves the case as it was, a
    reason typed records the loss with it."""
    window = laptop_window(qtbot, demo_workspace)
    summary = next(r for r in rows(window) if r.status == "new" and r.route == "appeal")
    click_case(qtbot, window, summary.path)
    view = window.case_view
    panel = view.deadlines
    bar = view.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(view.tabs.indexOf(panel)).center())
    assert view.tabs.currentWidget() is panel and view.case.submissions == []
    revision = view.case_file.revision()

    def lost_with_nothing_sent() -> QInputDialog:
        click(qtbot, panel.decision_button)
        choose(qtbot, panel.dialog.outcome, "lost")
        click(qtbot, panel.dialog.buttons.button(QDialogButtonBox.StandardButton.Save))
        box = panel.reason_dialog
        assert box is not None and box.isVisible()
        assert "No appeal was recorded as sent at level 1" in box.labelText()
        return box

    box = lost_with_nothing_sent()
    click(qtbot, box.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel))
    assert not box.isVisible()
    assert view.case_file.revision() == revision and view.case.decisions == []
    assert view.case.status is Status.NEW
    assert next(r for r in rows(window) if r.path == summary.path).status == "new"  # the row too

    box = lost_with_nothing_sent()
    qtbot.keyClicks(box.findChild(QLineEdit), "Payer reopened the claim on its own")
    click(qtbot, box.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok))
    assert view.case.status is Status.LOST
    assert [(d.level, d.outcome) for d in view.case.decisions] == [(1, "lost")]
    assert view.case.notes[-1].text.endswith("nothing sent at that level: Payer reopened the claim on its own")
    assert next(r for r in rows(window) if r.path == summary.path).status == "lost"
