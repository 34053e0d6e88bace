"""Settings > Payers: the payer directory with each payer's appeal ladder."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workstation.core.errors import UserError
from workstation.core.model import Address
from workstation.core.payer_kinds import AppealLevel, Ladder, Window, default_ladders
from workstation.core.vocabulary import PayerKind
from workstation.core.workspace_model import PayerEntry
from workstation.gui.widgets import plain_label
from workstation.ops.payers import save_payer

if TYPE_CHECKING:
    from workstation.casefile.workspace import Workspace

LEVEL_HEADERS = ["Level name", "Window days", "Window months", "Counts from", "Decision days",
                 "Send to (lines separated by /; empty = the payer's appeals address)"]


#: Whether the practice is contracted with the plan, as the payer form offers it.
CONTRACTED_CHOICES = (("Not said yet", ""), ("Contracted (in network)", "yes"), ("Not contracted", "no"))

class PayersDialog(QDialog):
    """Pick a payer on the left, edit it on the right, Save writes it (ladder checked first)."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Payers and appeal ladders")
        self.resize(900, 560)
        self.workspace = workspace
        self.payers = workspace.payers()
        self.list = QListWidget()
        self.list.setObjectName("payer_list")
        self.list.currentRowChanged.connect(self._show)
        self.problem = plain_label()
        self.problem.setObjectName("payer_problem")
        self.problem.setStyleSheet("color: #8c1d18;")
        editor = QWidget()
        column = QVBoxLayout(editor)
        column.addLayout(self._form())
        column.addWidget(self._ladder_box(), 1)
        column.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)
        layout = QHBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(editor, 3)
        self._refill()

    def _form(self) -> QFormLayout:
        form = QFormLayout()
        self.name, self.ids, self.line1, self.line2 = QLineEdit(), QLineEdit(), QLineEdit(), QLineEdit()
        self.city, self.state, self.zip = QLineEdit(), QLineEdit(), QLineEdit()
        self.phone, self.fax, self.portal, self.medicaid_state = QLineEdit(), QLineEdit(), QLineEdit(), QLineEdit()
        self.kind = QComboBox()
        for kind, ladder in default_ladders().items():
            self.kind.addItem(ladder.label, kind.value)
        self.needs_check = QCheckBox("Check this payer's settings (guessed from a remittance)")
        self.contracted = QComboBox()
        for text, value in CONTRACTED_CHOICES:
            self.contracted.addItem(text, value)
        self.contracted.setToolTip("Letters say in what capacity the practice writes; a Medicare Advantage plan "
                                   "dismisses a non-contracted provider's appeal without a waiver of liability.")
        for label, widget in (("Name", self.name), ("Kind", self.kind), ("Payer IDs (comma)", self.ids),
                              ("Appeals address", self.line1), ("", self.line2), ("City", self.city),
                              ("State", self.state), ("ZIP", self.zip), ("Phone", self.phone), ("Fax", self.fax),
                              ("Portal", self.portal), ("Medicaid state", self.medicaid_state),
                              ("Contracted", self.contracted), ("", self.needs_check)):
            widget.setObjectName(f"payer_{label.split(' ')[0].lower() or 'line'}")
            form.addRow(label, widget)
        return form

    def _ladder_box(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        self.levels = QTableWidget(0, len(LEVEL_HEADERS))
        self.levels.setObjectName("ladder_levels")
        self.levels.setHorizontalHeaderLabels(LEVEL_HEADERS)
        self.levels.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.receipt, self.tf_days, self.tf_months = QSpinBox(), QSpinBox(), QSpinBox()
        for spin in (self.receipt, self.tf_days, self.tf_months):
            spin.setRange(-999, 999)  # out-of-range values reach the check and get a sentence
        row = QHBoxLayout()
        for label, slot in (("Add level", self._add_level), ("Remove level", self._remove_level),
                            ("Default ladder for the kind", self._use_default), ("New payer", self._new)):
            button = QPushButton(label)
            button.clicked.connect(slot)
            row.addWidget(button)
        form = QFormLayout()
        form.addRow("Presumed receipt (days after the notice date)", self.receipt)
        form.addRow("Timely filing for a corrected claim: days", self.tf_days)
        form.addRow("... or months", self.tf_months)
        layout.addWidget(plain_label("Appeal ladder (the first level counts from the notice, later ones from "
                                     "the previous decision):"))
        layout.addWidget(self.levels, 1)
        layout.addLayout(row)
        layout.addLayout(form)
        return box

    # -- showing -----------------------------------------------------------------------------

    def _refill(self, select: int = 0) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for payer in self.payers:
            self.list.addItem(("⚠ " if payer.needs_check else "") + payer.name)
        self.list.blockSignals(False)
        if self.payers:
            self.list.setCurrentRow(min(select, len(self.payers) - 1))

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self.payers):
            return
        payer = self.payers[row]
        a = payer.address
        for edit, text in ((self.name, payer.name), (self.ids, ", ".join(payer.payer_ids)), (self.line1, a.line1),
                           (self.line2, a.line2), (self.city, a.city), (self.state, a.state), (self.zip, a.zip),
                           (self.phone, payer.phone), (self.fax, payer.fax), (self.portal, payer.portal),
                           (self.medicaid_state, payer.medicaid_state)):
            edit.setText(text)
        self.kind.setCurrentIndex(self.kind.findData(payer.kind.value))
        self.needs_check.setChecked(payer.needs_check)
        self.contracted.setCurrentIndex(max(self.contracted.findData(payer.contracted), 0))
        self._show_ladder(payer.effective_ladder())
        self.problem.clear()

    def _show_ladder(self, ladder: Ladder) -> None:
        self._whos = [level.who for level in ladder.levels]  # kept: the table does not show who decides
        self.levels.setRowCount(0)
        for level in ladder.levels:
            self._append_level(level)
        self.receipt.setValue(ladder.presumed_receipt_days)
        self.tf_days.setValue(ladder.timely_filing.days)
        self.tf_months.setValue(ladder.timely_filing.months)

    def _append_level(self, level: AppealLevel) -> None:
        row = self.levels.rowCount()
        self.levels.insertRow(row)
        for column, value in enumerate((level.name, level.window.days, level.window.months, level.counts_from,
                                        level.decision_days, level.address)):
            self.levels.setItem(row, column, QTableWidgetItem(str(value)))

    # -- editing -----------------------------------------------------------------------------

    def _add_level(self) -> None:
        self._append_level(AppealLevel("next level", "", Window(60), "previous_decision", 45))

    def _remove_level(self) -> None:
        if self.levels.currentRow() >= 0:
            self.levels.removeRow(self.levels.currentRow())

    def _use_default(self) -> None:
        self._show_ladder(default_ladders()[PayerKind(self.kind.currentData())])

    def _new(self) -> None:
        self.payers.append(PayerEntry("New payer", PayerKind.COMMERCIAL))
        self._refill(len(self.payers) - 1)

    def edited_ladder(self) -> Ladder:
        kind = PayerKind(self.kind.currentData())
        levels = []
        for row in range(self.levels.rowCount()):
            name, days, months, counts_from, decision, address = (self._cell(row, column) for column in range(6))
            who = self._whos[row] if row < len(self._whos) else ""
            levels.append(AppealLevel(name, who, Window(_int(days), _int(months)), counts_from, _int(decision),
                                      address))
        return Ladder(kind, default_ladders()[kind].label, tuple(levels), self.receipt.value(),
                      Window(self.tf_days.value(), self.tf_months.value()))

    def _cell(self, row: int, column: int) -> str:
        item = self.levels.item(row, column)
        return item.text().strip() if item else ""

    def save(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.payers):
            return
        kind = PayerKind(self.kind.currentData())
        ladder = self.edited_ladder()
        payer = replace(
            self.payers[row], name=self.name.text().strip(), kind=kind,
            payer_ids=[p.strip() for p in self.ids.text().split(",") if p.strip()],
            address=Address(self.line1.text(), self.line2.text(), self.city.text(), self.state.text(), self.zip.text()),
            phone=self.phone.text(), fax=self.fax.text(), portal=self.portal.text(),
            medicaid_state=self.medicaid_state.text().strip(), needs_check=self.needs_check.isChecked(),
            ladder=None if ladder == default_ladders()[kind] else ladder, contracted=self.contracted.currentData())
        try:
            self.payers[row] = save_payer(self.workspace, payer)
        except UserError as error:
            self.problem.setText(str(error))
            return
        self._refill(row)
        self.problem.setText("Saved. Every open case of this payer now uses these dates.")


def _int(text: str) -> int:
    try:
        return int(text.strip() or 0)
    except ValueError:
        return -1  # the ladder check then says which level is wrong
