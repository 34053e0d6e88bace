"""The Deadlines tab: the payer's ladder with the current level, every computed date and how
it was computed, late filing, and recording what was sent and what the payer decided."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QInputDialog,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workstation.core.changes import Changes
from workstation.core.dates import parse_date
from workstation.core.deadlines import Deadline, DeadlineKind, Outcome, deadline_for, facts_of
from workstation.core.errors import UserError
from workstation.core.model import Case
from workstation.core.money import dollars, money
from workstation.core.payer_kinds import Ladder
from workstation.gui.widgets import FormDialog, plain_label
from workstation.ops.tracking import (
    METHODS,
    NeedsConfirmation,
    NothingSent,
    escalate,
    record_decision,
    record_submission,
)

if TYPE_CHECKING:
    from workstation.gui.case_view.view import CaseView

LATE_TEXT = ("This case is past its due date. The payer may still accept it with a good-cause explanation "
             "for the late filing: say why in the letter (the letter's good-cause section) and send it now.")


class SubmissionDialog(FormDialog):
    def __init__(self, parent: QWidget) -> None:
        super().__init__("Record what was sent", parent)
        self.sent = self.line("Date sent", "sent", date.today().isoformat())
        self.method = self.combo("Sent by", "method", [(m.capitalize(), m) for m in METHODS])
        self.tracking = self.line("Tracking / confirmation number", "tracking")


class DecisionDialog(FormDialog):
    def __init__(self, parent: QWidget) -> None:
        super().__init__("Record the payer's decision", parent)
        self.decided = self.line("Date of the decision", "decided", date.today().isoformat())
        self.outcome = self.combo("Outcome", "outcome", [(o.value.replace("_", " ").capitalize(), o.value)
                                                         for o in Outcome])
        self.recovered = self.line("Amount recovered", "recovered", "0.00")
        self.reference = self.line("Reference number", "reference")


class DeadlinesPanel(QWidget):
    def __init__(self, view: CaseView) -> None:
        super().__init__()
        self.view = view
        self.deadline: Deadline | None = None
        self.next_level: Deadline | None = None
        self.summary = plain_label()
        self.summary.setObjectName("deadline_summary")
        self.late = plain_label(LATE_TEXT)
        self.late.setObjectName("late_filing")
        self.late.setStyleSheet("background: #fdecea; color: #8c1d18; padding: 6px; border-radius: 4px;")
        self.ladder_table = QTableWidget(0, 4)
        self.ladder_table.setObjectName("ladder")
        self.ladder_table.setHorizontalHeaderLabels(["Level", "Window", "Counted from", "Decision in"])
        self.ladder_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.ladder_table.horizontalHeader().setStretchLastSection(True)
        self.history = plain_label()
        self.history.setObjectName("tracking_history")
        buttons = QHBoxLayout()
        self.submit_button = QPushButton("Record sending…")
        self.decision_button = QPushButton("Record decision…")
        self.escalate_button = QPushButton("Next level")
        for button, slot in ((self.submit_button, self.submission_dialog),
                             (self.decision_button, self.decision_dialog), (self.escalate_button, self.escalate)):
            button.clicked.connect(slot)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        for widget in (self.summary, self.late, self.ladder_table, self.history):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.dialog: FormDialog | None = None
        self.reason_dialog: QInputDialog | None = None

    def show_case(self, case: Case) -> None:
        ladder = self.view.ladder_for(case)
        self.deadline = deadline_for(facts_of(case), ladder, today=date.today(), buffer_days=self.view.buffer_days)
        self.summary.setText(_summary(self.deadline, ladder))
        self.late.setVisible(bool(self.deadline and self.deadline.late))
        current = self.deadline.level if self.deadline else None
        self.ladder_table.setRowCount(len(ladder.levels))
        for row, level in enumerate(ladder.levels):
            marker = "→ " if current == row + 1 else ""
            cells = (f"{marker}{row + 1}. {level.name}", level.window.describe(),
                     "the notice" if level.counts_from == "notice" else "the previous decision",
                     f"{level.decision_days} days" if level.decision_days else "")
            for column, text in enumerate(cells):
                self.ladder_table.setItem(row, column, QTableWidgetItem(text))
        self.ladder_table.resizeColumnsToContents()
        self.history.setText(_history(case))
        self.escalate_button.setVisible(bool(case.decisions) and Outcome(case.decisions[-1].outcome).adverse
                                        and self.deadline is not None and self.deadline.kind is DeadlineKind.APPEAL)

    # -- recording ---------------------------------------------------------------------------

    def submission_dialog(self) -> None:
        self.dialog = SubmissionDialog(self)
        self.dialog.accepted.connect(self._submit)
        self.dialog.open()

    def _submit(self) -> None:
        dialog, case_file = self.dialog, self.view.case_file
        assert isinstance(dialog, SubmissionDialog)
        if case_file is None:
            return
        try:
            sent = parse_date(dialog.sent.text()) or date.today()
        except UserError as error:
            self.view.say(str(error))
            return
        self.view.apply(lambda: record_submission(case_file, sent=sent, method=dialog.method.currentData(),
                                                  tracking=dialog.tracking.text(), actor=self.view.actor))

    def decision_dialog(self) -> None:
        self.dialog = DecisionDialog(self)
        self.dialog.accepted.connect(lambda: self._decide(confirmed=False))
        self.dialog.open()

    def _decide(self, *, confirmed: bool, reason: str = "") -> None:
        dialog, case_file, case = self.dialog, self.view.case_file, self.view.case
        assert isinstance(dialog, DecisionDialog)
        if case_file is None or case is None:
            return
        try:
            decided = parse_date(dialog.decided.text()) or date.today()
            recovered: Decimal = money(dialog.recovered.text())
        except UserError as error:
            self.view.say(str(error))
            return
        ladder = self.view.ladder_for(case)

        def decide() -> Changes:
            result = record_decision(case_file, ladder, decided=decided, outcome=Outcome(dialog.outcome.currentData()),
                                     recovered=recovered, reference=dialog.reference.text(), actor=self.view.actor,
                                     confirmed=confirmed, without_submission_reason=reason)
            self.next_level = result.next_level
            return result.changes

        self.view.apply(decide, refused=lambda error: self._decision_refused(error, confirmed, reason))

    def _decision_refused(self, error: UserError, confirmed: bool, reason: str) -> None:
        """A question the biller answers (a date before the sending, nothing sent), or a refusal."""
        if isinstance(error, NeedsConfirmation):
            self._confirm(str(error), reason)
        elif isinstance(error, NothingSent):
            self._ask_why_nothing_sent(str(error), confirmed)
        else:
            self.view.refused(error)

    def _confirm(self, question: str, reason: str = "") -> None:
        box = QMessageBox(QMessageBox.Icon.Question, "Check the date", question,
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel, self)
        box.accepted.connect(lambda: self._decide(confirmed=True, reason=reason))
        self.confirm_box = box
        box.open()

    def _ask_why_nothing_sent(self, question: str, confirmed: bool) -> None:
        """Nothing sent at this level: the decision is saved only with the biller's reason; Cancel saves nothing."""
        box = QInputDialog(self)
        box.setWindowTitle("Decided without a sending?")
        box.setLabelText(f"{question}\n\nWhy did the payer decide without one? (The reason goes into the notes.)")
        box.accepted.connect(lambda: self._why_given(confirmed))
        self.reason_dialog = box
        box.open()

    def _why_given(self, confirmed: bool) -> None:
        assert self.reason_dialog is not None
        reason = self.reason_dialog.textValue().strip()
        if reason:
            self._decide(confirmed=confirmed, reason=reason)
        else:
            self.view.say("Nothing recorded: give the reason the payer decided without a sending, or record "
                          "the sending first.")

    def escalate(self) -> None:
        case_file = self.view.case_file
        if case_file is not None and self.deadline is not None:
            deadline = self.deadline
            self.view.apply(lambda: escalate(case_file, deadline, actor=self.view.actor))


