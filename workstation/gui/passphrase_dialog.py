"""The passphrase in the window: asked once a session when an encrypted workspace (or a case file
copied out of one) is opened, chosen when a new workspace is made encrypted, and the reminder that
a letter, packet or CSV saved from an encrypted workspace is not encrypted."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QThread
from PySide6.QtWidgets import QCheckBox, QLineEdit, QMessageBox, QWidget

from workstation.core.errors import UserError
from workstation.gui.widgets import FormDialog, plain_label
from workstation.ops.encryption import PassphraseRequest, export_notice, start_session, unlock

_LOST = ("Keep the passphrase safe: without it nobody, not even the program's makers, can open the cases. "
         "It is asked once each time the program starts.")


def _secret(dialog: FormDialog, label: str, name: str) -> QLineEdit:
    edit = dialog.line(label, name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class UnlockDialog(FormDialog):
    """The passphrase of an encrypted workspace, checked before the dialog closes (a wrong one
    keeps it open with its sentence; nothing is read or written meanwhile)."""

    def __init__(self, request: PassphraseRequest, parent: QWidget | None = None) -> None:
        super().__init__("Encrypted workspace" if request.is_workspace else "Encrypted case file", parent, save=False)
        self.request = request
        self.body.insertWidget(0, plain_label(f"{request.what} is encrypted. Type its passphrase to open it."))
        self.passphrase = _secret(self, "Passphrase", "passphrase")
        self.setMinimumWidth(440)

    def validate(self) -> None:
        if not self.passphrase.text():
            raise UserError("Type the passphrase, or Cancel to leave it closed.")
        if self.request.is_workspace:
            unlock(self.request.path, self.passphrase.text())  # a lone case file is checked when it opens


@dataclass(frozen=True)
class NewWorkspaceChoice:
    """What File > New workspace was told: a passphrase for an encrypted workspace, or None (plain)."""

    passphrase: str | None


class NewWorkspaceDialog(FormDialog):
    """File > New workspace: encrypt it or not, and its passphrase typed twice."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("New workspace", parent, save=False)
        self.encrypt = QCheckBox("Encrypt every case file of this workspace on the disk")
        self.encrypt.setObjectName("encrypt")
        self.form.addRow(self.encrypt)
        self.passphrase = _secret(self, "Passphrase", "passphrase")
        self.again = _secret(self, "Passphrase again", "again")
        self.form.addRow(plain_label(_LOST))
        self.encrypt.toggled.connect(self._show_fields)
        self._show_fields(False)

    def _show_fields(self, on: bool) -> None:
        for edit in (self.passphrase, self.again):
            edit.setEnabled(on)

    def validate(self) -> None:
        if not self.encrypt.isChecked():
            return
        if len(self.passphrase.text()) < 8:
            raise UserError("A passphrase needs at least 8 characters (a few words are easiest to remember).")
        if self.again.text() != self.passphrase.text():
            raise UserError("The two passphrases typed differ; type the same one twice.")

    def choice(self) -> NewWorkspaceChoice:
        return NewWorkspaceChoice(self.passphrase.text() if self.encrypt.isChecked() else None)


def ask_passphrase(parent: QWidget | None, request: PassphraseRequest) -> str | None:
    """The passphrase typed (for a workspace: already checked), or None when the user cancelled."""
    dialog = UnlockDialog(request, parent)
    return dialog.passphrase.text() if dialog.exec() == FormDialog.DialogCode.Accepted else None


def ask_new_workspace(parent: QWidget | None) -> NewWorkspaceChoice | None:
    """File > New workspace's question; None when cancelled."""
    dialog = NewWorkspaceDialog(parent)
    return dialog.choice() if dialog.exec() == FormDialog.DialogCode.Accepted else None


def install_passphrase_dialog(window: QWidget) -> None:
    """A new session whose passphrases the window asks for. Only the GUI thread may show a dialog: a
    worker that reaches a locked file gets the one-sentence refusal instead (the workspace is
    unlocked on the GUI thread when it is opened, so its workers never need to ask)."""

    def source(request: PassphraseRequest) -> str | None:
        app = QCoreApplication.instance()
        if app is None or QThread.currentThread() is not app.thread():
            return None
        return ask_passphrase(window, request)

    start_session(source)


def confirm_plain_export(parent: QWidget | None, root: Path | None) -> bool:
    """Before a file leaves an encrypted workspace: say it will not be encrypted (OK goes on)."""
    notice = export_notice(root)
    if notice is None:
        return True
    answer = QMessageBox.information(parent, "Not encrypted", notice,
                                     QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Ok


def confirm_export_from(parent: QWidget | None, view: object) -> bool:
    """`confirm_plain_export` for the workspace a view works in (none for a lone case file)."""
    workspace = getattr(view, "workspace", None)
    return confirm_plain_export(parent, workspace.root if workspace is not None else None)
