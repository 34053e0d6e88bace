"""The small forms of the worklist's bulk actions: whom to assign, which status, what to write off."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QComboBox, QWidget

from workstation.core.errors import InvalidValue
from workstation.core.money import dollars, money
from workstation.core.summary import CaseSummary
from workstation.core.vocabulary import Status
from workstation.core.workflow import transition_problem
from workstation.gui.widgets import FormDialog, plain_label
from workstation.ops.bulk import write_off_terms


def _cases(count: int) -> str:
    return f"{count} case" if count == 1 else f"{count} cases"


class AssignDialog(FormDialog):
    """Assign the selected cases to one person (or to nobody)."""

    def __init__(self, choices: list[tuple[str, str]], count: int, parent: QWidget | None = None) -> None:
        super().__init__(f"Assign {_cases(count)}", parent, save=False)
        self.setObjectName("bulk_assign_dialog")
        self.assignee: QComboBox = self.combo("Assign to", "bulk_assignee", [("(nobody)", ""), *choices])
        self.assignee.setEditable(True)  # a login not in the users list yet may be typed

    def chosen(self) -> str:
        """The login chosen, or typed."""
        index = self.assignee.findText(self.assignee.currentText())
        return str(self.assignee.itemData(index)) if index >= 0 else self.assignee.currentText().strip()


def movable(rows: list[CaseSummary], target: Status) -> tuple[int, int]:
    """How many of the rows the workflow lets move to `target`, and how many are there already."""
    statuses = [Status(row.status) for row in rows if row.status and not row.problem]
    already = sum(1 for status in statuses if status is target)
    return sum(1 for status in statuses if status is not target and not transition_problem(status, target)), already


def _choice(status: Status, rows: list[CaseSummary]) -> str:
    """"In review  (3 of 5 can; 1 already is)"."""
    can, already = movable(rows, status)
    there = f"; {already} already {'is' if already == 1 else 'are'}" if already else ""
    return f"{status.label}  ({can} of {len(rows)} can{there})"


class StatusDialog(FormDialog):
    """Move the selected cases to one status; each choice says how many of them the workflow lets go there."""

    def __init__(self, rows: list[CaseSummary], parent: QWidget | None = None) -> None:
        super().__init__(f"Change the status of {_cases(len(rows))}", parent, save=False)
        self.setObjectName("bulk_status_dialog")
        choices = [(_choice(status, rows), status.value) for status in Status]
        self.status = self.combo("New status", "bulk_new_status", choices)
        self.form.addRow(plain_label("The workflow decides for each case (a case is not won before it is "
                                     "submitted); the cases it keeps as they are will be named."))

    def chosen(self) -> Status:
        return Status(self.status.currentData())


class WriteOffDialog(FormDialog):
    """Write off the selected cases at or under a limit, with a reason logged in each."""

    def __init__(self, rows: list[CaseSummary], limit: Decimal, parent: QWidget | None = None) -> None:
        super().__init__(f"Write off small balances ({_cases(len(rows))} selected)", parent, save=False)
        self.setObjectName("bulk_write_off_dialog")
        self.setMinimumWidth(540)
        self.rows = rows
        self.limit = self.line("Write off balances up to", "write_off_limit", f"{limit:.2f}", "e.g. 25.00")
        self.reason = self.line("Reason (goes into each case's log) *", "write_off_reason",
                                placeholder="e.g. small balance, not worth appealing")
        self.preview = plain_label()
        self.preview.setObjectName("write_off_preview")
        self.form.addRow(self.preview)
        self.limit.textChanged.connect(self._preview)
        self._preview()

    def _preview(self) -> None:
        try:
            ceiling = money(self.limit.text())
        except InvalidValue as error:
            self.preview.setText(str(error))
            return
        small = sum(1 for row in self.rows if not row.problem and row.amount_at_stake <= ceiling)
        others = len(self.rows) - small
        text = f"{small} of {len(self.rows)} selected cases are at or under {dollars(ceiling)} and will be written off"
        self.preview.setText(text + (f"; the other {others} will be named and left as they are." if others else "."))

    def validate(self) -> None:
        write_off_terms(self.limit.text(), self.reason.text())

    def terms(self) -> tuple[Decimal, str]:
        return write_off_terms(self.limit.text(), self.reason.text())
