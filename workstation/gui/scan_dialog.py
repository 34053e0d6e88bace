"""File > New case from scan: the scan read off the GUI thread (a page at a time, with Cancel), then
the page with each proposed field highlighted beside a form the biller corrects and confirms.

Nothing is written until the biller confirms; the case is then created (or the scan added to the
case of the same claim) through the window's hub, like every other change."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workstation.core.changes import Changes
from workstation.core.errors import UserError
from workstation.core.payer_kinds import default_ladders, kind_from_name
from workstation.core.scan import FIELD_LABELS, ProposedField, ScannedPage, ScanProposal
from workstation.core.vocabulary import PayerKind
from workstation.gui.widgets import plain_label
from workstation.ops.scan import (
    ScanCancelled,
    ScanOutcome,
    add_scan_to_case,
    confirm,
    create_case_from_scan,
    matching_cases,
    scan_files,
)

if TYPE_CHECKING:
    from workstation.casefile.workspace import Workspace
    from workstation.gui.operations import Operations

SCAN_FILTER = "Scans (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)"
NEW_CASE = "new"
FIELD_COLOR, CHOSEN_COLOR = QColor(255, 200, 0, 70), QColor(230, 90, 0)


class PageView(QLabel):
    """One page of the scan with the proposed fields' boxes drawn over it (the chosen one outlined)."""

    def __init__(self) -> None:
        super().__init__()
        self.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.setObjectName("scan_page")
        self.page: ScannedPage | None = None
        self.fields: list[ProposedField] = []
        self.chosen = ""
        self.width_shown = 560

    def show_page(self, page: ScannedPage, fields: list[ProposedField], chosen: str = "") -> None:
        self.page, self.fields, self.chosen = page, [f for f in fields if f.page == page.number], chosen
        self.redraw()

    def redraw(self) -> None:
        page = self.page
        picture = QPixmap()
        if page is None or not page.image or not picture.loadFromData(page.image):
            self.setText(page.problem if page is not None and page.problem else "No picture of this page.")
            return
        picture = picture.scaledToWidth(self.width_shown, Qt.TransformationMode.SmoothTransformation)
        scale = picture.width() / max(page.width, 1)
        painter = QPainter(picture)
        for found in self.fields:
            chosen = found.name == self.chosen
            painter.setPen(QPen(CHOSEN_COLOR, 3) if chosen else Qt.PenStyle.NoPen)
            painter.setBrush(FIELD_COLOR)
            for box in found.boxes:
                painter.drawRect(QRect(round(box.left * scale) - 2, round(box.top * scale) - 2,
                                       round(box.width * scale) + 4, round(box.height * scale) + 4))
        painter.end()
        self.setPixmap(picture)


class FieldEdit(QLineEdit):
    """A field of the form; when it takes the focus, its place on the page is outlined."""

    def __init__(self, text: str, focused: Callable[[], None]) -> None:
        super().__init__(text)
        self._focused = focused

    def focusInEvent(self, event: Any) -> None:
        super().focusInEvent(event)
        self._focused()


