"""The monthly denial report on paper: the practice's letterhead (letter_pdf's), the period, the
headline figures, charts drawn as vector graphics (dollars denied by reason and by payer as bars,
by month as a line), the top tables, the recurring denials with the check that prevents each, and
"Page N of M" on every page. Counts and dollars only: no table of the report holds a patient."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from workstation.core.workspace_model import PracticeProfile
from workstation.documents.fonts import register_fonts
from workstation.documents.letter_context import _practice as practice_context
from workstation.documents.letter_pdf import MARGIN, _letterhead, _numbered_canvas
from workstation.documents.letter_pdf import _styles as letter_styles
from workstation.documents.report_tables import Cell, Kind, ReportBook, ReportTable, month_text

BOLD = "DejaVuSans-Bold"
FRAME_PADDING = 6  # reportlab's frame keeps 6 points inside each margin
WIDTH = LETTER[0] - 2 * MARGIN - 2 * FRAME_PADDING
GAP = 18  # between two tables side by side
INK = colors.HexColor("#222222")
MUTED = colors.HexColor("#555555")
BAR = colors.HexColor("#3b6ea5")
RULE = colors.HexColor("#b8c2cc")
TINT = colors.HexColor("#eef2f6")
TOP = 10  # rows of a long table on paper; every row is in the CSV and Excel files
CHART_BARS = 8


def report_pdf(book: ReportBook, practice: PracticeProfile, *, logo: bytes | None = None,
               today: date | None = None) -> bytes:
    """The report as PDF bytes (DejaVu fonts embedded, so accents print)."""
    family = register_fonts()
    s = _styles(family)
    today = today or date.today()
    story: list[Any] = []
    if practice.name.strip():
        story += _letterhead({"practice": practice_context(practice)}, letter_styles(), logo)
    story += [Paragraph("Denials and appeals report", s["title"]),
              Paragraph(escape(f"{_long_date(book.start)} to {_long_date(book.end)} · {book.scope} · "
                               f"open cases as of {_long_date(today)}"), s["subtitle"]),
              _tiles(book, s), Spacer(1, 12)]
    story += _charts(book, s)
    story += _tables(book, s)
    story += _patterns(book.table("patterns"), s)
    buffer = io.BytesIO()
    footer = f"Denials and appeals report · {book.start.isoformat()} to {book.end.isoformat()} · {book.scope}"
    document = SimpleDocTemplate(buffer, pagesize=LETTER, leftMargin=MARGIN, rightMargin=MARGIN,
                                 topMargin=0.7 * inch, bottomMargin=0.85 * inch,
                                 title=f"Denials and appeals, {book.start.isoformat()} to {book.end.isoformat()}",
                                 author=practice.name, creator="Appeal Workstation")

    def left_footer(canvas: Canvas, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(family, 8)
        canvas.setFillColor(colors.HexColor("#444444"))
        canvas.drawString(MARGIN, 0.5 * inch, _fit(footer, family, 8, WIDTH - 1.3 * inch))
        canvas.restoreState()

    document.build(story, onFirstPage=left_footer, onLaterPages=left_footer,
                   canvasmaker=_numbered_canvas("", family))  # the letters' "Page N of M"
    return buffer.getvalue()


def _styles(family: str) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=family, fontSize=9.5, leading=12.5, textColor=INK)
    return {
        "body": body,
        "title": ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=16, leading=20, spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", parent=body, textColor=MUTED, spaceAfter=10),
        "heading": ParagraphStyle("heading", parent=body, fontName=BOLD, fontSize=11.5, leading=15, spaceBefore=10,
                                  spaceAfter=4, keepWithNext=1),
        "note": ParagraphStyle("note", parent=body, fontSize=8, leading=10, textColor=MUTED, spaceBefore=2),
        "big": ParagraphStyle("big", parent=body, fontName=BOLD, fontSize=17, leading=21),
        "label": ParagraphStyle("label", parent=body, fontSize=8, leading=10),
        "detail": ParagraphStyle("detail", parent=body, fontSize=7.5, leading=9.5, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5),
        "head": ParagraphStyle("head", parent=body, fontName=BOLD, fontSize=8.5, leading=10.5),
        "head_right": ParagraphStyle("head_right", parent=body, fontName=BOLD, fontSize=8.5, leading=10.5,
                                     alignment=TA_RIGHT),
        "right": ParagraphStyle("right", parent=body, fontSize=8.5, leading=10.5, alignment=TA_RIGHT),
    }


def _long_date(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _fit(text: str, font: str, size: float, width: float) -> str:
    """The text cut with an ellipsis to fit the width."""
    while text and stringWidth(text, font, size) > width:
        text = text[:-2] + "…"
    return text


def shown(value: Cell, kind: Kind) -> str:
    """A cell as printed: "$1,234.50", "12.5%", "1,234", "Feb 2026"; nothing shows as a dash."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if isinstance(value, date):
        return month_text(value) if kind is Kind.MONTH else value.isoformat()
    if kind is Kind.MONEY:
        amount = Decimal(value)
        return f"{'-' if amount < 0 else ''}${abs(amount):,.2f}"
    if kind is Kind.RATE:
        return f"{Decimal(value) * 100:.1f}%"
    if kind is Kind.DAYS:
        return f"{Decimal(value).normalize():f}"
    return f"{value:,}"


