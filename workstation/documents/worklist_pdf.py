"""The worklist on paper: the columns and rows the window shows, in its order, under a heading
that names the filters which chose them; "page N of M" on every page, the column titles too."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from workstation.documents.fonts import register_fonts
from workstation.documents.page_count import CountingCanvas

PAGE = landscape(LETTER)
MARGIN = 0.5 * inch
CELL_SIZE = 8.0
PADDING = 3.0  # points left and right of each cell's text
MIN_COLUMN = 0.55 * inch
MAX_COLUMN = 2.6 * inch
WRAPPABLE = 1.3 * inch  # columns wider than this may wrap to make room; narrower ones stay whole
BOLD = "DejaVuSans-Bold"


@dataclass(frozen=True)
class WorklistSheet:
    """What to print: a title, the filters in words, the column titles and each row's texts."""

    title: str
    filters: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    right_aligned: frozenset[int] = field(default_factory=frozenset)
    wrap: frozenset[int] | None = None  # columns that may wrap (names, reasons); None: the wide ones
    summary: str = ""  # "12 of 50 cases · $3,120.00 at stake"
    printed: str = ""  # "Printed 2026-03-31 14:02 by dana"


def worklist_pdf(sheet: WorklistSheet) -> bytes:
    """The sheet as PDF bytes: landscape Letter, the column titles repeated on every page."""
    family = register_fonts()
    styles = _styles(family)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                                 bottomMargin=MARGIN + 10, title=sheet.title, author="Appeal Workstation")
    story: list[Any] = [Paragraph(escape(sheet.title), styles["title"]),
                        Paragraph(escape(sheet.filters), styles["note"])]
    if sheet.summary:
        story.append(Paragraph(escape(sheet.summary), styles["note"]))
    story += [Spacer(1, 8), _table(sheet, styles, family)]
    document.build(story, canvasmaker=_numbered(family, " · ".join(filter(None, [sheet.title, sheet.printed]))))
    return buffer.getvalue()


def _styles(family: str) -> dict[str, ParagraphStyle]:
    cell = ParagraphStyle("cell", fontName=family, fontSize=CELL_SIZE, leading=CELL_SIZE + 2)
    return {
        "title": ParagraphStyle("title", fontName=BOLD, fontSize=14, leading=18, spaceAfter=2),
        "note": ParagraphStyle("note", fontName=family, fontSize=9, leading=12),
        "cell": cell,
        "right": ParagraphStyle("right", parent=cell, alignment=TA_RIGHT),
    }


def column_widths(sheet: WorklistSheet, family: str, width: float = PAGE[0] - 2 * MARGIN) -> list[float]:
    """Each column as wide as its widest text (within limits). When the page is too narrow the wide
    text columns (names, reasons) give way and wrap; short ones (numbers, amounts) stay whole."""
    wanted = []
    for number, title in enumerate(sheet.columns):
        texts = [row[number] for row in sheet.rows]
        widest = max([stringWidth(title, BOLD, CELL_SIZE)] + [stringWidth(t, family, CELL_SIZE) for t in texts])
        wanted.append(min(max(widest + 2 * PADDING + 1, MIN_COLUMN), MAX_COLUMN))  # +1: no wrap by rounding
    if sum(wanted) <= width:
        return wanted
    wide = sorted(sheet.wrap) if sheet.wrap is not None else [n for n, w in enumerate(wanted) if w > WRAPPABLE]
    room = width - sum(w for n, w in enumerate(wanted) if n not in wide)
    asked = sum(wanted[n] for n in wide)
    if not wide or room < WRAPPABLE * len(wide):  # too many columns for the page: all give way
        return [w * width / sum(wanted) for w in wanted]
    return [w * room / asked if n in wide else w for n, w in enumerate(wanted)]


def _table(sheet: WorklistSheet, styles: dict[str, ParagraphStyle], family: str) -> LongTable:
    widths = column_widths(sheet, family)
    header = [Paragraph(escape(title), ParagraphStyle("head", parent=styles["cell"], fontName=BOLD))
              for title in sheet.columns]
    body = [[_cell(text, widths[n], n in sheet.right_aligned, styles, family) for n, text in enumerate(row)]
            for row in sheet.rows]
    table = LongTable([header, *body], colWidths=widths, repeatRows=1)  # splits long lists in linear time
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), family, CELL_SIZE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING), ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f1f3f5")]),
        *[("ALIGN", (n, 0), (n, -1), "RIGHT") for n in sheet.right_aligned],
    ]))
    return table


def _cell(text: str, width: float, right: bool, styles: dict[str, ParagraphStyle], family: str) -> Any:
    """Plain text when it fits (fast for long lists); a wrapping paragraph, escaped, when it does not."""
    if stringWidth(text, family, CELL_SIZE) <= width - 2 * PADDING:
        return text
    return Paragraph(escape(text), styles["right" if right else "cell"])


def _numbered(family: str, footer: str) -> type[Canvas]:
    """A canvas that writes the footer and "page N of M" once the number of pages is known."""

    class FooterCanvas(CountingCanvas):
        def finish_page(self, number: int, total: int) -> None:
            self.setFont(family, 7.5)
            self.setFillColor(colors.HexColor("#444444"))
            self.drawString(MARGIN, MARGIN - 4, footer)
            self.drawRightString(PAGE[0] - MARGIN, MARGIN - 4, f"page {number} of {total}")

    return FooterCanvas
