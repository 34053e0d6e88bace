"""Small dialogs: a new case typed from a paper notice, preferences, workspace users, errors."""

from __future__ import annotations

import logging
import traceback
from decimal import Decimal

from PySide6.QtWidgets import (
    QComboBox,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from workstation.core.dates import parse_date
from workstation.core.errors import UserError
from workstation.core.money import money
from workstation.core.payer_kinds import default_ladders
from workstation.core.vocabulary import PayerKind
from workstation.core.workspace_model import PayerEntry, User
from workstation.gui.widgets import FormDialog
from workstation.ops.cases import ManualCase, check_manual_case

log = logging.getLogger(__name__)


class NewCaseDialog(FormDialog):
    """File > New case: what a biller types from a paper EOB. `entry` holds the result."""

    def __init__(self, payers: list[PayerEntry], parent: QWidget | None = None) -> None:
        super().__init__("New case from a paper notice", parent, save=False)
        self.entry: ManualCase | None = None
        self.last = self.line("Patient last name *", "patient_last")
        self.first = self.line("Patient first name", "patient_first")
        self.dob = self.line("Date of birth", "dob", placeholder="YYYY-MM-DD or MM/DD/YYYY")
        self.member = self.line("Member ID", "member_id")
        self.payer = QComboBox()
        self.payer.setObjectName("payer")
        self.payer.setEditable(True)
        self._payer_kinds = {p.name: p.kind for p in payers}
        self.payer.addItems([p.name for p in payers])
        self.payer.setCurrentText("")
        self.form.addRow("Payer *", self.payer)
        self.kind = QComboBox()
        self.kind.setObjectName("payer_kind")
        for kind, ladder in default_ladders().items():
            self.kind.addItem(ladder.label, kind.value)
        self.payer.currentTextChanged.connect(self._payer_picked)
        self.form.addRow("Payer kind", self.kind)
        self.claim = self.line("Payer claim number", "claim_number")
        self.account = self.line("Patient account number", "account_number")
        self.procedure = self.line("Procedure code *", "procedure", placeholder="e.g. 99213")
        self.service = self.line("Date of service *", "service_date", placeholder="YYYY-MM-DD or MM/DD/YYYY")
        self.billed = self.line("Billed amount *", "billed", placeholder="e.g. 185.00")
        self.denied = self.line("Denied amount *", "denied", placeholder="e.g. 185.00")
        self.reason = self.line("Reason code *", "reason", placeholder="e.g. CO-50")
        self.remarks = self.line("Remark codes", "remarks", placeholder="e.g. N115 M127")
        self.notice = self.line("Date on the notice", "notice_date", placeholder="YYYY-MM-DD or MM/DD/YYYY")

    def _payer_picked(self, name: str) -> None:
        if name in self._payer_kinds:
            self.kind.setCurrentIndex(self.kind.findData(self._payer_kinds[name].value))

    def validate(self) -> None:
        service = parse_date(self.service.text())
        if service is None:
            raise UserError("Type the date of service; deadlines are counted from the notice and the service date.")
        if not self.procedure.text().strip():
            raise UserError("Type the procedure code of the denied service (for example 99213).")
        billed: Decimal = money(self.billed.text())
        self.entry = ManualCase(
            patient_last=self.last.text(), patient_first=self.first.text(), payer_name=self.payer.currentText(),
            payer_kind=PayerKind(self.kind.currentData()), procedure_code=self.procedure.text(),
            service_date=service, billed=billed, denied=money(self.denied.text() or billed),
            carc=self.reason.text().strip(), date_of_birth=parse_date(self.dob.text()),
            member_id=self.member.text().strip(), claim_number=self.claim.text().strip(),
            account_number=self.account.text().strip(), notice_date=parse_date(self.notice.text()),
            remarks=self.remarks.text().replace(",", " ").split(),
        )
        check_manual_case(self.entry)


class PreferencesDialog(FormDialog):
    """Who is working at this computer (written into every activity entry)."""

    def __init__(self, current_user: str, users: list[User], parent: QWidget | None = None) -> None:
        super().__init__("Preferences", parent, save=False)
        self.user = QComboBox()
        self.user.setObjectName("current_user")
        self.user.setEditable(True)
        self.user.addItems([u.login for u in users])
        self.user.setCurrentText(current_user)
        self.form.addRow("Current user", self.user)

    def validate(self) -> None:
        if not self.user.currentText().strip():
            raise UserError("Type a user name; it is written into the activity log of every case you change.")

    def chosen_user(self) -> str:
        return self.user.currentText().strip()


class UsersDialog(FormDialog):
    """Workspace settings: the people cases can be assigned to, one `login, Display name` a line."""

    def __init__(self, users: list[User], parent: QWidget | None = None) -> None:
        super().__init__("Workspace users", parent, save=False)
        self.text = QPlainTextEdit("\n".join(f"{u.login}, {u.display_name}" for u in users))
        self.text.setObjectName("users_text")
        self.form.addRow("One user a line:\nlogin, Display name", self.text)
        self.users: list[User] = []

    def validate(self) -> None:
        users = []
        for number, raw in enumerate(self.text.toPlainText().splitlines(), start=1):
            if not raw.strip():
                continue
            login, _, name = raw.partition(",")
            if not login.strip() or " " in login.strip():
                raise UserError(f"Line {number}: the login must be one word before the comma.")
            users.append(User(login.strip(), name.strip()))
        self.users = users


def show_user_error(parent: QWidget | None, error: UserError, title: str = "Appeal Workstation") -> None:
    QMessageBox.warning(parent, title, str(error))


def report_bug(parent: QWidget | None, exc_type: type[BaseException], exc: BaseException, tb) -> None:
    """An unexpected error: say the work is safe and show where it happened (no case data)."""
    frames = "".join(traceback.format_list(traceback.extract_tb(tb)))
    where = f"{exc_type.__name__}\n{frames}"
    log.error("unexpected error: %s", where)  # the message itself may hold case data: not logged
    box = QMessageBox(QMessageBox.Icon.Critical, "Something went wrong",
                      "The program hit an error it did not expect. Every edit you made before this was "
                      "already saved. Please send the details below to your support contact.", parent=parent)
    box.setDetailedText(where)
    box.exec()