def _figure(book: ReportBook, label: str, kind: Kind) -> str:
    return shown(book.figure(label), kind)


def _tiles(book: ReportBook, s: dict[str, ParagraphStyle]) -> Table:
    f = book.figure
    m, r, n = Kind.MONEY, Kind.RATE, Kind.COUNT
    median = f("Days from denial to appeal (median)")
    tiles = [
        (_figure(book, "Initial denial rate (claims)", r), "of claims denied on their first remittance",
         f"{shown(f('Claims denied in full or in part'), n)} of {shown(f('Claims with a first remittance'), n)} "
         "claims"),
        (_figure(book, "Initial denial rate (dollars billed)", r), "of dollars billed on those claims",
         f"{shown(f('Billed on the denied claims'), m)} of {shown(f('Billed on those claims'), m)}"),
        (_figure(book, "Claims denied in full or in part", n), "claims denied in full or in part",
         "on their first remittance in the period"),
        (_figure(book, "Overturn rate", r), "of appeals decided were overturned",
         f"{shown(f('Won'), n)} won, {shown(f('Partly won'), n)} partly, {shown(f('Lost'), n)} lost "
         f"of {shown(f('Appeals decided'), n)} decided"),
        (_figure(book, "Appeals sent", n), "appeals sent",
         "median days from denial: " + shown(median, Kind.DAYS) if median is not None else "in the period"),
        (_figure(book, "Recovered on appeal", m), "recovered on appeal", "decisions in the period"),
        (_figure(book, "Open cases", n), "open cases (backlog)",
         f"{shown(f('Open dollars at stake'), m)} at stake · {shown(f('Open cases overdue'), n)} overdue"),
        (_figure(book, "Sequestration (CO-253)", m), "sequestration (CO-253)", "taken, less reversals"),
    ]
    cells = [[Paragraph(escape(big), s["big"]), Paragraph(escape(label), s["label"]),
              Paragraph(escape(detail), s["detail"])] for big, label, detail in tiles]
    table = Table([cells[:4], cells[4:]], colWidths=[WIDTH / 4] * 4)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("BACKGROUND", (0, 0), (-1, -1), TINT),
        ("LINEAFTER", (0, 0), (-2, -1), 2, colors.white), ("LINEBELOW", (0, 0), (-1, 0), 2, colors.white),
        ("LEFTPADDING", (0, 0), (-1, -1), 7), ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
    ]))
    return table


def _money_axis(value: float) -> str:
    if abs(value) >= 1000:
        return f"${value / 1000:,.1f}k".replace(".0k", "k")
    return f"${value:,.0f}"