def _summary(deadline: Deadline | None, ladder: Ladder) -> str:
    if deadline is None:
        return "No deadline: the case is settled."
    if deadline.kind is DeadlineKind.FOLLOW_UP:
        return f"Waiting for the decision at level {deadline.level} ({deadline.level_name}). {deadline.basis}."
    if deadline.kind in (DeadlineKind.UNKNOWN, DeadlineKind.EXHAUSTED):
        return deadline.basis
    what = "Corrected claim" if deadline.kind is DeadlineKind.TIMELY_FILING else \
        f"Level {deadline.level}: {deadline.level_name} ({ladder.label})"
    left = f"{deadline.days_left} days left to send" if deadline.days_left >= 0 else \
        f"send-by date passed {-deadline.days_left} days ago"
    return f"{what}. Due {deadline.due.isoformat()}; send by {deadline.send_by.isoformat()} ({left}).\n" \
           f"How: {deadline.basis}."


def _history(case: Case) -> str:
    lines = [f"Sent {s.date.isoformat()} at level {s.level} by {s.method}" + (f" ({s.tracking})" if s.tracking else "")
             for s in case.submissions]
    lines += [f"Decided {d.date.isoformat()} at level {d.level}: {d.outcome.replace('_', ' ')}, "
              f"{dollars(d.amount_recovered)} recovered" + (f" (ref {d.reference})" if d.reference else "")
              for d in case.decisions]
    return "\n".join(sorted(lines)) or "Nothing sent yet."
