"""The passphrase in the window (issue 12, point 1): asked once when an encrypted workspace opens, a
wrong one refused in the dialog with its sentence and nothing written; File > New workspace's
choice; a worker thread is never shown a dialog; the notice before a plain export."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from workstation.core.errors import PassphraseNeeded
from workstation.gui.passphrase_dialog import (
    NewWorkspaceDialog,
    UnlockDialog,
    confirm_plain_export,
    install_passphrase_dialog,
)
from workstation.ops.encryption import (
    EXPORT_NOTICE,
    PassphraseRequest,
    create_encrypted_workspace,
    needs_passphrase,
    start_session,
)
from workstation.ops.workspaces import init_workspace, open_workspace

PASSPHRASE = "amber kettle meadow"


@pytest.fixture
def locked(tmp_path: Path) -> Iterator[Path]:
    """An encrypted workspace whose key this session does not hold."""
    create_encrypted_workspace(tmp_path / "ws", PASSPHRASE).close()
    start_session(None)
    yield tmp_path / "ws"
    start_session(None)


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(root.rglob("*"))
            if p.is_file()}


def test_a_wrong_passphrase_keeps_the_dialog_open_with_its_sentence(qtbot, locked: Path) -> None:
    before = snapshot(locked)
    dialog = UnlockDialog(PassphraseRequest(locked, True))
    qtbot.addWidget(dialog)
    dialog.passphrase.setText("wrong guess")
    dialog.try_accept()
    assert dialog.result() != UnlockDialog.DialogCode.Accepted
    assert dialog.problem.text() == (f"That is not the passphrase of the workspace {locked}; "
                                     "nothing was opened or changed.")
    assert needs_passphrase(locked) and snapshot(locked) == before
    dialog.passphrase.setText(PASSPHRASE)
    dialog.try_accept()
    assert dialog.result() == UnlockDialog.DialogCode.Accepted
    assert not needs_passphrase(locked)


def test_opening_an_encrypted_workspace_asks_once(qtbot, locked: Path) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    install_passphrase_dialog(window)
    shown: list[str] = []

    def type_it() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, UnlockDialog):
            QTimer.singleShot(10, type_it)
            return
        shown.append(dialog.windowTitle())
        dialog.passphrase.setText(PASSPHRASE)
        dialog.try_accept()

    QTimer.singleShot(0, type_it)
    with open_workspace(locked, remember=False) as workspace:
        workspace.index.rescan()
    with open_workspace(locked, remember=False):
        pass
    assert shown == ["Encrypted workspace"]


def test_a_worker_thread_is_never_shown_a_dialog(qtbot, locked: Path) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    install_passphrase_dialog(window)
    refused: list[BaseException] = []

    def work() -> None:
        try:
            open_workspace(locked, remember=False).close()
        except PassphraseNeeded as error:
            refused.append(error)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(30)
    assert len(refused) == 1 and "is encrypted and opens only with its passphrase" in str(refused[0])


def test_new_workspace_is_plain_unless_asked_and_checks_the_passphrase(qtbot) -> None:
    dialog = NewWorkspaceDialog()
    qtbot.addWidget(dialog)
    assert not dialog.passphrase.isEnabled()
    dialog.try_accept()
    assert dialog.choice().passphrase is None
    dialog = NewWorkspaceDialog()
    qtbot.addWidget(dialog)
    dialog.encrypt.setChecked(True)
    dialog.passphrase.setText(PASSPHRASE)
    dialog.again.setText(PASSPHRASE + "x")
    dialog.try_accept()
    assert dialog.problem.text() == "The two passphrases typed differ; type the same one twice."
    dialog.again.setText(PASSPHRASE)
    dialog.try_accept()
    assert dialog.result() == NewWorkspaceDialog.DialogCode.Accepted
    assert dialog.choice().passphrase == PASSPHRASE


def test_an_export_from_an_encrypted_workspace_says_it_is_not_encrypted(qtbot, locked: Path,
                                                                       tmp_path: Path, monkeypatch) -> None:
    init_workspace(tmp_path / "plain").close()
    told: list[str] = []

    def information(_parent, _title, text, _buttons):
        told.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "information", information)
    assert confirm_plain_export(None, tmp_path / "plain") and told == []
    assert confirm_plain_export(None, locked) and told == [EXPORT_NOTICE]


def test_the_window_s_exports_ask_first_and_cancel_writes_nothing(qtbot, locked: Path, monkeypatch) -> None:
    """Each export of the window says the file will not be encrypted before asking where to save it;
    Cancel stops there (the Reports view, the worklist CSV and PDF, the audit trail's CSV)."""
    from PySide6.QtWidgets import QFileDialog

    from workstation.gui.reports_view import ReportsView

    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information",
                        lambda *_args: told.append("asked") or QMessageBox.StandardButton.Cancel)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: pytest.fail("asked where to save"))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a, **_k: pytest.fail("asked for a folder"))
    view = ReportsView()
    qtbot.addWidget(view)
    view.root, view.report = locked, {"period": {"from": "2026-01-01", "to": "2026-03-31"}}
    for kind in ("xlsx", "pdf", "csv"):
        view.export_dialog(kind)
    assert told == ["asked"] * 3
