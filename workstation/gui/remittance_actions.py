"""File > Import remittance, drag and drop of remittances, and File > Validate file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox

from workstation.core.changes import Changes
from workstation.core.errors import UserError
from workstation.gui.dialogs import show_user_error
from workstation.gui.import_dialog import ImportSummaryDialog
from workstation.gui.workers import BackgroundTask
from workstation.ops.explain import ValidationReport, validate_file
from workstation.ops.import_remittance import import_into, open_case_by_hand
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
        self.window.statusBar().showMessage(f"Importing {len(paths)} file(s)…")
        self.window.show_progress(True)
        self.importer = self.window.operations.run_in_background(
            lambda **kw: import_into(root, paths, actor=actor, waiting=self.waiting.emit, **kw),
            done=self._import_finished, refused=self._import_refused, progress=self.window.report_progress,
            # the whole worklist is read again when it ends: no row-by-row refresh of a thousand new cases
            changes_of=lambda summary: Changes(cases=frozenset(summary.created_paths)))

    def _import_refused(self, error: UserError) -> None:
        self.window.show_progress(False)
        show_user_error(self.window, error)

    def _import_finished(self, summary: ImportSummary) -> None:
        self.window.show_progress(False)
        self.last_import = summary
        self.window.reload_worklist()  # an import may change many cases: every row is read again
        self.window.case_view.reload_if_changed()  # the open case may have had a later remittance
        self.summary_dialog = ImportSummaryDialog(summary, self._open_by_hand, self.window,
                                                  open_case=self.window.worklist.select_path)
        self.summary_dialog.open()

    def _open_by_hand(self, item: ClaimWithoutCase) -> Path | None:
        workspace, opened = self.window.workspace, []
        assert workspace is not None

        def open_it() -> Changes:
            opened.append(open_case_by_hand(workspace, item, actor=self.window.config.user))
            return Changes(case_path=opened[0], worklist=True)

        self.window.operations.run(open_it, refused=lambda error: show_user_error(self.window, error))
        return opened[0] if opened else None

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
