"""Printing draws every page of a packet on the printer (here a PDF printer, read back)."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from reportlab.pdfgen import canvas

from workstation.gui.case_view.letter_panel import print_pdf


def test_every_page_reaches_the_printer(qtbot, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer)
    for number in range(3):
        drawing.drawString(72, 700, f"Packet page {number + 1}")
        drawing.showPage()
    drawing.save()
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    print_pdf(buffer.getvalue(), printer)
    printed = PdfReader(str(tmp_path / "printed.pdf"))
    assert len(printed.pages) == 3
    assert all(page.images for page in printed.pages)  # each page drawn as a picture of the original
