"""What the worklist does with the rows a biller selected: assign, change status, write off
small balances, export to CSV; and printing the worklist as it is shown.

Each bulk action is an op (`ops/bulk.py`) run through the window's hub, on a worker thread with
progress and Cancel when many cases are selected; the hub refreshes the changed rows. Cases the
op could not change are listed, one sentence each, under the result."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from workstation.core.changes import Changes
from workstation.core.errors import UserError
from workstation.core.summary import CaseSummary
from workstation.core.vocabulary import Status
from workstation.documents.worklist_pdf import WorklistSheet, worklist_pdf
from workstation.gui.bulk_dialogs import AssignDialog, StatusDialog, WriteOffDialog
from workstation.gui.case_view.letter_panel import print_pdf
from workstation.gui.case_view.view import MessageStrip
from workstation.gui.passphrase_dialog import confirm_export_from
from workstation.gui.workers import BackgroundTask
from workstation.gui.worklist_columns import window_settings
from workstation.gui.worklist_model import COLUMNS
from workstation.ops.audit import record_print
from workstation.ops.bulk import (
    DEFAULT_WRITE_OFF_LIMIT,
    BulkResult,
    assign_cases,
    set_cases_status,
    write_off_small_balances,
)
from workstation.ops.worklist_export import export_worklist_csv

if TYPE_CHECKING:
    from workstation.casefile.workspace import Workspace
    from workstation.gui.worklist_view import WorklistView

#: More selected cases than this run on a worker thread, with progress and Cancel (each case is a
#: file opened, changed and closed, 10-30 ms: a dozen keep the window answering at once).
BACKGROUND_FROM = 12
LIMIT_KEY = "worklist/write_off_limit"
WRAPPED = ("Patient", "Payer", "Denial reason")  # on paper these wrap; numbers and amounts stay whole
Task = Callable[..., BulkResult]


class BulkReport(QWidget):
    """The outcome of the last bulk action: one line, then each case left as it was (double-click
    one to select it)."""

    def __init__(self, choose: Callable[[Path], bool]) -> None:
        super().__init__()
        self.strip = MessageStrip()
        self.strip.setObjectName("bulk_message")
        self.refusals = QListWidget()
        self.refusals.setObjectName("bulk_refusals")
        self.refusals.setWordWrap(True)
        self.refusals.itemActivated.connect(lambda item: choose(item.data(Qt.ItemDataRole.UserRole)))
        self.dismiss = QPushButton("Dismiss")
        self.dismiss.setObjectName("bulk_dismiss")
        self.dismiss.clicked.connect(self.hide)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.strip, 1)
        top.addWidget(self.dismiss)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.addLayout(top)
        layout.addWidget(self.refusals)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.hide()

    def show_result(self, result: BulkResult) -> None:
        kind = "warning" if result.refusals or result.not_reached else "success"
        tail = " Each case left as it was is named below." if result.refusals else ""
        self.say(result.summary() + tail, kind)
        self.refusals.clear()
        for refusal in result.refusals:
            item = QListWidgetItem(refusal.sentence)
            item.setToolTip(refusal.sentence)
            item.setData(Qt.ItemDataRole.UserRole, refusal.path)
            self.refusals.addItem(item)
        lines = min(2 * len(result.refusals), 6)  # a sentence may take two lines; the list scrolls for more
        spacing = self.refusals.fontMetrics().lineSpacing()
        self.refusals.setFixedHeight(lines * spacing + 2 * self.refusals.frameWidth() + 6)
        self.refusals.setVisible(bool(result.refusals))

    def say(self, message: str, kind: str, path: Path | None = None) -> None:
        self.strip.show_message(message, kind, path)
        self.refusals.hide()
        self.show()


class BulkActions(QObject):
    """The worklist's actions on selected rows, and the worklist's printing."""

    def __init__(self, view: WorklistView) -> None:
        super().__init__(view)
        self.view = view
        self.dialog: AssignDialog | StatusDialog | WriteOffDialog | None = None
        self.task: BackgroundTask | None = None
        self.last_result: BulkResult | None = None
        self.report = BulkReport(view.select_path)
        self.select_all = self._action("Select all", "select_all", view.select_all_rows,
                                       QKeySequence.StandardKey.SelectAll)
        self.assign = self._action("Assign…", "bulk_assign", self.ask_assignee,
                                   tip="Give the selected cases to one person")
        self.status = self._action("Change status…", "bulk_status", self.ask_status,
                                   tip="Move the selected cases to one status, where the workflow allows")
        self.write_off = self._action("Write off small balances…", "bulk_write_off", self.ask_write_off,
                                      tip="Write off the selected cases at or under an amount, with a reason")
        self.export = self._action("Export to CSV…", "export_csv", self.export_csv,
                                   tip="Save the selected cases as a spreadsheet file")
        self.print = self._action("Print the worklist…", "print_worklist", self.print_worklist,
                                  tip="Print the cases shown, in their order, with the filters named")
        self.save_pdf = self._action("Save the worklist as PDF…", "save_worklist_pdf", self.save_worklist_pdf,
                                     tip="The printed worklist as a PDF file")
        self.progress = QProgressBar()
        self.progress.setObjectName("bulk_progress")
        self.progress.setMaximumWidth(160)
        self.cancel = QPushButton("Cancel")
        self.cancel.setObjectName("bulk_cancel")
        self.cancel.clicked.connect(self._cancel)
        self._show_progress(False)

    def _action(self, text: str, name: str, slot: Callable[[], Any],
                shortcut: QKeySequence | QKeySequence.StandardKey | None = None, tip: str = "") -> QAction:
        action = QAction(text, self.view)
        action.setObjectName(name)
        action.setToolTip(tip or text.rstrip("…"))
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.view.addAction(action)
        return action

    @property
    def bulk(self) -> list[QAction]:
        return [self.assign, self.status, self.write_off, self.export]

    def enable(self, selected: int) -> None:
        """Actions on a selection need one; changes need a writable workspace and no run under way."""
        busy = self.task is not None and self.task.is_running()
        writable = self.view.workspace is not None and not self.view.workspace.read_only
        for action in (self.assign, self.status, self.write_off):
            action.setEnabled(selected > 0 and writable and not busy)
        self.export.setEnabled(selected > 0)

    # -- asking ------------------------------------------------------------------------------

    def ask_assignee(self) -> None:
        rows = self.view.selected_rows()
        if rows:
            self._ask(AssignDialog(self.view.assignee_choices(), len(rows), self.view),
                      lambda dialog: self._assign(dialog.chosen(), rows))

    def _assign(self, login: str, rows: list[CaseSummary]) -> None:
        workspace, paths, actor = self._workspace(), [r.path for r in rows], self._actor()
        self.run(lambda **kw: assign_cases(workspace, paths, assignee=login, actor=actor, **kw), len(rows))

    def ask_status(self) -> None:
        rows = self.view.selected_rows()
        if rows:
            self._ask(StatusDialog(rows, self.view), lambda dialog: self._move(dialog.chosen(), rows))

    def _move(self, status: Status, rows: list[CaseSummary]) -> None:
        workspace, paths, actor = self._workspace(), [r.path for r in rows], self._actor()
        self.run(lambda **kw: set_cases_status(workspace, paths, status=status, actor=actor, **kw), len(rows))

    def ask_write_off(self) -> None:
        rows = self.view.selected_rows()
        if rows:
            self._ask(WriteOffDialog(rows, self._last_limit(), self.view), lambda d: self._write_off(d, rows))

    def _write_off(self, dialog: WriteOffDialog, rows: list[CaseSummary]) -> None:
        """Values are read here, on the GUI thread: the op may run on a worker thread."""
        limit, reason = dialog.terms()
        settings = window_settings()
        settings.setValue(LIMIT_KEY, f"{limit:.2f}")
        workspace, paths, actor = self._workspace(), [r.path for r in rows], self._actor()
        self.run(lambda **kw: write_off_small_balances(workspace, paths, limit=limit, reason=reason, actor=actor,
                                                       **kw), len(rows))

    def _last_limit(self) -> Decimal:
        try:
            return Decimal(str(window_settings().value(LIMIT_KEY, DEFAULT_WRITE_OFF_LIMIT)))
        except ArithmeticError:
            return DEFAULT_WRITE_OFF_LIMIT

    def _ask(self, dialog: Any, then: Callable[[Any], None]) -> None:
        """Open a form without blocking the window; on OK, act on it."""
        self.dialog = dialog
        dialog.accepted.connect(lambda: then(dialog))
        dialog.open()

    def _workspace(self) -> Workspace:
        assert self.view.workspace is not None  # the actions are disabled without one
        return self.view.workspace

    def _actor(self) -> str:
        return self.view.current_user

    # -- running -----------------------------------------------------------------------------

    def run(self, task: Task, count: int) -> None:
        """Run a bulk op through the hub: here for a few cases, on a worker thread for many."""
        operations = self.view.operations
        if operations is None:
            return
        if count <= BACKGROUND_FROM:
            results: list[BulkResult] = []
            if operations.run(lambda: _kept(results, task()), refused=self._refused) is not None:
                self.report.show_result(results[0])
            return
        self.report.say(f"Working on {count} cases…", "info")
        self._show_progress(True)
        self.progress.setRange(0, count)
        self.progress.setValue(0)
        self.task = operations.run_in_background(task, done=self._done, refused=self._refused,
                                                 changes_of=lambda result: result.changes,
                                                 progress=lambda done, _total: self.progress.setValue(done))
        self.enable(len(self.view.selected_rows()))

    def _done(self, result: BulkResult) -> None:
        self._show_progress(False)
        self.task = None
        self.last_result = result  # what the last run did (the report strip says it in words)
        self.report.show_result(result)
        self.enable(len(self.view.selected_rows()))

    def _refused(self, error: UserError) -> None:
        self._show_progress(False)
        self.task = None
        self.report.say(str(error), "error")

    def _cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _show_progress(self, visible: bool) -> None:
        self.progress.setVisible(visible)
        self.cancel.setVisible(visible)

    # -- export and print --------------------------------------------------------------------

    def export_csv(self) -> None:
        rows = self.view.selected_rows()
        if not rows or not confirm_export_from(self.view, self.view):
            return
        target, _filter = QFileDialog.getSaveFileName(self.view, "Export the selected cases", "worklist.csv",
                                                      "CSV (*.csv)")
        operations = self.view.operations
        if not target or operations is None:
            return
        # on a worker thread: 10,000 rows took a quarter of a second of the window's
        operations.run_in_background(
            lambda **_kw: export_worklist_csv(rows, Path(target)), refused=self._refused,
            done=lambda path: self.report.say(f"Exported {len(rows)} cases to a CSV file.", "success", path),
            changes_of=lambda _path: Changes())

    def sheet_maker(self) -> tuple[list[CaseSummary], Callable[[], WorklistSheet]]:
        """The rows shown, and what makes the sheet of them (shown columns, rows in order, filters
        in words): the widgets are read here, the rows' texts on any thread (10,000 rows: 0.2 s)."""
        columns = self.view.columns.shown()
        model = self.view.model
        rows = self.view.proxy.shown_rows()
        workspace = self.view.workspace
        title = f"Worklist — {workspace.root.name}" if workspace is not None else "Worklist"
        filters, summary = self.view.filters_in_words(), self.view.totals_in_words(rows)
        printed = f"Printed {datetime.now():%Y-%m-%d %H:%M}" + (f" by {self._actor()}" if self._actor() else "")

        def make() -> WorklistSheet:
            return WorklistSheet(
                title=title, filters=filters, columns=tuple(COLUMNS[c].title for c in columns),
                rows=tuple(tuple(model.display_text(row, c) for c in columns) for row in rows),
                right_aligned=frozenset(n for n, c in enumerate(columns) if COLUMNS[c].align_right),
                wrap=frozenset(n for n, c in enumerate(columns) if COLUMNS[c].title in WRAPPED),
                summary=summary, printed=printed)
        return rows, make

    def print_worklist(self) -> None:
        """The worklist as shown, through the system's print dialog."""
        self._build_pdf(self._print)

    def save_worklist_pdf(self) -> None:
        if not confirm_export_from(self.view, self.view):
            return
        target, _filter = QFileDialog.getSaveFileName(self.view, "Save the worklist", "worklist.pdf", "PDF (*.pdf)")
        if not target or self.view.workspace is None:
            return
        note_printed = self._print_noter("worklist saved as a PDF file")

        def save(pdf: bytes, rows: list[CaseSummary]) -> Path:
            """On the worker too: 5 MB written and 10,000 audit entries took 0.13-0.3 s of the window's."""
            written = Path(target)
            try:
                written.write_bytes(pdf)
            except OSError as error:
                raise UserError(f"{written.name} could not be written ({error.strerror or error}); "
                                "choose another folder.") from None
            note_printed(rows)
            return written
        self._build_pdf(lambda path, _rows: self.report.say("Saved the worklist as a PDF.", "success", path),
                        finish=save)

    def _build_pdf(self, then: Callable[[Any, list[CaseSummary]], None],
                   finish: Callable[[bytes, list[CaseSummary]], Any] | None = None) -> None:
        """Make the PDF on a worker thread (a long list is many pages) and, given, `finish` it there
        too; then hand the result on, on the GUI thread, with the rows it shows."""
        operations = self.view.operations
        if operations is None:
            return
        rows, make = self.sheet_maker()
        self.report.say(f"Making the worklist's pages ({len(rows)} cases)…", "info")

        def work(**_kw: Any) -> Any:
            pdf = worklist_pdf(make())
            return finish(pdf, rows) if finish is not None else pdf
        operations.run_in_background(work, done=lambda result: then(result, rows), refused=self._refused,
                                     changes_of=lambda _result: Changes())

    def _print(self, pdf: bytes, rows: list[CaseSummary]) -> None:
        self.report.hide()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName("Worklist")
        dialog = QPrintDialog(printer, self.view)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            print_pdf(pdf, printer)
            note_printed = self._print_noter("worklist printed")
            if self.view.operations is not None:  # 10,000 entries: off the window's thread, as a save's
                self.view.operations.run_in_background(lambda **_kw: note_printed(rows), done=lambda _r: None,
                                                       refused=self._refused, changes_of=lambda _r: Changes())
            self.report.say(f"Sent the worklist to {printer.printerName() or 'the printer'}.", "success")

    def _print_noter(self, what: str) -> Callable[[list[CaseSummary]], None]:
        """What records, from any thread, that the pages named these cases (the rows shown, as
        printed): by the workspace's folder, so the entries go through a connection of their own."""
        workspace, actor = self.view.workspace, self._actor()
        root = workspace.root if workspace is not None else None

        def note(rows: list[CaseSummary]) -> None:
            record_print(root, case_ids=[row.case_id for row in rows], actor=actor,
                         what=f"{what}, {len(rows)} cases")
        return note


def _kept(results: list[BulkResult], result: BulkResult) -> Changes:
    """Keep the result for the report; the hub gets its changes."""
    results.append(result)
    return result.changes

