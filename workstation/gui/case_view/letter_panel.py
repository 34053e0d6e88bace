"""The Letter tab: pick a template (the case suggests one), fill the fields the case cannot,
edit the text, watch the PDF preview follow (rendered off the GUI thread half a second after
typing stops), save versions, build, export or print the packet."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workstation.core.errors import UserError
from workstation.core.model import Case
from workstation.documents.letter_context import LETTER_FIELDS
from workstation.documents.letter_templates import needed_paths
from workstation.gui.widgets import plain_label
from workstation.gui.workers import BackgroundTask
from workstation.ops.cases import open_case_file
from workstation.ops.evidence import render_pdf_pages
from workstation.ops.letters import (
    Draft,
    LetterSetting,
    Packet,
    PortalExport,
    SavedPacket,
    case_packet,
    draft_letter,
    export_for_portal,
    last_fields,
    letter_bytes,
    letter_setting,
    save_letter,
    save_packet,
    suggested_templates,
)

if TYPE_CHECKING:
    from workstation.gui.case_view.view import CaseView

PREVIEW_DELAY_MS = 500
PREVIEW_WIDTH = 430
ALWAYS_OFFERED = ("additional_argument",)


class LetterPanel(QWidget):
    preview_ready = Signal()
    packet_done = Signal()

    def __init__(self, view: CaseView) -> None:
        super().__init__()
        self.view = view
        self.setting: LetterSetting | None = None
        self.draft: Draft | None = None
        self.case: Case | None = None
        self.field_edits: dict[str, QLineEdit] = {}
        self._typed: dict[str, str] = {}  # fields typed for this case, also those the template hides
        self._level = 0  # the appeal level the letter was last filled for
        self.renderer: BackgroundTask | None = None
        self.packer: BackgroundTask | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PREVIEW_DELAY_MS)
        self.timer.timeout.connect(self.render_preview)
        self._build()

    def _build(self) -> None:
        self.template = QComboBox()
        self.template.setObjectName("letter_template")
        self.template.activated.connect(lambda _i: self.regenerate())
        self.missing = plain_label()
        self.missing.setObjectName("letter_missing")
        self.missing.setStyleSheet("color: #8c1d18;")
        self.fields_form = QFormLayout()
        fields_box = QWidget()
        fields_box.setLayout(self.fields_form)
        self.text = QPlainTextEdit()
        self.text.setObjectName("letter_text")
        self.text.textChanged.connect(self.timer.start)  # restarts: renders once typing stops
        regenerate = QPushButton("Fill again from the template")
        regenerate.clicked.connect(self.regenerate)
        self.save_button = QPushButton("Save version")
        self.save_button.setObjectName("letter_save")
        self.save_button.clicked.connect(self.save)
        self.versions = QListWidget()
        self.versions.setObjectName("letter_versions")
        self.versions.setMaximumHeight(70)
        buttons = QHBoxLayout()
        for label, slot in (("Packet…", self.build_packet), ("Portal files…", self.export_portal),
                            ("Print…", self.print_packet)):
            button = QPushButton(label)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        left = QWidget()
        column = QVBoxLayout(left)
        column.addWidget(self.template)
        column.addWidget(self.missing)
        column.addWidget(fields_box)
        column.addWidget(self.text, 1)
        row = QHBoxLayout()
        row.addWidget(regenerate)
        row.addWidget(self.save_button)
        column.addLayout(row)
        column.addWidget(QLabel("Saved versions"))
        column.addWidget(self.versions)
        column.addLayout(buttons)
        self.preview = QLabel("The preview appears here.")
        self.preview.setObjectName("letter_preview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(self.preview)
        self.pages = QTabWidget()
        self.pages.setObjectName("letter_pages")
        self.pages.addTab(left, "Edit")
        self.pages.addTab(area, "Preview")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    # -- showing -----------------------------------------------------------------------------

    def show_case(self, case: Case) -> None:
        """Refill the template list; keep the biller's text when the same case is shown again."""
        same = self.case is not None and self.case.case_id == case.case_id
        self.case = case
        if self.view.case_file is None:
            return
        try:
            self.setting = letter_setting(self.view.case_file.path, case, workspace=self.view.workspace)
        except UserError as error:
            self.missing.setText(str(error))
            return
        level = self.setting.deadline.level if self.setting.deadline and self.setting.deadline.level else 1
        moved = same and level != self._level
        chosen = self.template.currentData() if same and not moved else None
        self.template.clear()
        for number, template in enumerate(suggested_templates(case, self.setting)):
            self.template.addItem(template.title + (" (suggested)" if number == 0 else ""), template.id)
        if chosen:
            self.template.setCurrentIndex(max(self.template.findData(chosen), 0))
        self._show_versions()
        self._level = level
        if not same:
            self._fill_fields(last_fields(self.view.case_file))
            self.regenerate()
        elif moved:  # a loss took the case to the next level: its letter, the biller's fields kept
            self.regenerate()
            self.view.warn(f"The case is now at appeal level {level}: the letter was filled again from "
                           f"\"{self.template.currentText().removesuffix(' (suggested)')}\", keeping the fields "
                           "you typed; read it before sending.")

    def _show_versions(self) -> None:
        assert self.view.case_file is not None
        self.versions.clear()
        for version in reversed(self.view.case_file.letters.versions()):
            self.versions.addItem(f"{version.created_at:%Y-%m-%d %H:%M}  {version.template_title}  ({version.by})")

    def _fill_fields(self, values: dict[str, str]) -> None:
        for key, edit in self.field_edits.items():
            edit.setText(values.get(key, ""))
        self._typed = dict(values)

    def fields(self) -> dict[str, str]:
        return self._typed | {key: edit.text() for key, edit in self.field_edits.items()}

    def _rebuild_field_form(self) -> None:
        """Offer the fields this template asks for (and the good-cause reason when late)."""
        values = self.fields()
        while self.fields_form.rowCount():
            self.fields_form.removeRow(0)
        self.field_edits = {}
        for key in self._wanted_keys():
            edit = QLineEdit(values.get(key, ""))
            edit.setObjectName(f"field_{key}")
            edit.editingFinished.connect(self.regenerate)
            self.fields_form.addRow(LETTER_FIELDS.get(key, key), edit)
            self.field_edits[key] = edit

    def regenerate(self) -> None:
        """Fill the chosen template from the case and the fields; missing ones are named."""
        if self.case is None or self.setting is None or self.template.count() == 0:
            return
        try:
            self.draft = draft_letter(self.case, self.setting, template_id=self.template.currentData(),
                                      fields=self.fields())
        except UserError as error:
            self.missing.setText(str(error))
            return
        if not self.field_edits or set(self.field_edits) != set(self._wanted_keys()):
            self._rebuild_field_form()
        self.missing.setText("\n".join(_letter_notes(self.draft)))
        self.text.setPlainText(self.draft.markup)

    def _wanted_keys(self) -> list[str]:
        """The fields this letter needs for this case, the good-cause reason when late, and a free one."""
        assert self.draft is not None
        wanted = [p.split(".", 1)[1] for p in needed_paths(self.draft.template, self.draft.context)
                  if p.startswith("fields.")]
        if self.draft.context["level"]["late"]:
            wanted.append("good_cause_reason")
        return list(dict.fromkeys([*wanted, *ALWAYS_OFFERED]))

    # -- preview -----------------------------------------------------------------------------

    def render_preview(self) -> None:
        """Render the PDF on a worker thread; typing never waits for it."""
        if self.draft is None:
            return
        if self.draft.missing or self.draft.contradictions:
            self.preview.setText("The preview appears once the letter has what it needs (see above).")
            return
        if self.renderer is not None and self.renderer.is_running():
            self.timer.start()  # try again when the one running now is done
            return
        draft, markup = self.draft, self.text.toPlainText()
        self.renderer = BackgroundTask(lambda **_kw: render_pdf_pages(letter_bytes(draft, markup), 0,
                                                                       width=PREVIEW_WIDTH), self)
        self.renderer.finished.connect(self._show_preview)
        self.renderer.failed.connect(lambda error: self.preview.setText(str(error)))
        self.renderer.start()

    def _show_preview(self, page) -> None:
        image = QImage(page.pixels, page.width, page.height, page.stride, QImage.Format.Format_RGB888).copy()
        self.preview.setPixmap(QPixmap.fromImage(image))
        self.preview_ready.emit()

    # -- saving and the packet ---------------------------------------------------------------

    def save(self) -> None:
        case_file, draft = self.view.case_file, self.draft
        if case_file is None or draft is None:
            return
        markup, fields = self.text.toPlainText(), self.fields()
        if self.view.apply(lambda: save_letter(case_file, draft, markup=markup, fields=fields, actor=self.view.actor)):
            self._show_versions()

    def _in_background(self, work, done) -> None:
        """Packets can hold hundreds of pages: build them on a worker thread with its own
        connection to the case file, then show the outcome here."""
        if self.view.case_file is None or (self.packer is not None and self.packer.is_running()):
            return
        path = self.view.case_file.path
        self.packer = BackgroundTask(lambda **_kw: _with_case(path, work), self)
        self.packer.finished.connect(done)
        self.packer.failed.connect(lambda error: self.view.say(str(error)))
        self.view.say("Building the packet…", kind="info")
        self.packer.start()

    def build_packet(self) -> None:
        target, _filter = QFileDialog.getSaveFileName(self, "Save the packet", "appeal-packet.pdf", "PDF (*.pdf)")
        if target:
            actor = self.view.actor
            self._in_background(lambda case_file: save_packet(case_file, Path(target), actor=actor),
                                lambda saved: self._packet_saved(saved, Path(target)))

    def _packet_saved(self, saved: SavedPacket, target: Path) -> None:
        self.view.reload()
        message = f"Packet written: {saved.packet.page_count} pages."
        if saved.warning:
            self.view.warn(f"{message}\n{saved.warning}", path=target)
        else:
            self.view.tell_success(message, path=target)
        self.packet_done.emit()

    def export_portal(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder for the portal upload files")
        if folder:
            self._in_background(lambda case_file: export_for_portal(case_file, Path(folder)), self._exported)

    def _exported(self, export: PortalExport) -> None:
        folder = export.files[0].parent
        message = f"Wrote {len(export.files)} files for the portal upload."
        if export.warnings:  # over the portal's limits: the files are written anyway
            self.view.warn("\n".join([message, *export.warnings]), path=folder)
        else:
            self.view.tell_success(message, path=folder)
        self.packet_done.emit()

    def print_packet(self) -> None:
        self._in_background(case_packet, self._print)

    def _print(self, packet: Packet) -> None:
        self.view.banner.hide()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            print_pdf(packet.pdf, printer)
            self.view.tell_success(f"Sent {packet.page_count} pages to {printer.printerName() or 'the printer'}.")


def _with_case(path: Path, work):
    with open_case_file(path) as case_file:
        return work(case_file)


def print_pdf(pdf: bytes, printer: QPrinter) -> None:
    """Send each page to the printer as a picture drawn at the printer's resolution."""
    painter = QPainter(printer)
    try:
        count = render_pdf_pages(pdf, 0, width=10).page_count
        for number in range(count):
            rect = painter.viewport()
            page = render_pdf_pages(pdf, number, width=rect.width())
            image = QImage(page.pixels, page.width, page.height, page.stride, QImage.Format.Format_RGB888)
            painter.drawImage(rect, image)
            if number + 1 < count:
                printer.newPage()
    finally:
        painter.end()


def _letter_notes(draft: Draft) -> list[str]:
    """What the Letter tab says above the text: what is missing, what contradicts, what to check."""
    notes = [f"Still needed: {', '.join(draft.missing)}."] if draft.missing else []
    return notes + list(draft.contradictions) + list(draft.warnings)
