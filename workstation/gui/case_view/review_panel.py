"""The Review tab: the checklist the denial reasons call for, and which evidence is missing.
Several steps may be selected (Shift/Ctrl+click, Ctrl+A): Done, Not applicable and Reopen apply
to every selected step at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workstation.core.model import Case
from workstation.core.review import ChecklistStep, StepState
from workstation.gui.widgets import plain_label
from workstation.ops.bulk import set_steps
from workstation.ops.review import review_state

if TYPE_CHECKING:
    from workstation.gui.case_view.view import CaseView

STATE_BUTTONS = (("Done", StepState.DONE, "Ctrl+D"), ("Not applicable", StepState.NOT_APPLICABLE, ""),
                 ("Reopen", StepState.OPEN, ""))


class ReviewPanel(QWidget):
    def __init__(self, view: CaseView) -> None:
        super().__init__()
        self.view = view
        self.steps: list[ChecklistStep] = []
        self.summary = plain_label()
        self.summary.setObjectName("review_summary")
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("checklist")
        self.table.setHorizontalHeaderLabels(["Step", "For", "State", "Who / when", "Note"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in range(1, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.note = QLineEdit()
        self.note.setObjectName("step_note")
        self.note.setPlaceholderText("Note for the selected steps (optional)")
        buttons = QHBoxLayout()
        for label, state, shortcut in STATE_BUTTONS:
            button = QPushButton(label)
            button.setObjectName(f"step_{state.value}")
            if shortcut:
                button.setShortcut(shortcut)
            button.clicked.connect(lambda _c=False, s=state: self.mark_selected(s))
            buttons.addWidget(button)
        buttons.addWidget(self.note, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def show_case(self, case: Case) -> None:
        state = review_state(case)
        self.steps = state.steps
        done, total = state.progress
        missing = ", ".join(kind.value.replace("_", " ") for kind in state.missing)
        evidence = f"Evidence still missing: {missing}." if missing else "All evidence kinds present."
        self.summary.setText(f"{done} of {total} steps settled.  {evidence}")
        self.table.setRowCount(len(self.steps))
        for row, step in enumerate(self.steps):
            self._fill_row(row, step)
        self.table.resizeRowsToContents()

    def _fill_row(self, row: int, step: ChecklistStep) -> None:
        record = step.record
        when = f"{record.by}, {record.at:%Y-%m-%d %H:%M}" if record.at else ""
        for column, text in enumerate((step.text, " ".join(step.codes), step.state.label, when, record.note)):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            self.table.setItem(row, column, item)

    def selected_rows(self) -> list[int]:
        """The selected steps' rows, top to bottom (the current row when none is selected)."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        current = self.table.currentRow()
        return rows or ([current] if current >= 0 else [])

    def mark_selected(self, state: StepState) -> None:
        """Record the state (and the note) for every selected step, as one action."""
        rows = self.selected_rows()
        if not rows or self.view.case_file is None:
            return
        steps, note = [self.steps[row] for row in rows], self.note.text()
        if self.view.apply(lambda: set_steps(self.view.case_file, steps, state, actor=self.view.actor, note=note)):
            self.note.clear()
            self.table.selectRow(min(rows[-1] + 1, self.table.rowCount() - 1))
