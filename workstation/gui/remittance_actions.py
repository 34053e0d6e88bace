"""File > Import remittance, drag and drop of remittances, and File > Validate file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox

from workstation.casefile.workspace import Workspace
from workstation.core.errors import UserError
from workstation.gui.dialogs import show_user_error
from workstation.gui.import_dialog import ImportSummaryDialog
from workstation.gui.workers import BackgroundTask
from workstation.ops.explain import ValidationReport, validate_file
from workstation.ops.import_remittance import import_remittances, open_case_by_hand
from workstation.ops.import_summary import ClaimWithoutCase, ImportSummary

if TYPE_CHECKING:
    from workstation.gui.main_window import MainWindow


class RemittanceActions(QObject):
    """Runs imports and validations off the GUI thread for one main window."""

    #: "Another import is running; waiting…", emitted on the worker thread, shown in the status bar.
    waiting = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.waiting.connect(window.statusBar().showMessage)
        self.importer: BackgroundTask | None = None
        self.validator: BackgroundTask | None = None
        self.last_import: ImportSummary | None = None
        self.summary_dialog: ImportSummaryDialog | None = None

    def import_dialog(self) -> None:
        files, _filter = QFileDialog.getOpenFileNames(
            self.window, "Import remittance files", "", "Remittances (*.835 *.edi *.txt *.x12 *.era);;All files (*)")
        if files:
            self.import_files([Path(f) for f in files])

    def import_files(self, paths: list[Path]) -> None:
        """Import on a worker thread with progress and Cancel; the summary opens when done."""
        if self.window.workspace is None or (self.importer and self.importer.is_running()):
            return
        root, actor = self.window.workspace.root, self.window.config.user
        self.importer = BackgroundTask(
            lambda **kw: _import_in_worker(root, paths, actor, waiting=self.waiting.emit, **kw), self)
        self.importer.progress.connect(self.window.report_progress)
        self.importer.finished.connect(self._import_finished)
        self.importer.failed.connect(self.window.task_failed)
        self.window.statusBar().showMessage(f"Importing {len(paths)} file(s)…")
        self.window.show_progress(True)
        self.importer.start()

    def _import_finished(self, summary: ImportSummary) -> None:
        self.window.show_progress(False)
        self.last_import = summary
        self.window.reload_worklist()
        self.summary_dialog = ImportSummaryDialog(summary, self._open_by_hand, self.window,
                                                  open_case=self.window.worklist.select_path)
        self.summary_dialog.open()

    def _open_by_hand(self, item: ClaimWithoutCase) -> Path | None:
        assert self.window.workspace is not None
        try:
            path = open_case_by_hand(self.window.workspace, item, actor=self.window.config.user)
        except UserError as error:
            show_user_error(self.window, error)
            return None
        self.window.case_changed(path)
        return path

    def validate_dialog(self) -> None:
        file, _filter = QFileDialog.getOpenFileName(self.window, "Validate an X12 file")
        if file:
            self.validate_file(Path(file))

    def validate_file(self, path: Path) -> None:
        """pyx12's full check, off the GUI thread (it takes about a millisecond a claim)."""
        self.validator = BackgroundTask(lambda **_kw: validate_file(path), self)
        self.validator.finished.connect(self._show_validation)
        self.validator.failed.connect(self.window.task_failed)
        self.window.statusBar().showMessage(f"Validating {path.name}…")
        self.validator.start()

    def _show_validation(self, report: ValidationReport) -> None:
        verdict = "valid" if report.valid else "not valid"
        icon = QMessageBox.Icon.Information if report.valid else QMessageBox.Icon.Warning
        box = QMessageBox(icon, "X12 validation", f"{report.file} is {verdict} by the X12 implementation guide.",
                          parent=self.window)
        if report.messages:
            box.setDetailedText("\n".join(report.messages))
        self.validation_box = box  # kept alive while it is open
        box.open()


def _import_in_worker(root: Path, paths: list[Path], actor: str, **callbacks) -> ImportSummary:
    """The worker thread opens its own workspace (SQLite connections belong to one thread)."""
    with Workspace.open(root, backup=False) as workspace:
        return import_remittances(workspace, paths, actor=actor, **callbacks)
