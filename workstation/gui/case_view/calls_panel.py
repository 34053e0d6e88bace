"""The Calls tab and the call dialog: billers live on the phone, so logging a call is one
keyboard-only form (Ctrl+L opens it, Tab moves, Enter saves)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workstation.core.dates import parse_date
from workstation.core.errors import UserError
from workstation.core.model import CallRecord, Case
from workstation.gui.widgets import FormDialog
from workstation.ops.review import log_call

if TYPE_CHECKING:
    from workstation.gui.case_view.view import CaseView


class CallDialog(FormDialog):
    """Who was called, what was said, what happens next. `call` holds the result."""

    def __init__(self, payer: str, payer_phone: str, parent: QWidget | None = None) -> None:
        super().__init__("Log a call", parent)
        self.call: CallRecord | None = None
        self.when = self.line("When", "when", datetime.now().strftime("%Y-%m-%d %H:%M"))
        self.party = self.line("Called *", "party", payer)
        self.department = self.line("Department", "department")
        self.person = self.line("Person", "person")
        self.phone = self.line("Phone", "phone", payer_phone)
        self.reference = self.line("Reference number", "reference")
        self.summary = QPlainTextEdit()
        self.summary.setObjectName("summary")
        self.summary.setTabChangesFocus(True)
        self.form.addRow("What was said", self.summary)
        self.follow_up = self.line("Follow up on", "follow_up", placeholder="YYYY-MM-DD or MM/DD/YYYY")
        self.party.setFocus()

    def validate(self) -> None:
        if not self.party.text().strip():
            raise UserError("Say who was called (the payer or office).")
        self.call = CallRecord(
            at=_when(self.when.text()), party=self.party.text().strip(), department=self.department.text().strip(),
            person=self.person.text().strip(), phone=self.phone.text().strip(),
            reference=self.reference.text().strip(), summary=self.summary.toPlainText().strip(),
            follow_up=parse_date(self.follow_up.text()))


def _when(text: str) -> datetime:
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        day = parse_date(text)
        if day is None:
            return datetime.now().replace(second=0, microsecond=0)
        return datetime.combine(day, datetime.min.time())


class CallsPanel(QWidget):
    def __init__(self, view: CaseView) -> None:
        super().__init__()
        self.view = view
        self.case: Case | None = None
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("calls_table")
        self.table.setHorizontalHeaderLabels(["When", "Called", "Person", "Reference", "What was said", "Follow up"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.log_button = QPushButton("Log a call… (Ctrl+L)")
        self.log_button.setObjectName("log_call")
        self.log_button.setShortcut("Ctrl+L")
        self.log_button.clicked.connect(self.open_dialog)
        layout = QVBoxLayout(self)
        layout.addWidget(self.log_button)
        layout.addWidget(self.table, 1)
        self.dialog: CallDialog | None = None
        self.shown_calls: list[CallRecord] = []
        self.call_box: QMessageBox | None = None
        # a double-click or Enter, as the platform activates a row (a double-click also emits
        # cellDoubleClicked: connected too, it opened the call twice)
        self.table.activated.connect(lambda index: self.open_call(index.row()))

    def show_case(self, case: Case) -> None:
        self.case = case
        calls = sorted(case.calls, key=lambda c: c.at, reverse=True)
        self.table.setRowCount(len(calls))
        for row, call in enumerate(calls):
            who = " / ".join(p for p in (call.party, call.department) if p)
            cells = (f"{call.at:%Y-%m-%d %H:%M}", who, call.person, call.reference, call.summary,
                     str(call.follow_up or ""))
            details = call_details(call)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(details)  # the whole call, however narrow the column
                self.table.setItem(row, column, item)
        self.shown_calls = calls

    def open_call(self, row: int) -> None:
        """The whole call, in a box of its own (double-click or Enter on a row)."""
        if not 0 <= row < len(self.shown_calls):
            return
        if self.call_box is not None:  # one call open at a time
            self.call_box.close()
            self.call_box.deleteLater()
        box = QMessageBox(QMessageBox.Icon.NoIcon, "Call", "", QMessageBox.StandardButton.Close, self)
        box.setTextFormat(Qt.TextFormat.PlainText)  # "<" and "&" in a summary are text, never markup
        box.setText(call_details(self.shown_calls[row]))
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # a reference can be copied
        self.call_box = box
        box.open()

    def open_dialog(self) -> None:
        if self.case is None or self.view.case_file is None:
            return
        self.dialog = CallDialog(self.case.payer.name, self.case.payer.phone, self)
        self.dialog.accepted.connect(self._save)
        self.dialog.open()

    def _save(self) -> None:
        assert self.dialog is not None and self.dialog.call is not None
        call, case_file = self.dialog.call, self.view.case_file
        if case_file is not None:
            self.view.apply(lambda: log_call(case_file, call, actor=self.view.actor))


def call_details(call: CallRecord) -> str:
    """Every field of a call on its own line, as a biller reads it back."""
    rows = (
        ("When", f"{call.at:%Y-%m-%d %H:%M}"),
        ("Called", " / ".join(p for p in (call.party, call.department) if p)),
        ("Person", call.person),
        ("Phone", call.phone),
        ("Reference", call.reference),
        ("What was said", call.summary),
        ("Follow up", str(call.follow_up or "")),
        ("Logged by", call.by),
    )
    return "\n".join(f"{label}: {value}" for label, value in rows if value)
