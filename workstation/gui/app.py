"""Starting the window: QApplication, the bug-report hook, the first workspace, the first-run welcome."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from workstation.core.errors import UserError
from workstation.core.resources import resource_path
from workstation.gui.dialogs import report_bug
from workstation.gui.first_run import WelcomeWizard, WhoDialog, ask_who, show_welcome
from workstation.gui.main_window import MainWindow
from workstation.gui.passphrase_dialog import install_passphrase_dialog
from workstation.gui.workers import wait_for_all
from workstation.ops.user_config import is_first_start, load_config
from workstation.ops.workspaces import startup_workspace

HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc")  # nobody there to answer a welcome


def run_gui(*, workspace: str | None, quit_after_shown: bool = False, quit_after_loaded: bool = False) -> int:
    """Open the window on the chosen, last or demo workspace; returns the exit code."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Appeal Workstation")
    app.setWindowIcon(QIcon(str(resource_path("icons", "appeal-workstation.svg"))))
    app.setDesktopFileName(APP_ID)  # lets a Wayland desktop match the window to its menu entry
    app.setOrganizationName("Appeal Workstation")
    timed = quit_after_shown or quit_after_loaded  # `make bench` and tests: nothing may wait for a person
    window, _welcome = start_window(workspace, welcome=not timed and welcome_allowed())
    if quit_after_shown:  # used by `make bench` to time start-up
        QTimer.singleShot(0, lambda: (print("shown", flush=True), window.close()))
    if quit_after_loaded:
        window.worklist_loaded.connect(lambda count: (print(f"loaded {count}", flush=True), window.close()))
    code = app.exec()
    wait_for_all()  # a thread still running at exit would abort the process
    return code


ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


def _bug_hook(window: MainWindow, previous: ExceptHook) -> ExceptHook:
    """A bug shows the bug-report dialog; without a screen (tests, scripted runs) nobody could close
    it, so the error goes to the hook that was there before (pytest's, or the traceback on stderr)."""
    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if QGuiApplication.platformName() in HEADLESS_PLATFORMS:
            previous(exc_type, exc, tb)
        else:
            report_bug(window, exc_type, exc, tb)
    return hook


#: the desktop entry's id (packaging/linux): the same name in both places
APP_ID = "org.appealworkstation.AppealWorkstation"


def welcome_allowed() -> bool:
    """The welcome needs someone to answer it: not with WORKSTATION_NO_WELCOME=1, not without a screen."""
    if os.environ.get("WORKSTATION_NO_WELCOME", "") not in ("", "0"):
        return False
    return QGuiApplication.platformName() not in HEADLESS_PLATFORMS


def start_window(workspace: str | None, *, welcome: bool) -> tuple[MainWindow, WelcomeWizard | WhoDialog | None]:
    """Show the window on its workspace (the demo, made if need be, when none is known); on a
    first start with `welcome`, the welcome opens over it without blocking the event loop. A
    start with a workspace given or known (so no welcome) asks who is working here if nobody
    chose a name and the question was never put, whatever the workspace."""
    first = welcome and is_first_start(workspace)  # before the demo is opened and remembered
    window = MainWindow()
    sys.excepthook = _bug_hook(window, sys.excepthook)
    install_passphrase_dialog(window)  # an encrypted workspace asks its passphrase once, in a dialog
    try:
        root: Path | None = startup_workspace(workspace)
    except UserError as error:
        root = None
        window.statusBar().showMessage(str(error))
    window.show()
    if root is not None:
        window.open_workspace(root)
    if first:
        return window, show_welcome(window)
    if welcome and load_config().must_ask_who:
        return window, ask_who(window)
    return window, None