def _bars(title: str, labels: list[str], values: list[Decimal], width: float, family: str,
          label_width: float) -> Drawing:
    """A horizontal bar chart, largest at the top, each bar with its dollars at its end."""
    rows = len(labels)
    height = 26 + rows * 17
    drawing = Drawing(width, height + 18)
    drawing.add(String(0, height + 6, title, fontName=BOLD, fontSize=9, fillColor=INK))
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, 16
    chart.width, chart.height = width - label_width - 46, height - 20
    chart.data = [[float(v) for v in reversed(values)]]
    chart.categoryAxis.categoryNames = list(reversed(labels))
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = family, 7.5
    chart.categoryAxis.labels.boxAnchor, chart.categoryAxis.labels.dx = "e", -4
    chart.categoryAxis.strokeColor = RULE
    chart.valueAxis.valueMin = min(0.0, *(float(v) for v in values))
    chart.valueAxis.labels.fontName, chart.valueAxis.labels.fontSize = family, 7
    chart.valueAxis.labelTextFormat = _money_axis
    chart.valueAxis.strokeColor, chart.valueAxis.visibleGrid = RULE, True
    chart.valueAxis.gridStrokeColor, chart.valueAxis.gridStrokeWidth = colors.HexColor("#e3e8ee"), 0.5
    chart.valueAxis.maximumTicks = 5
    chart.bars[0].fillColor, chart.bars[0].strokeColor = BAR, None
    chart.barLabelFormat = lambda v: f"${v:,.2f}"
    chart.barLabels.fontName, chart.barLabels.fontSize = family, 7
    chart.barLabels.boxAnchor, chart.barLabels.dx = "w", 3
    chart.barLabels.fillColor = INK
    chart.groupSpacing = 4
    drawing.add(chart)
    return drawing


