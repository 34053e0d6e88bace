"""Files dropped on the window: remittances are imported, scans open the scan dialog (issue 15),
each kind told by its first bytes, not its name."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QImage

from workstation.casefile.workspace import Workspace
from workstation.gui.main_window import MainWindow

ERA = Path(__file__).resolve().parents[1] / "data" / "era" / "kei-bcnc.835"


def test_a_remittance_is_imported_and_a_scan_opens_the_scan_dialog(qtbot, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    Workspace.create(root).close()
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.open_workspace(root)
    scan = tmp_path / "eob from the mail.png"
    image = QImage(850, 1100, QImage.Format.Format_Grayscale8)
    image.fill(Qt.GlobalColor.white)
    assert image.save(str(scan), "PNG")
    remittance = shutil.copy(ERA, tmp_path / "remittance.txt")  # a name that says nothing
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in (scan, remittance)])
    window.dropEvent(QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier))
    assert window.scan_window is not None and window.scan_window.paths == [scan]
    qtbot.waitUntil(lambda: window.remittances.last_import is not None, timeout=30_000)
    assert window.remittances.last_import.files == 1
    window.scan_window.reject()
