"""MainWindow: the worklist beside the case view, menus, and the workspace loaded off the GUI thread."""

from __future__ import annotations

import gc
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
)

from workstation.core.changes import Changes
from workstation.core.errors import DamagedWorkspace, UserError
from workstation.core.money import ZERO, dollars
from workstation.core.summary import CaseSummary
from workstation.gui.audit_dialog import open_audit_dialog
from workstation.gui.case_view import CaseView
from workstation.gui.dialogs import NewCaseDialog, PreferencesDialog, UsersDialog, show_user_error
from workstation.gui.help_menu import install_help_menu
from workstation.gui.operations import Operations
from workstation.gui.passphrase_dialog import ask_new_workspace
from workstation.gui.payers_dialog import PayersDialog
from workstation.gui.practice_dialog import PracticeDialog
from workstation.gui.remittance_actions import RemittanceActions
from workstation.gui.reports_view import ReportsView
from workstation.gui.scan_dialog import open_scan_dialog
from workstation.gui.settings_dialog import WorkspaceSettingsDialog
from workstation.gui.workers import BackgroundTask
from workstation.gui.worklist_view import WorklistView
from workstation.ops.cases import new_manual_case
from workstation.ops.encryption import create_encrypted_workspace
from workstation.ops.payers import left_out_notice
from workstation.ops.scan import split_scans
from workstation.ops.settings import save_practice, save_settings, save_users
from workstation.ops.user_config import config_dir, load_config, save_config
from workstation.ops.workspaces import (
    init_workspace,
    load_worklist,
    open_workspace,
    restore_workspace_backup,
    worklist_row,
    worklist_rows_at,
)

if TYPE_CHECKING:
    from workstation.casefile.workspace import Workspace

log = logging.getLogger(__name__)
PROGRESS_DELAY_MS = 600  # like Anki: no flicker of a progress bar for quick loads


_settled = False


def _settle_once() -> None:
    """Once a program, when the first worklist is loaded: what the start built lives as long as the
    program, so the garbage collector stops walking it (`gc.freeze`). Over 10,000 rows each full
    collection stopped every thread, the window's too, for about 0.15 s while a worker made a PDF."""
    global _settled
    if not _settled:
        _settled = True
        gc.freeze()


