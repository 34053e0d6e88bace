"""Starting the window: QApplication, the bug-report hook, the first workspace."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from workstation.core.errors import UserError
from workstation.gui.dialogs import report_bug
from workstation.gui.main_window import MainWindow
from workstation.gui.workers import wait_for_all
from workstation.ops.workspaces import startup_workspace


def run_gui(*, workspace: str | None, quit_after_shown: bool = False, quit_after_loaded: bool = False) -> int:
    """Open the window on the chosen, last or demo workspace; returns the exit code."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Appeal Workstation")
    app.setOrganizationName("Appeal Workstation")
    window = MainWindow()
    sys.excepthook = lambda t, e, tb: report_bug(window, t, e, tb)
    try:
        root: Path | None = startup_workspace(workspace)
    except UserError as error:
        root = None
        window.statusBar().showMessage(str(error))
    window.show()
    if root is not None:
        window.open_workspace(root)
    if quit_after_shown:  # used by `make bench` to time start-up
        QTimer.singleShot(0, lambda: (print("shown", flush=True), window.close()))
    if quit_after_loaded:
        window.worklist_loaded.connect(lambda count: (print(f"loaded {count}", flush=True), window.close()))
    code = app.exec()
    wait_for_all()  # a thread still running at exit would abort the process
    return code