class ScanDialog(QDialog):
    """Reads the scan in the background, then shows the proposal for the biller to confirm."""

    def __init__(self, operations: Operations, workspace: Workspace, actor: str, paths: list[Path],
                 parent: QWidget | None = None, on_written: Callable[[Path], None] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New case from scan")
        self.operations, self.workspace, self.actor, self.paths = operations, workspace, actor, paths
        self.on_written = on_written
        self.proposal: ScanProposal | None = None
        self.outcome: ScanOutcome | None = None
        self.task: Any = None
        self.closed = False
        self.edits: dict[str, QLineEdit] = {}
        self._build()
        self.resize(1180, 700)

    # -- layout --------------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.status = plain_label(f"Reading {', '.join(p.name for p in self.paths)}...")
        self.status.setObjectName("scan_status")
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        self.body = QSplitter(Qt.Orientation.Horizontal)
        self.body.setVisible(False)
        layout.addWidget(self.body, 1)
        self.page_choice = QComboBox()
        self.page_choice.currentIndexChanged.connect(lambda _i: self._show_page())
        self.page_view = PageView()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.page_choice)
        self.page_scroll = QScrollArea()
        self.page_scroll.setWidgetResizable(True)
        self.page_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.page_scroll.setWidget(self.page_view)
        left_layout.addWidget(self.page_scroll, 1)
        self.body.addWidget(left)
        self.body.addWidget(self._form_side())
        self.body.setStretchFactor(0, 11)
        self.body.setStretchFactor(1, 9)
        self.body.splitterMoved.connect(lambda _pos, _index: self._fit_page())
        self.problem = plain_label()
        self.problem.setObjectName("scan_problem")
        self.problem.setStyleSheet("color: #b00020;")
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox()
        self.confirm_button = QPushButton("Create the case")
        self.confirm_button.setObjectName("scan_confirm")
        self.confirm_button.setEnabled(False)
        self.confirm_button.clicked.connect(self.confirm)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.clicked.connect(self.cancel)
        self.buttons.addButton(self.confirm_button, QDialogButtonBox.ButtonRole.AcceptRole)
        layout.addWidget(self.buttons)

    def _form_side(self) -> QWidget:
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(plain_label("Check each value against the paper and correct it; highlighted on the page "
                                     "is where it was read. Empty fields were not read surely enough: type them."))
        holder = QWidget()
        self.form = QFormLayout(holder)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        column.addWidget(scroll, 1)
        self.kind = QComboBox()
        self.kind.setObjectName("payer_kind")
        for kind, ladder in default_ladders().items():
            self.kind.addItem(ladder.label, kind.value)
        self.target = QComboBox()
        self.target.setObjectName("scan_target")
        self.target.currentIndexChanged.connect(lambda _i: self._target_changed())
        self.record_decision = QCheckBox("Record the decision the letter states on that case")
        self.record_decision.setObjectName("scan_record_decision")
        row = QHBoxLayout()
        row.addWidget(QLabel("Use it for"))
        row.addWidget(self.target, 1)
        column.addLayout(row)
        column.addWidget(self.record_decision)
        return side

    # -- reading -------------------------------------------------------------------------------

    def start(self) -> None:
        """Read the scan on a worker thread; the window stays usable meanwhile."""
        paths = list(self.paths)

        def read(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> ScanProposal:
            return scan_files(paths, progress=lambda done, total, _name: progress(done, total), cancelled=cancelled)

        self.task = self.operations.run_in_background(read, done=self._proposed, refused=self._refused,
                                                      changes_of=lambda _result: Changes(), progress=self._progress)

    def _progress(self, done: int, total: int) -> None:
        if self.closed:
            return
        self.bar.setRange(0, total)
        self.bar.setValue(done)
        self.status.setText(f"Read page {done} of {total}...")

    def _refused(self, error: UserError) -> None:
        self.task = None
        if self.closed:
            return
        if isinstance(error, ScanCancelled):
            self.reject()
            return
        self.bar.setVisible(False)
        self.status.setText(str(error))
        self.cancel_button.setText("Close")

    def _proposed(self, proposal: ScanProposal) -> None:
        self.task = None
        if self.closed:
            return
        self.proposal = proposal
        self.bar.setVisible(False)
        empty = f"; {len(proposal.left_empty)} left empty for you" if proposal.left_empty else ""
        pages = f"{len(proposal.pages)} page{'s' if len(proposal.pages) != 1 else ''}"
        self.status.setText(f"Read {pages}: {len(proposal.fields)} fields proposed{empty}. " + " ".join(proposal.notes))
        self._fill_form(proposal)
        self.page_choice.blockSignals(True)
        self.page_choice.addItems([f"Page {page.number}" for page in proposal.pages])
        self.page_choice.blockSignals(False)
        self.page_choice.setVisible(len(proposal.pages) > 1)
        self.body.setVisible(True)
        self.body.setSizes([self.width() * 11 // 20, self.width() * 9 // 20])
        self._fit_page()
        self._offer_targets(proposal)
        self.confirm_button.setEnabled(True)

    def _fill_form(self, proposal: ScanProposal) -> None:
        for name, label in FIELD_LABELS.items():
            found = proposal.fields.get(name)
            edit = FieldEdit(found.value if found else "", lambda name=name: self._field_chosen(name))
            edit.setObjectName(f"scan_{name}")
            edit.setToolTip(_how_read(name, found, proposal))
            self.edits[name] = edit
            self.form.addRow(f"{label} ({_confidence_text(name, found, proposal)})", edit)
        payer = proposal.value("payer_name")
        kind = kind_from_name(payer) or PayerKind.COMMERCIAL
        self.kind.setCurrentIndex(max(self.kind.findData(kind.value), 0))
        self.form.addRow("Payer kind", self.kind)

    def _offer_targets(self, proposal: ScanProposal) -> None:
        self.target.addItem("a new case", NEW_CASE)
        try:
            matches = matching_cases(self.workspace, confirm(proposal, {}))
        except UserError:
            matches = []
        for path in matches:
            row = self.workspace.index.row(path)
            who = f" ({row.patient}, {row.payer}, claim {row.claim_number or '-'})" if row else ""
            self.target.addItem(f"the case of the same claim: {path.name}{who}", str(path))
        if matches:
            self.target.setCurrentIndex(1)
        self._target_changed()

    def _target_changed(self) -> None:
        adding = self.target.currentData() not in (None, NEW_CASE)
        proposal = self.proposal
        decision = proposal is not None and proposal.kind == "decision_letter" and bool(proposal.value("decision"))
        self.record_decision.setVisible(adding and decision)
        self.confirm_button.setText("Add the scan to that case" if adding else "Create the case")

    def _field_chosen(self, name: str) -> None:
        proposal = self.proposal
        found = proposal.fields.get(name) if proposal else None
        if found and found.page and self.page_choice.currentIndex() != found.page - 1:
            self.page_choice.setCurrentIndex(found.page - 1)
        self.page_view.chosen = name
        self._show_page()

    def _show_page(self) -> None:
        proposal = self.proposal
        if proposal is None or not proposal.pages:
            return
        page = proposal.pages[max(self.page_choice.currentIndex(), 0)]
        self.page_view.show_page(page, list(proposal.fields.values()), self.page_view.chosen)

    # -- confirming ----------------------------------------------------------------------------

    def corrections(self) -> dict[str, str]:
        """Every field as the form shows it (an emptied field is a correction too), and the payer kind."""
        values = {name: edit.text().strip() for name, edit in self.edits.items()}
        values["payer_kind"] = str(self.kind.currentData())
        return values

    def confirm(self) -> None:
        proposal = self.proposal
        if proposal is None:
            return
        target = self.target.currentData()
        corrections, done = self.corrections(), []

        def write() -> Changes:
            if target in (None, NEW_CASE):
                outcome = create_case_from_scan(self.workspace, proposal, corrections, actor=self.actor,
                                                scans=self.paths)
            else:
                outcome = add_scan_to_case(Path(target), proposal, corrections, actor=self.actor, scans=self.paths,
                                           record_decision_too=self.record_decision.isVisible()
                                           and self.record_decision.isChecked(), workspace=self.workspace)
            done.append(outcome)
            return outcome.changes

        try:
            self.operations.run_or_raise(write)
        except UserError as error:
            self.problem.setText(f"{error} Nothing was written; correct the form and confirm again.")
            return
        self.outcome = done[0]
        if self.on_written is not None:
            self.on_written(self.outcome.path)
        self.accept()

    def cancel(self) -> None:
        """Stop the reading (it ends after the page it is on) or close: nothing is written either way."""
        if self.task is not None:
            self.status.setText("Stopping after this page...")
            self.task.cancel()
            return
        self.reject()

    def reject(self) -> None:
        """Closed while reading: the reading stops after its page and its result is dropped."""
        self.closed = True
        if self.task is not None:
            self.task.cancel()
        super().reject()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._fit_page()

    def _fit_page(self) -> None:
        """The page as wide as its pane (the pane scrolls down the page)."""
        width = max(320, self.page_scroll.viewport().width() - 6)
        if width != self.page_view.width_shown or self.page_view.pixmap().isNull():
            self.page_view.width_shown = width
            self._show_page()


def _confidence_text(name: str, found: ProposedField | None, proposal: ScanProposal) -> str:
    if found is not None:
        return f"{round(found.confidence * 100)}% sure"
    return "read, not surely: type it" if name in proposal.left_empty else "not found"


def _how_read(name: str, found: ProposedField | None, proposal: ScanProposal) -> str:
    if found is None:
        return ("Read on the page, but not surely enough to propose: check the paper." if name in proposal.left_empty
                else "Not found on the scan.")
    read = f" (read as \"{found.read_as}\")" if found.read_as else ""
    return f"Page {found.page}, {round(found.confidence * 100)}% sure{read}."


def open_scan_dialog(window: Any, paths: list[Path] | None = None) -> ScanDialog | None:
    """File > New case from scan, or scans dropped on the window: the dialog, reading already.
    `window` is the main window (its workspace, hub, user and worklist)."""
    if window.workspace is None:
        return None
    if not paths:
        chosen, _filter = QFileDialog.getOpenFileNames(window, "Choose the scanned EOB or letter", "", SCAN_FILTER)
        paths = [Path(p) for p in chosen]
    if not paths:
        return None
    worklist = getattr(window, "worklist", None)
    dialog = ScanDialog(window.operations, window.workspace, window.config.user, [Path(p) for p in paths], window,
                        on_written=worklist.select_path if worklist is not None else None)
    dialog.open()
    dialog.start()
    return dialog