def _line(title: str, labels: list[str], values: list[Decimal], width: float, family: str) -> Drawing:
    """Dollars denied by month as a line with a dot on each month."""
    height = 150
    drawing = Drawing(width, height + 18)
    drawing.add(String(0, height + 6, title, fontName=BOLD, fontSize=9, fillColor=INK))
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 42, 22, width - 56, height - 34
    plot.data = [[(n, float(v)) for n, v in enumerate(values)]]
    plot.lines[0].strokeColor, plot.lines[0].strokeWidth = BAR, 1.6
    plot.lines[0].symbol = makeMarker("FilledCircle", size=4, fillColor=BAR, strokeColor=BAR)
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = -0.5, len(values) - 0.5
    plot.xValueAxis.valueSteps = list(range(len(values)))
    every = max(1, -(-len(values) // 6))  # at most about 6 month names under the line
    plot.xValueAxis.labelTextFormat = lambda v: labels[int(v)] if int(v) % every == 0 else ""
    plot.xValueAxis.labels.fontName, plot.xValueAxis.labels.fontSize = family, 7
    plot.xValueAxis.strokeColor = RULE
    plot.yValueAxis.valueMin = min(0.0, *(float(v) for v in values))
    plot.yValueAxis.labelTextFormat = _money_axis
    plot.yValueAxis.labels.fontName, plot.yValueAxis.labels.fontSize = family, 7
    plot.yValueAxis.strokeColor, plot.yValueAxis.visibleGrid = RULE, True
    plot.yValueAxis.gridStrokeColor, plot.yValueAxis.gridStrokeWidth = colors.HexColor("#e3e8ee"), 0.5
    plot.yValueAxis.maximumTicks = 5
    drawing.add(plot)
    return drawing


def _chart_rows(table: ReportTable, label: Any) -> tuple[list[str], list[Decimal]]:
    """The labels and dollars denied of a grouping's largest rows, for a chart."""
    denied = [c.title for c in table.columns].index("Dollars denied")
    rows = [row for row in table.rows if isinstance(row[denied], Decimal)][:CHART_BARS]
    return [label(row) for row in rows], [row[denied] for row in rows]  # type: ignore[misc]


def _charts(book: ReportBook, s: dict[str, ParagraphStyle]) -> list[Any]:
    family = register_fonts()
    label_width = 2.45 * inch
    reasons, reason_dollars = _chart_rows(
        book.table("by_reason"), lambda row: _fit(f"{row[0]}  {row[1]}", family, 7.5, label_width - 8))
    if not reasons:
        return [Paragraph("No denials on remittances in this period.", s["body"])]
    payers, payer_dollars = _chart_rows(book.table("by_payer"),
                                        lambda row: _fit(str(row[0]), family, 7.5, label_width - 8))
    months = sorted((row for row in book.table("by_month").rows if isinstance(row[0], date)),
                    key=lambda row: row[0])
    story: list[Any] = [_bars("Dollars denied by reason", reasons, reason_dollars, WIDTH, family, label_width),
                        Spacer(1, 10),
                        _bars("Dollars denied by payer", payers, payer_dollars, WIDTH, family, label_width)]
    if months:
        story += [Spacer(1, 10), _line("Dollars denied by month (remittance date)", [month_text(r[0]) for r in months],
                                       [r[2] for r in months], WIDTH, family)]
    return story


#: The tables printed after the charts, in order, and how many rows of each (None: all); a pair
#: is printed side by side.
PRINTED: tuple[tuple[tuple[str, int | None], ...], ...] = (
    (("by_reason", TOP),), (("by_category", None),), (("by_payer", TOP),), (("by_procedure", TOP),),
    (("by_provider", TOP),), (("by_month", None),), (("appeals_by_level", None),),
    (("backlog_by_age", None), ("backlog_by_deadline", None)),
    (("sequestration_by_month", None), ("sequestration_by_payer", None)), (("write_offs_by_reason", TOP),))
ALWAYS = {"backlog_by_age", "backlog_by_deadline"}  # printed even when empty


def _tables(book: ReportBook, s: dict[str, ParagraphStyle]) -> list[Any]:
    story: list[Any] = [CondPageBreak(2.5 * inch), Paragraph("Appeal outcomes", s["heading"]),
                        _appeals(book.table("appeals"), s)]
    seen: set[str] = set()  # a note said once (the six groupings share theirs)
    for group in PRINTED:
        shown_tables = [(book.table(name), limit) for name, limit in group
                        if book.table(name).rows or name in ALWAYS]
        if len(shown_tables) == 2:
            half = (WIDTH - GAP) / 2
            cells = [_printed_table(table, s, limit, half, seen, keep=False) for table, limit in shown_tables]
            pair = Table([cells], colWidths=[half + GAP, half], hAlign="LEFT")
            pair.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                      ("RIGHTPADDING", (0, 0), (0, -1), GAP), ("RIGHTPADDING", (1, 0), (1, -1), 0),
                                      ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
            story += [Spacer(1, 8), pair]
        else:
            for table, limit in shown_tables:
                story += _printed_table(table, s, limit, WIDTH, seen)
    return story


def _appeals(table: ReportTable, s: dict[str, ParagraphStyle]) -> Table:
    """The one row of appeal outcomes as label and value pairs, in two columns."""
    (row,) = table.rows
    pairs = [(c.title, shown(v, c.kind)) for c, v in zip(table.columns, row, strict=True)]
    half = -(-len(pairs) // 2)
    data = []
    for left, right in zip(pairs[:half], [*pairs[half:], ("", "")], strict=True):
        data.append([Paragraph(escape(left[0]), s["cell"]), Paragraph(escape(left[1]), s["right"]),
                     Paragraph(escape(right[0]), s["cell"]), Paragraph(escape(right[1]), s["right"])])
    grid = Table(data, colWidths=[2.3 * inch, 1.0 * inch, 2.6 * inch, WIDTH - 5.9 * inch], hAlign="LEFT")
    grid.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LEFTPADDING", (2, 0), (2, -1), 18), ("TOPPADDING", (0, 0), (-1, -1), 2),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return grid


def _natural(text: str, font: str, size: float = 8.5) -> float:
    return stringWidth(text, font, size) + 14  # the cell's padding, and no wrap by rounding


def _widths(table: ReportTable, rows: tuple[tuple[Cell, ...], ...], budget: float) -> list[float]:
    """Each column as wide as its text (a title may wrap at its spaces); text columns give way
    (and wrap) when the page is too narrow, and share what is left of a table of four columns or more."""
    family = register_fonts()
    wanted, texts = [], []
    for n, column in enumerate(table.columns):
        cells = [_natural(shown(row[n], column.kind), family) for row in rows]
        title = max(_natural(word, BOLD) for word in column.title.split())
        if column.kind in (Kind.TEXT, Kind.MONTH):
            texts.append(n)
            wanted.append(min(max([title, min(_natural(column.title, BOLD), 1.5 * inch), *cells]), 2.8 * inch))
        else:
            wanted.append(max([title, 0.7 * inch, *cells]))
    total = sum(wanted)
    if texts and (total > budget or len(table.columns) >= 4):
        room = budget - sum(w for n, w in enumerate(wanted) if n not in texts)
        asked = sum(wanted[n] for n in texts)
        wanted = [w * room / asked if n in texts else w for n, w in enumerate(wanted)]
    elif total > budget:
        wanted = [w * budget / total for w in wanted]
    return wanted


def _printed_table(table: ReportTable, s: dict[str, ParagraphStyle], limit: int | None, budget: float,
                   seen: set[str], keep: bool = True) -> list[Any]:
    rows = table.rows if limit is None else table.rows[:limit]
    right = [c.kind is not Kind.TEXT and c.kind is not Kind.MONTH for c in table.columns]
    header = [Paragraph(escape(c.title), s["head_right" if r else "head"]) for c, r in zip(table.columns, right,
                                                                                          strict=True)]
    body = [[Paragraph(escape(shown(v, c.kind)), s["right" if r else "cell"])
             for v, c, r in zip(row, table.columns, right, strict=True)] for row in rows]
    grid = Table([header, *body], colWidths=_widths(table, rows, budget), repeatRows=1, hAlign="LEFT")
    grid.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]))
    title = Paragraph(escape(table.title), s["heading"])
    notes = [table.note] if table.note and table.note not in seen else []
    seen.add(table.note)
    if limit is not None and len(table.rows) > limit:
        notes.append(f"The largest {limit} of {len(table.rows)}; every row is in the CSV and Excel exports.")
    if not table.rows:
        notes.append("None.")
    tail = [Paragraph(escape(" ".join(notes)), s["note"])] if notes else []
    if keep and len(rows) <= 14:
        return [KeepTogether([title, grid, *tail])]
    return [title, grid, *tail]


