"""File > New workspace offers encryption (issue 12.1): chosen, the window opens an encrypted
workspace whose files hold none of their text."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from workstation.gui.main_window import MainWindow
from workstation.gui.passphrase_dialog import NewWorkspaceDialog


def _answer(encrypt: bool, passphrase: str = "") -> None:
    """Answer the New workspace dialog as a biller would, once it is open."""
    dialog = QApplication.activeModalWidget()
    if not isinstance(dialog, NewWorkspaceDialog):
        QTimer.singleShot(20, lambda: _answer(encrypt, passphrase))
        return
    dialog.encrypt.setChecked(encrypt)
    dialog.passphrase.setText(passphrase)
    dialog.again.setText(passphrase)
    dialog.try_accept()


def test_a_new_workspace_can_be_encrypted_from_the_window(qtbot, tmp_path: Path) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    QTimer.singleShot(0, lambda: _answer(True, "correct horse battery"))
    window.create_workspace(tmp_path / "locked")
    assert window.workspace is not None and window.workspace.root == tmp_path / "locked"
    assert (tmp_path / "locked" / "encrypted.json").is_file()
    assert not (tmp_path / "locked" / "workspace.sqlite").read_bytes().startswith(b"SQLite format 3")


def test_a_plain_workspace_stays_plain(qtbot, tmp_path: Path) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    QTimer.singleShot(0, lambda: _answer(False))
    window.create_workspace(tmp_path / "plain")
    assert not (tmp_path / "plain" / "encrypted.json").exists()
    assert (tmp_path / "plain" / "workspace.sqlite").read_bytes().startswith(b"SQLite format 3")