class MainWindow(QMainWindow):
    worklist_loaded = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("Appeal Workstation")
        self.config = load_config()
        self.workspace: Workspace | None = None
        self.loader: BackgroundTask | None = None
        self.worklist = WorklistView()
        self.operations = Operations()
        self.operations.rows_changed.connect(self.show_rows)
        self.operations.did_change.connect(self.workspace_changed)
        self.case_view = CaseView(actor=self.config.user, operations=self.operations)
        self.worklist.current_user = self.config.user
        self.worklist.operations = self.operations
        self.reports = ReportsView()
        self.reports.rows_source = self._loaded_rows
        self.left = QTabWidget()  # the worklist, and the Reports view beside it
        self.left.setObjectName("left_tabs")
        self.left.setDocumentMode(True)
        self.left.addTab(self.worklist, "Worklist")
        self.left.addTab(self.reports, "Reports")
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.left)
        self.splitter.addWidget(self.case_view)
        self.splitter.setStretchFactor(0, 11)
        self.splitter.setStretchFactor(1, 9)
        self.splitter.setCollapsible(1, False)  # the case view never vanishes by a drag
        self.setCentralWidget(self.splitter)
        self._build_status_bar()
        self.remittances = RemittanceActions(self)
        self._build_menus()
        self.worklist.case_chosen.connect(self.case_view.open_case)
        self.worklist.case_chosen.connect(self._update_undo)  # after the case is open
        self.operations.did_change.connect(self._update_undo)  # after the case view re-read it
        self.worklist.filter_changed.connect(self._update_totals)
        self.reports.drill_down.connect(self.show_cases)
        self.operations.did_change.connect(lambda changes: changes.worklist and self.reports.invalidate())
        self.worklist_loaded.connect(lambda _count: self.reports.prefetch())  # ready before it is asked for
        self._restore_geometry()
        self.setAcceptDrops(True)

    # -- chrome ------------------------------------------------------------------------------

    def _build_status_bar(self) -> None:
        self.totals = QLabel()
        self.totals.setObjectName("totals")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self._cancel_load)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.cancel_button)
        self.statusBar().addPermanentWidget(self.totals)
        self.show_progress(False)

    def _action(self, menu, text: str, slot, shortcut: QKeySequence | str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self._action(file_menu, "New &workspace…", self.new_workspace_dialog)
        self._action(file_menu, "&Open workspace…", self.open_workspace_dialog, QKeySequence.StandardKey.Open)
        self.recent_menu = file_menu.addMenu("&Recent workspaces")
        file_menu.addSeparator()
        self.new_case_action = self._action(file_menu, "&New case…", self.new_case_dialog, QKeySequence.StandardKey.New)
        self.new_case_from_scan_action = self._action(file_menu, "New case from &scan…",
                                                      lambda: self.scan_dialog([]))
        self.import_action = self._action(file_menu, "&Import remittance…", self.remittances.import_dialog, "Ctrl+I")
        self._action(file_menu, "&Validate file…", self.remittances.validate_dialog)
        self.rescan_action = self._action(file_menu, "Re&scan", self.reload_worklist, QKeySequence.StandardKey.Refresh)
        file_menu.addSeparator()
        bulk = self.worklist.bulk
        bulk.print.setShortcut(QKeySequence.StandardKey.Print)
        for action in (bulk.print, bulk.save_pdf, bulk.export):
            file_menu.addAction(action)
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        edit_menu = self.menuBar().addMenu("&Edit")
        self.undo_action = self._action(edit_menu, "&Undo", self.case_view.undo, QKeySequence.StandardKey.Undo)
        self._action(edit_menu, "&Find", self.worklist.search.setFocus, QKeySequence.StandardKey.Find)
        edit_menu.addAction(self.worklist.bulk.select_all)
        edit_menu.aboutToShow.connect(self._update_undo)
        view_menu = self.menuBar().addMenu("&View")
        self.worklist_action = self._action(view_menu, "&Worklist beside the case", self.show_worklist, "Ctrl+Shift+W")
        self.worklist_action.setCheckable(True)
        self.worklist_action.setChecked(True)
        self.worklist_action.setToolTip("Hide the worklist to give the open case the whole window")
        self._action(view_menu, "&Reports", self.show_reports, "Ctrl+Shift+R")
        settings_menu = self.menuBar().addMenu("&Settings")
        self._action(settings_menu, "&Preferences…", self.preferences_dialog)
        self._action(settings_menu, "Workspace &users…", self.users_dialog)
        self._action(settings_menu, "Pa&yers and appeal ladders…", self.payers_dialog)
        self._action(settings_menu, "Practice &profile (letterhead)…", self.practice_dialog)
        self._action(settings_menu, "Workspace &settings…", self.settings_dialog)
        self._action(settings_menu, "&Audit trail…", lambda: open_audit_dialog(self))
        self._refresh_recent()
        install_help_menu(self)

    def show_worklist(self, shown: bool) -> None:
        """Hide the worklist to give the case the whole window (a laptop screen), or show it again."""
        self.left.setVisible(shown)
        self.worklist_action.setChecked(shown)

    def show_reports(self) -> None:
        self.show_worklist(True)
        self.left.setCurrentWidget(self.reports)

    def show_cases(self, case_ids: list[str], label: str) -> None:
        """A bar of the Reports view clicked: the worklist shows exactly those cases."""
        self.left.setCurrentWidget(self.worklist)
        self.worklist.show_only_cases(frozenset(case_ids), label)

    def _update_undo(self, *_changes: object) -> None:
        """The Edit menu names what Ctrl+Z would take back ("Undo: Date of birth changed"); kept
        true after every change and case switch, not only when the menu opens."""
        self.undo_action.setEnabled(self.case_view.can_undo())
        self.undo_action.setText(self.case_view.undo_text().replace("&", "&&") or "&Undo")

    def _refresh_recent(self) -> None:
        self.recent_menu.clear()
        for root in self.config.recent:
            action = self.recent_menu.addAction(root)
            action.triggered.connect(lambda _checked=False, r=root: self.open_workspace(Path(r)))
        self.recent_menu.setEnabled(bool(self.config.recent))

    # -- workspace ---------------------------------------------------------------------------

    def open_workspace(self, root: Path) -> bool:
        """Open a workspace and load its worklist in the background."""
        try:
            workspace = open_workspace(root)
        except DamagedWorkspace as error:
            return self._offer_restore(root, error)
        except UserError as error:
            self.statusBar().showMessage(str(error))
            show_user_error(self, error)
            return False
        self._switch_to(workspace)
        return True

    def _switch_to(self, workspace: Workspace) -> None:
        self.case_view.close_case()
        if self.workspace is not None:
            self.workspace.close()
        self.workspace = workspace
        self.operations.row_of = lambda path: worklist_row(workspace, path)
        self.operations.rows_at = lambda paths: worklist_rows_at(workspace.root, paths)
        self.case_view.workspace = workspace
        self.worklist.workspace = workspace
        self.reports.set_workspace(workspace.root, [p.name for p in workspace.payers()])
        self.case_view.set_assignees([(u.label, u.login) for u in workspace.users()])
        self.config = load_config()
        self._refresh_recent()
        read_only = "  (read-only)" if workspace.read_only else ""
        self.setWindowTitle(f"Appeal Workstation — {workspace.root.name}{read_only}")
        self.new_case_action.setEnabled(not workspace.read_only)
        self.new_case_from_scan_action.setEnabled(not workspace.read_only)
        self.import_action.setEnabled(not workspace.read_only)
        self.reload_worklist()

    def _offer_restore(self, root: Path, error: DamagedWorkspace) -> bool:
        if error.backup is None:
            show_user_error(self, error)
            return False
        answer = QMessageBox.question(self, "Workspace damaged", f"{error}\n\nRestore the backup now?")
        if answer != QMessageBox.StandardButton.Yes:
            return False
        restore_workspace_backup(root)
        return self.open_workspace(root)

    def _loaded_rows(self) -> list[CaseSummary] | None:
        """The worklist's rows for the Reports view; None while they load (or none yet: it reads them)."""
        if self.loader is not None and self.loader.is_running():
            return None
        return self.worklist.model.rows() or None

    def reload_worklist(self) -> None:
        """Rescan and load every row on a worker thread; the window stays responsive."""
        if self.workspace is None or (self.loader and self.loader.is_running()):
            return
        self.loader = BackgroundTask(lambda **kw: load_worklist(self.workspace.root, **kw), self)
        self.loader.progress.connect(self.report_progress)
        self.loader.finished.connect(self._load_finished)
        self.loader.failed.connect(self.task_failed)
        self.statusBar().showMessage("Loading cases…")
        QTimer.singleShot(PROGRESS_DELAY_MS, self._show_progress_if_still_loading)
        self.loader.start()

    def _show_progress_if_still_loading(self) -> None:
        self.show_progress(self.loader is not None and self.loader.is_running())

    def report_progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)

    def _load_finished(self, rows: list[CaseSummary]) -> None:
        if self.workspace is None:  # the window closed while the rows were loading
            return
        self.show_progress(False)
        cancelled = self.loader is not None and self.loader.cancel_token()
        self.worklist.set_rows(rows)
        if self.case_view.case_file is None:
            self.worklist.select_first()
        problems = sum(1 for r in rows if r.problem)
        files = "1 file cannot" if problems == 1 else f"{problems} files cannot"
        note = f"; {files} be opened (see the red rows)" if problems else ""
        done = "Loading cancelled; showing what was read" if cancelled else f"Loaded {len(rows)} cases"
        self.statusBar().showMessage(done + note, 8000)
        if self.workspace is not None and (left_out := left_out_notice(self.workspace.root)):
            self.worklist.bulk.report.say(left_out, "warning")  # its cases' deadlines follow another ladder
        self.worklist_loaded.emit(len(rows))
        _settle_once()

    def task_failed(self, error: object) -> None:
        self.show_progress(False)
        if isinstance(error, UserError):
            show_user_error(self, error)
            return
        raise error  # a bug: goes to the bug-report hook

    def _cancel_load(self) -> None:
        for task in (self.loader, self.remittances.importer):
            if task is not None and task.is_running():
                task.cancel()

    def show_progress(self, visible: bool) -> None:
        self.progress.setVisible(visible)
        self.cancel_button.setVisible(visible)

    def _update_totals(self) -> None:
        rows = self.worklist.proxy.shown_rows()  # counts and a sum: the order does not matter
        total = sum((r.amount_at_stake for r in rows), ZERO)
        self.totals.setText(f"{len(rows)} of {self.worklist.model.rowCount()} cases · {dollars(total)} at stake")

    def case_changed(self, path: Path) -> None:
        """A case changed outside the hub (a new case, an import): refresh its row like any op."""
        self.operations.did_execute(Changes(case_path=Path(path), worklist=True))

    def show_rows(self, rows: list[CaseSummary]) -> None:
        """The hub's fresh rows: the rows, the "Needs attention" line and the totals show the truth."""
        for row in rows:
            self.worklist.model.update_row(row)
        self.worklist.refresh_summary()
        self._update_totals()

    # -- dialogs -----------------------------------------------------------------------------

    def new_workspace_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose an empty folder for the new workspace")
        if folder:
            self.create_workspace(Path(folder))

    def create_workspace(self, folder: Path) -> None:
        """A new workspace in `folder`, plain or encrypted as the biller chooses (issue 12.1)."""
        choice = ask_new_workspace(self)
        if choice is not None:
            try:
                workspace = (init_workspace(folder) if choice.passphrase is None
                             else create_encrypted_workspace(folder, choice.passphrase))
                self._switch_to(workspace)
                config = load_config()
                config.remember(Path(folder))
                save_config(config)
                self._refresh_recent()
            except UserError as error:
                show_user_error(self, error)

    def open_workspace_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open a workspace folder")
        if folder:
            self.open_workspace(Path(folder))

    def new_case_dialog(self) -> None:
        if self.workspace is None:
            return
        dialog = NewCaseDialog(self.workspace.payers(), self)
        if dialog.exec() and dialog.entry is not None:
            self.create_case(dialog.entry)

    def create_case(self, entry) -> Path | None:
        assert self.workspace is not None
        try:
            path = new_manual_case(self.workspace, entry, actor=self.config.user)
        except UserError as error:
            show_user_error(self, error)
            return None
        self.case_changed(path)
        self.worklist.select_path(path)
        return path

    def preferences_dialog(self) -> None:
        users = self.workspace.users() if self.workspace else []
        dialog = PreferencesDialog(self.config.user, users, self)
        if dialog.exec():
            self.config.current_user = dialog.chosen_user()
            save_config(self.config)
            self.case_view.actor = self.config.user
            self.worklist.current_user = self.config.user

    def settings_dialog(self) -> None:
        workspace = self.workspace
        if workspace is None:
            return
        self.settings_window = WorkspaceSettingsDialog(
            workspace.settings(), lambda chosen: self.operations.run_or_raise(lambda: save_settings(workspace, chosen)),
            self)
        self.settings_window.open()

    def practice_dialog(self) -> None:
        workspace = self.workspace
        if workspace is None:
            return
        self.practice_window = PracticeDialog(
            workspace, lambda profile, images: self.operations.run_or_raise(
                lambda: save_practice(workspace, profile, images)), self)
        self.practice_window.open()

    def payers_dialog(self) -> None:
        if self.workspace is None:
            return
        self.payers_window = PayersDialog(self.workspace, self)
        # ladders move every date of the payer's cases
        self.payers_window.finished.connect(
            lambda _result: self.operations.did_execute(Changes(workspace=True, worklist=True)))
        self.payers_window.open()

    def users_dialog(self) -> None:
        workspace = self.workspace
        if workspace is None:
            return
        dialog = UsersDialog(workspace.users(), self)
        if dialog.exec():
            self.operations.run(lambda: save_users(workspace, dialog.users),
                                refused=lambda error: show_user_error(self, error))

    def workspace_changed(self, changes: Changes) -> None:
        """Settings, payers, users or the practice changed: whatever shows them reads them again."""
        if not changes.workspace or self.workspace is None:
            return
        self.case_view.set_assignees([(u.label, u.login) for u in self.workspace.users()])
        if changes.worklist:
            self.reload_worklist()

    def scan_dialog(self, paths: list[Path]) -> None:
        """File > New case from scan (a file chooser), or the scans dropped on the window."""
        self.scan_window = open_scan_dialog(self, paths)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and self.workspace is not None and not self.workspace.read_only:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Remittances dropped on the window are imported; scans (PDF, pictures) open the scan dialog."""
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        scans, others = split_scans(paths)
        if others:
            self.remittances.import_files(others)
        if scans:
            self.scan_dialog(scans)
        if paths:
            event.acceptProposedAction()

    # -- window state ------------------------------------------------------------------------

    def _settings(self) -> QSettings:
        return QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)

    def _restore_geometry(self) -> None:
        settings = self._settings()
        if not self.restoreGeometry(settings.value("geometry", b"")):
            self.resize(1360, 820)
        self._fit_to_screen()
        if not self.splitter.restoreState(settings.value("splitter", b"")):
            self.splitter.setSizes([self.width() * 11 // 20, self.width() * 9 // 20])  # the case view ~45%

    def _fit_to_screen(self) -> None:
        """Open inside the screen (a 1366x768 laptop has 728 pixels or so below its task bar)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        room = screen.availableGeometry()
        width, height = min(self.width(), room.width()), min(self.height(), room.height() - 40)  # the title bar
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        if not room.contains(self.geometry().topLeft()):
            self.move(room.topLeft())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.case_view.reload_if_changed()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        settings = self._settings()
        settings.setValue("geometry", self.saveGeometry())
        settings.setValue("splitter", self.splitter.saveState())
        settings.sync()
        for task in (self.loader, self.remittances.importer):
            if task is not None and task.is_running():
                task.cancel()
                task.wait()
        self.case_view.close_case()
        self.case_view.workspace = None
        self.operations.row_of = self.operations.rows_at = None
        if self.workspace is not None:
            self.workspace.close()
            self.workspace = None
        super().closeEvent(event)



