"""The Letter tab's packet: whether it encloses the remittance advice made from the 835, and the
Packet…, Portal files… and Print… actions (built off the GUI thread, through the window's hub)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QCheckBox, QFileDialog

from workstation.core.changes import Changes
from workstation.core.errors import UserError
from workstation.core.model import Case
from workstation.gui.passphrase_dialog import confirm_export_from
from workstation.ops.audit import record_print
from workstation.ops.cases import open_case_file
from workstation.ops.evidence import render_pdf_pages
from workstation.ops.letters import (
    Packet,
    PortalExport,
    SavedPacket,
    case_packet,
    export_for_portal,
    remittance_advice_choice,
    remittance_advice_enclosed,
    save_packet,
    set_remittance_advice,
)

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from workstation.gui.case_view.view import CaseView

REMITTANCE_TIP = ("A page made from the remittance this case came from: the payer, the check or EFT trace number, "
                  "dates, the claim's lines, every reason and remark code in words, the amounts. Enclosed unless "
                  "you say otherwise when the review calls for the remittance.")


class PacketActions:
    """The packet half of the Letter tab (mixed into LetterPanel)."""

    if TYPE_CHECKING:
        view: CaseView
        packet_done: SignalInstance
        _packing: bool

    def _remittance_box(self) -> QCheckBox:
        self.remittance = QCheckBox("Enclose the remittance advice (from the 835)")
        self.remittance.setObjectName("letter_remittance")
        self.remittance.setToolTip(REMITTANCE_TIP)
        self.remittance.clicked.connect(self._remittance_clicked)
        return self.remittance

    def _show_remittance(self, case: Case) -> None:
        """The remittance advice is offered when the case came from an 835."""
        assert self.view.case_file is not None
        self.remittance.setVisible(bool(case.remittances))
        self.remittance.setChecked(remittance_advice_enclosed(case, self._remittance_choice()))
        self.remittance.setEnabled(not self.view.case_file.read_only)

    def _remittance_choice(self) -> bool | None:
        return remittance_advice_choice(self.view.case_file) if self.view.case_file is not None else None

    def _remittance_clicked(self, checked: bool) -> None:
        case_file = self.view.case_file
        if case_file is not None:
            self.view.apply(lambda: set_remittance_advice(case_file, checked, actor=self.view.actor))

    def _in_background(self, work: Callable[[Any], Any], done: Callable[[Any], None], *,
                       records: bool = False) -> None:
        """Packets can hold hundreds of pages: built through the hub on a worker thread with its
        own connection to the case file; `records`: the case keeps the packet's manifest."""
        if self.view.case_file is None or self._packing:
            return
        path = self.view.case_file.path
        self._packing = True
        self.view.say("Building the packet…", kind="info")
        self.view.operations.run_in_background(
            lambda **_kw: _with_case(path, work), done=lambda result: self._packed(done, result),
            refused=self._packing_refused,
            changes_of=lambda _result: Changes(case_path=path, activity=True) if records else Changes())

    def _packed(self, done: Callable[[Any], None], result: Any) -> None:
        self._packing = False
        done(result)

    def _packing_refused(self, error: UserError) -> None:
        self._packing = False
        self.view.say(str(error))

    def build_packet(self) -> None:
        if not confirm_export_from(self, self.view):
            return
        target, _filter = QFileDialog.getSaveFileName(self, "Save the packet", "appeal-packet.pdf", "PDF (*.pdf)")
        if target:
            actor = self.view.actor
            self._in_background(lambda case_file: save_packet(case_file, Path(target), actor=actor),
                                lambda saved: self._packet_saved(saved, Path(target)), records=True)

    def _packet_saved(self, saved: SavedPacket, target: Path) -> None:
        message = f"Packet written: {saved.packet.page_count} pages."
        if saved.warning:
            self.view.warn(f"{message}\n{saved.warning}", path=target)
        else:
            self.view.tell_success(message, path=target)
        self.packet_done.emit()

    def export_portal(self) -> None:
        if not confirm_export_from(self, self.view):
            return
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
            record_print(self.view.workspace, case_ids=[self.view.case.case_id] if self.view.case else [],
                         what=f"packet of {packet.page_count} pages")
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

