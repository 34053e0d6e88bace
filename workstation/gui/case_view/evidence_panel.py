"""The Evidence tab: documents in packet order (drag to reorder, tick to include), a preview,
and attaching by dialog or by dropping files (the work runs off the GUI thread)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage, QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workstation.core.changes import Changes
from workstation.core.dates import parse_date
from workstation.core.errors import UserError
from workstation.core.model import Case, EvidenceDoc
from workstation.core.vocabulary import EvidenceKind
from workstation.gui.passphrase_dialog import confirm_export_from
from workstation.gui.widgets import plain_label
from workstation.gui.workers import BackgroundTask
from workstation.ops.cases import open_case_file
from workstation.ops.evidence import (
    MAX_TITLE_CHARS,
    AttachResult,
    attach_files,
    describe_document,
    export_document,
    include_document,
    preview_page,
    remove_document,
    reorder_documents,
)
from workstation.ops.review import review_state

if TYPE_CHECKING:
    from workstation.gui.case_view.view import CaseView

DOC_ROLE = Qt.ItemDataRole.UserRole
PREVIEW_WIDTH = 460


class DocumentList(QListWidget):
    """Packet order by drag and drop; emits the new order of document ids."""

    reordered = Signal(list)
    files_dropped = Signal(list)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("evidence_list")
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setAcceptDrops(True)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        if event.mimeData().hasUrls():
            self.files_dropped.emit([Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()])
            event.acceptProposedAction()
            return
        super().dropEvent(event)
        self.reordered.emit(self.document_ids())

    def document_ids(self) -> list[int]:
        return [self.item(i).data(DOC_ROLE) for i in range(self.count())]


class EvidencePanel(QWidget):
    attach_finished = Signal(object)

    def __init__(self, view: CaseView) -> None:
        super().__init__()
        self.view = view
        self.documents: list[EvidenceDoc] = []
        self.attacher: BackgroundTask | None = None
        self.page = 0
        self._pending_page: int | None = None  # a preview asked for while the tab was hidden
        self._build()

    def _build(self) -> None:
        self.needs = plain_label()
        self.needs.setObjectName("evidence_needs")
        self.list = DocumentList()
        self.list.reordered.connect(self._reordered)
        self.list.files_dropped.connect(self.attach)
        self.list.itemChanged.connect(self._included_changed)
        self.list.currentRowChanged.connect(lambda _row: self._show_preview(0))
        self.kind = QComboBox()
        self.kind.setObjectName("evidence_kind")
        for kind in EvidenceKind:
            self.kind.addItem(kind.value.replace("_", " ").capitalize(), kind.value)
        self.kind.activated.connect(lambda _i: self._save_details())
        row = QHBoxLayout()
        for label, slot, name in (("Add…", self.add_dialog, "evidence_add"), ("Export…", self.export_dialog,
                                                                             "evidence_export"),
                                  ("Remove", self.remove_selected, "evidence_remove")):
            button = QPushButton(label)
            button.setObjectName(name)
            button.clicked.connect(slot)
            row.addWidget(button)
        kind_row = QHBoxLayout()
        kind_row.addWidget(QLabel("Kind:"))
        kind_row.addWidget(self.kind, 1)
        self.title_edit, self.date_edit = QLineEdit(), QLineEdit()
        self.title_edit.setObjectName("evidence_title")
        self.title_edit.setMaxLength(MAX_TITLE_CHARS)
        self.date_edit.setObjectName("evidence_date")
        self.date_edit.setPlaceholderText("document date")
        self.title_edit.editingFinished.connect(self._save_details)
        self.date_edit.editingFinished.connect(self._save_details)
        kind_row.addWidget(QLabel("Title:"))
        kind_row.addWidget(self.title_edit, 2)
        kind_row.addWidget(self.date_edit, 1)
        left = QWidget()
        column = QVBoxLayout(left)
        column.addWidget(self.needs)
        column.addWidget(self.list, 1)
        column.addLayout(row)
        column.addLayout(kind_row)
        column.addWidget(plain_label("Drop PDF, PNG, JPEG or TIFF files here to attach them; drag to reorder; "
                                     "untick to leave a document out of the packet."))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(left)
        splitter.addWidget(self._preview_box())
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([260, 420])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def _preview_box(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        self.preview = QLabel("No document selected")
        self.preview.setObjectName("evidence_preview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(self.preview)
        self.page_label = QLabel()
        previous, following = QPushButton("◀ Page"), QPushButton("Page ▶")
        previous.clicked.connect(lambda: self._show_preview(self.page - 1))
        following.clicked.connect(lambda: self._show_preview(self.page + 1))
        nav = QHBoxLayout()
        nav.addWidget(previous)
        nav.addWidget(self.page_label, 1)
        nav.addWidget(following)
        layout.addWidget(area, 1)
        layout.addLayout(nav)
        return box

    # -- showing -----------------------------------------------------------------------------

    def show_case(self, case: Case) -> None:
        state = review_state(case)
        needed = ", ".join(k.value.replace("_", " ") for k in state.needed) or "nothing in particular"
        missing = ", ".join(k.value.replace("_", " ") for k in state.missing)
        self.needs.setText(f"The reasons call for: {needed}." + (f"  Missing: {missing}." if missing else ""))
        chosen = self.current_id()
        self.documents = list(case.evidence)
        self.list.blockSignals(True)
        self.list.clear()
        for doc in self.documents:
            item = QListWidgetItem(f"{doc.position}. {doc.title}  ·  {doc.kind.value.replace('_', ' ')}  ·  "
                                   f"{doc.size / 1024:,.0f} KB")
            item.setData(DOC_ROLE, doc.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsDragEnabled)
            item.setCheckState(Qt.CheckState.Checked if doc.included else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.blockSignals(False)
        ids = self.list.document_ids()
        if chosen in ids:
            self.list.setCurrentRow(ids.index(chosen))
        elif ids:
            self.list.setCurrentRow(0)
        else:
            self._clear_preview()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._pending_page is not None:
            self._show_preview(self._pending_page)

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(DOC_ROLE) if item else None

    def _clear_preview(self) -> None:
        self.preview.setPixmap(QPixmap())
        self.preview.setText("No document selected")
        self.page_label.setText("")

    def _show_preview(self, page: int) -> None:
        if not self.isVisible():  # drawn when the tab is shown: a page nobody saw is no view for the audit trail
            self._pending_page = page
            return
        self._pending_page = None
        doc_id = self.current_id()
        if doc_id is None or self.view.case_file is None:
            self._clear_preview()
            return
        shown = preview_page(self.view.case_file, doc_id, max(page, 0), width=PREVIEW_WIDTH)
        if isinstance(shown, bytes):
            image, count = QImage.fromData(shown), 1
        else:
            image = QImage(shown.pixels, shown.width, shown.height, shown.stride, QImage.Format.Format_RGB888).copy()
            count = shown.page_count
        self.page = min(max(page, 0), count - 1)
        if image.width() > PREVIEW_WIDTH:
            image = image.scaledToWidth(PREVIEW_WIDTH, Qt.TransformationMode.SmoothTransformation)
        self.preview.setPixmap(QPixmap.fromImage(image))
        self.page_label.setText(f"Page {self.page + 1} of {count}")
        self._select_kind(doc_id)

    def _select_kind(self, doc_id: int) -> None:
        doc = next((d for d in self.documents if d.id == doc_id), None)
        if doc is not None:
            self.kind.setCurrentIndex(self.kind.findData(doc.kind.value))
            self.title_edit.setText(doc.title)
            self.date_edit.setText(str(doc.document_date or ""))

    # -- changing ----------------------------------------------------------------------------

    def add_dialog(self) -> None:
        files, _filter = QFileDialog.getOpenFileNames(self, "Attach documents", "",
                                                      "Documents (*.pdf *.png *.jpg *.jpeg *.tif *.tiff);;All (*)")
        if files:
            self.attach([Path(f) for f in files])

    def attach(self, paths: list[Path]) -> None:
        """Attach on a worker thread with its own connection; the case reloads when done."""
        if self.view.case_file is None or not paths or (self.attacher and self.attacher.is_running()):
            return
        case_path, actor = self.view.case_file.path, self.view.actor
        # each file's kind from its own name (the Kind box belongs to the selected document, not to new ones)
        self.view.say(f"Attaching {len(paths)} document(s)…", kind="info")
        attached = Changes(case_path=case_path, activity=True, worklist=True)
        self.attacher = self.view.operations.run_in_background(
            lambda **_kw: _attach_in_worker(case_path, paths, actor, None), done=self._attached,
            refused=self.view.refused, changes_of=lambda result: attached if result.added else Changes())

    def _attached(self, result: AttachResult) -> None:
        if self.view.banner.kind == "info":
            self.view.banner.hide()
        if result.refused:  # the others were attached: a warning, not a failure
            self.view.warn("\n".join(result.refused))
        self.attach_finished.emit(result)

    def _reordered(self, ids: list[int]) -> None:
        case_file = self.view.case_file
        if case_file is not None:
            self.view.apply(lambda: reorder_documents(case_file, ids, actor=self.view.actor))

    def _included_changed(self, item: QListWidgetItem) -> None:
        case_file, doc_id = self.view.case_file, item.data(DOC_ROLE)
        included = item.checkState() == Qt.CheckState.Checked
        if case_file is not None:
            self.view.apply(lambda: include_document(case_file, doc_id, included, actor=self.view.actor))

    def _save_details(self) -> None:
        """Kind, title and date of the selected document, saved when any of them changes."""
        doc = next((d for d in self.documents if d.id == self.current_id()), None)
        case_file = self.view.case_file
        if doc is None or case_file is None:
            return
        try:
            when = parse_date(self.date_edit.text())
        except UserError as error:
            self.view.say(str(error))
            return
        kind, title = EvidenceKind(self.kind.currentData()), self.title_edit.text().strip() or doc.title
        if (kind, title, when) == (doc.kind, doc.title, doc.document_date):
            return
        self.view.apply(lambda: describe_document(case_file, doc.id, title=title, kind=kind, document_date=when,
                                                  actor=self.view.actor))

    def remove_selected(self) -> None:
        """Ask first (issue 11: a removal cannot be taken back with Ctrl+Z), then remove."""
        doc = next((d for d in self.documents if d.id == self.current_id()), None)
        case_file = self.view.case_file
        if doc is None or case_file is None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Remove document",
                          f"Remove \"{doc.title}\" from this case? The document is erased from the case file; "
                          "this cannot be undone, and Undo cannot take back your earlier changes either.",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.accepted.connect(lambda: self.view.apply(lambda: remove_document(case_file, doc.id, actor=self.view.actor)))
        self.remove_box = box  # kept alive while it is open (and for tests)
        box.open()

    def export_dialog(self) -> None:
        doc = next((d for d in self.documents if d.id == self.current_id()), None)
        if doc is None or self.view.case_file is None or not confirm_export_from(self, self.view):
            return
        target, _filter = QFileDialog.getSaveFileName(self, "Export document", doc.file_name)
        if target:
            try:
                written = export_document(self.view.case_file, doc.id, Path(target), actor=self.view.actor)
            except UserError as error:
                self.view.say(str(error))
            else:
                self.view.tell_success(f"Exported {doc.title}.", path=written)


def _attach_in_worker(case_path: Path, paths: list[Path], actor: str, kind: EvidenceKind | None) -> AttachResult:
    with open_case_file(case_path) as case_file:
        return attach_files(case_file, paths, actor=actor, kind=kind)

