"""The import summary: what was read, what became cases, what was refused and why."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workstation.core.money import dollars
from workstation.core.summary import CaseSummary
from workstation.gui.widgets import plain_label
from workstation.ops.import_summary import ClaimWithoutCase, ImportSummary

OpenByHand = Callable[[ClaimWithoutCase], Path | None]


class ImportSummaryDialog(QDialog):
    """Shows an ImportSummary; `open_by_hand` opens an inquiry case on a selected claim."""

    def __init__(self, summary: ImportSummary, open_by_hand: OpenByHand, parent: QWidget | None = None,
                 open_case: Callable[[Path], object] | None = None) -> None:
        super().__init__(parent)
        self.open_case = open_case
        self.setWindowTitle("Import summary")
        self.resize(820, 560)
        self.summary, self.open_by_hand = summary, open_by_hand
        layout = QVBoxLayout(self)
        self.text = plain_label("\n".join(summary.lines()))
        self.text.setObjectName("summary_text")
        layout.addWidget(self.text)
        self.problems = plain_label("\n".join(summary.error_lines()))
        self.problems.setObjectName("summary_problems")
        self.problems.setStyleSheet("color: #8c1d18;")
        self.problems.setVisible(bool(summary.errors))
        layout.addWidget(self.problems)
        layout.addWidget(QLabel("Cases created (double-click one to open it):"))
        self.created = self._created_table(summary.created_rows)
        layout.addWidget(self.created, 1)
        layout.addWidget(QLabel("Claims read without a case (open one by hand, e.g. for an underpayment):"))
        self.claims = self._claims_table(summary.without_case)
        layout.addWidget(self.claims, 1)
        self.open_button = QPushButton("Open an inquiry case for the selected claim")
        self.open_button.setObjectName("open_by_hand")
        self.open_button.clicked.connect(self._open_selected)
        layout.addWidget(self.open_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _created_table(self, rows: list[CaseSummary]) -> QTableWidget:
        table = QTableWidget(len(rows), 5)
        table.setObjectName("cases_created")
        table.setHorizontalHeaderLabels(["Patient", "Account", "Claim number", "At stake", "Reason"])
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for row, case in enumerate(rows):
            cells = [case.patient, case.account_number, case.claim_number, dollars(case.amount_at_stake),
                     case.reason_text]
            for column, text in enumerate(cells):
                table.setItem(row, column, QTableWidgetItem(text))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        table.cellDoubleClicked.connect(lambda row, _column: self._open_created(row))
        return table

    def _open_created(self, row: int) -> None:
        if self.open_case is not None and 0 <= row < len(self.summary.created_rows):
            self.open_case(self.summary.created_rows[row].path)

    def _claims_table(self, items: list[ClaimWithoutCase]) -> QTableWidget:
        table = QTableWidget(len(items), 6)
        table.setObjectName("claims_without_case")
        table.setHorizontalHeaderLabels(["Patient", "Account", "Claim number", "Billed", "Paid", "Why no case"])
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for row, item in enumerate(items):
            claim = item.claim
            cells = [claim.patient.display_name, claim.account_number, claim.payer_claim_number,
                     dollars(claim.billed), dollars(claim.paid), item.why]
            for column, text in enumerate(cells):
                table.setItem(row, column, QTableWidgetItem(text))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        return table

    def _open_selected(self) -> None:
        row = self.claims.currentRow()
        if row < 0:
            return
        if self.open_by_hand(self.summary.without_case[row]) is not None:
            self.claims.item(row, 5).setText("Case opened by hand")