def _days_of(title: str) -> str:
    """The 90 of "Denials in the last 90 days"."""
    return next((word for word in title.split() if word.isdigit()), "90")


def _patterns(table: ReportTable, s: dict[str, ParagraphStyle]) -> list[Any]:
    """Each recurring denial with its check before billing, and an adopted change's before and since."""
    story: list[Any] = [CondPageBreak(2 * inch), Paragraph(escape(table.title), s["heading"])]
    if not table.rows:
        return [*story, Paragraph("No payer, reason and procedure was denied often enough in the last 90 days "
                                  "to make a pattern.", s["body"])]
    titles = [c.title for c in table.columns]
    at = {t: n for n, t in enumerate(titles)}
    header = [Paragraph(escape(t), s[style]) for t, style in (
        ("Payer", "head"), ("Reason", "head"), ("Procedure", "head"), (f"Denials, last {_days_of(titles[4])} days",
                                                                       "head_right"),
        ("Denied", "head_right"), ("Check before billing", "head"), ("Change adopted", "head"))]
    body = []
    for row in table.rows:
        procedure = str(row[at["Procedure"]]) + (f"-{row[at['Modifier']]}" if row[at["Modifier"]] else "")
        adopted = row[at["Change adopted on"]]
        change = "–" if adopted is None else (
            f"{shown(adopted, Kind.DATE)}: {row[at['What was changed']] or 'no note'}; denials before "
            f"{row[at['Denials before the change']]}, since {row[at['Denials since the change']]}")
        values = [(row[at["Payer"]], "cell"), (row[at["Reason code"]], "cell"), (procedure, "cell"),
                  (shown(row[at[titles[4]]], Kind.COUNT), "right"), (shown(row[at["Dollars denied"]], Kind.MONEY),
                                                                      "right"),
                  (row[at["Check before billing"]], "cell"), (change, "cell")]
        body.append([Paragraph(escape(str(text)), s[style]) for text, style in values])
    widths = [1.3 * inch, 0.68 * inch, 0.85 * inch, 0.78 * inch, 0.8 * inch]
    widths += [(WIDTH - sum(widths)) * 0.62, (WIDTH - sum(widths)) * 0.38]
    grid = Table([header, *body], colWidths=widths, repeatRows=1, hAlign="LEFT")
    grid.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return [*story, grid, Paragraph(escape(table.note), s["note"])]
